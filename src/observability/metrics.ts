// prom-client metrics. One registry per app instance (tests build many apps in one process), created by
// createMetrics(); every module receives the Metrics object rather than touching a global registry.
// Metric names are a contract with monitoring/grafana-dashboard.json and monitoring/alerts.yml
// (test/monitoring/metrics-contract.test.ts parses every expression there and checks each name against this registry).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 150, 250, 500, 1000, 2000, 5000];

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  // prom-client's own names already start with process_ or nodejs_: the prefix only puts them in HERMES's namespace
  // (hermes_process_cpu_seconds_total, hermes_nodejs_eventloop_lag_p99_seconds).
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'hermes_' });
  const r = [registry];
  return {
    registry,
    callsActive: new Gauge({ name: 'hermes_calls_active', help: 'Calls in progress', registers: r }),
    callsTotal: new Counter({ name: 'hermes_calls_total', help: 'Calls started', registers: r }),
    callsResumed: new Counter({ name: 'hermes_calls_resumed_total', help: 'Calls carried on by a new media stream after theirs ended without the call ending', registers: r }),
    callsHandedOver: new Counter({ name: 'hermes_calls_handed_over_total', help: 'Live calls a draining instance handed to another through the resume path', registers: r }),
    gatherFallbacks: new Counter({
      name: 'hermes_gather_fallbacks_total', help: 'Calls sent to the <Gather> channel because a speech provider could not be had; reason = stt | tts | provider_down (answered on <Gather> at once while one was just found down)',
      labelNames: ['reason'] as const, registers: r,
    }),
    callsEnded: new Counter({ name: 'hermes_calls_ended_total', help: 'Calls ended, by outcome', labelNames: ['outcome'] as const, registers: r }),
    greetingLatency: new Histogram({
      name: 'hermes_greeting_latency_ms', help: 'Media stream start -> first greeting audio frame out (ms)',
      buckets: LATENCY_BUCKETS_MS, registers: r,
    }),
    turnLatency: new Histogram({
      name: 'hermes_turn_latency_ms',
      help: 'End of caller turn -> stage reached (ms); stage = llm_first_token | tts_first_byte | first_frame | first_text (ConversationRelay) | gather_webhook (<Gather> action in -> TwiML out)',
      labelNames: ['stage'] as const, buckets: LATENCY_BUCKETS_MS, registers: r,
    }),
    bargeIns: new Counter({ name: 'hermes_barge_ins_total', help: 'Agent speech interrupted by the caller', registers: r }),
    providerErrors: new Counter({
      name: 'hermes_provider_errors_total', help: 'Provider failures', labelNames: ['provider', 'kind'] as const, registers: r,
    }),
    mediaRejected: new Counter({
      name: 'hermes_media_messages_rejected_total',
      help: 'Media Stream messages skipped: malformed, oversized, unknown event, media before start',
      labelNames: ['reason'] as const, registers: r,
    }),
    webhookRejected: new Counter({
      name: 'hermes_webhook_rejected_total', help: 'Twilio requests refused (bad signature)', labelNames: ['route'] as const, registers: r,
    }),
    outboxDeliveries: new Counter({
      name: 'hermes_outbox_deliveries_total', help: 'Outbox delivery attempts', labelNames: ['action', 'result'] as const, registers: r,
    }),
    outboxPending: new Gauge({ name: 'hermes_outbox_pending', help: 'Outbox rows waiting for delivery', registers: r }),
    outboxOldestDue: new Gauge({
      name: 'hermes_outbox_oldest_due_seconds',
      help: 'Age of the oldest outbox row due for delivery and not delivered yet (s; 0 when none): the delivery lag, read from the database at each scrape',
      registers: r,
    }),
    reasoningLatency: new Histogram({
      name: 'hermes_reasoning_latency_ms', help: 'Reasoning decision time (ms)', labelNames: ['kind'] as const,
      buckets: LATENCY_BUCKETS_MS, registers: r,
    }),
    authEvents: new Counter({
      name: 'hermes_auth_events_total', help: 'Admin logins and refreshes; result = success | refused | reused (refresh token replayed)',
      labelNames: ['action', 'result'] as const, registers: r,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
