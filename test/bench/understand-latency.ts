// Online understanding latency: p50/p95 of understand() per utterance with the fake OpenAI server answering after a
// fixed delay (300 ms by default), through the real openai SDK, several calls at once. Also counts the requests the
// fake received per utterance. Run: npx tsx test/bench/understand-latency.ts [--utterances 100] [--latency-ms 300]
// [--concurrency 10] [--stream] [--deadline-ms 1200]
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { silentLogger } from '../../src/observability/logger.js';
import type { UnderstandingContext } from '../../src/reasoning/interpretation.js';
import { LlmClient } from '../../src/reasoning/llm-client.js';
import { createOnlineReasoner, type UnderstandingReport } from '../../src/reasoning/online.js';
import type { SlotSpec } from '../../src/reasoning/types.js';
import { startFakeOpenAI } from '../../src/bench/fakes/openai-server.js';

export interface UnderstandingLatencyOptions {
  utterances: number;
  latencyMs: number;
  concurrency: number;
  stream: boolean;
  deadlineMs: number;
}

export interface UnderstandingLatency {
  utterances: number;
  fakeLatencyMs: number;
  concurrency: number;
  stream: boolean;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  requests: number;
  requestsPerUtterance: number;
  /** Utterances answered by the offline fallback (should be 0 with a healthy server). */
  fallbacks: number;
  /** CPU time of this process per utterance (ms): HERMES's side plus the fake server, robust to a busy machine. */
  cpuMsPerUtterance: number;
}

const slots: SlotSpec[] = [
  { name: 'caller_name', type: 'person_name', confirm: 'when_unsure' },
  { name: 'callback_phone', type: 'phone', confirm: 'when_unsure' },
  { name: 'email', type: 'email', confirm: 'when_unsure' },
  { name: 'incident_date', type: 'date', confirm: 'when_unsure', dateRange: 'past' },
  { name: 'practice_area', type: 'enum', confirm: 'when_unsure', values: [{ value: 'personal_injury', synonyms: ['accident', 'crash'] }, { value: 'family', synonyms: ['divorce', 'custody'] }, { value: 'criminal', synonyms: ['arrested', 'dui'] }] },
  { name: 'description', type: 'text', confirm: 'never' },
];
const faq = [{ id: 'consultation_fee', examples: { en: ['how much is a consultation'] } }, { id: 'hours', examples: { en: ['what time do you open'] } }];

/** Caller utterance, the slot asked, and what the model answers (fills, requests, questions). */
const CASES: { text: string; asked: string; fills?: [string, string][]; requests?: string[]; topic?: string }[] = [
  { text: 'my name is Maria Gonzalez', asked: 'caller_name', fills: [['caller_name', 'Maria Gonzalez']] },
  { text: "it's Ann Lee", asked: 'caller_name', fills: [['caller_name', 'Ann Lee']] },
  { text: 'this is Robert Kowalski', asked: 'caller_name', fills: [['caller_name', 'Robert Kowalski']] },
  { text: 'three one two five five five oh one four two', asked: 'callback_phone', fills: [['callback_phone', '+13125550142']] },
  { text: 'my cell is seven seven three, five five five, one two one two', asked: 'callback_phone', fills: [['callback_phone', '+17735551212']] },
  { text: 'ann dot lee at gmail dot com', asked: 'email', fills: [['email', 'ann.lee@gmail.com']] },
  { text: 'last Tuesday', asked: 'incident_date', fills: [['incident_date', '2026-11-24']] },
  { text: 'it was on November third', asked: 'incident_date', fills: [['incident_date', '2026-11-03']] },
  { text: 'I was rear ended in a car accident', asked: 'practice_area', fills: [['practice_area', 'personal_injury']] },
  { text: 'I need help with my divorce', asked: 'practice_area', fills: [['practice_area', 'family']] },
  { text: 'a truck ran the red light and hit my car on the driver side', asked: 'description', fills: [['description', 'a truck ran the red light and hit my car on the driver side'], ['practice_area', 'personal_injury']] },
  { text: 'how much is a consultation?', asked: 'caller_name', topic: 'consultation_fee' },
  { text: 'what time do you open?', asked: 'callback_phone', topic: 'hours' },
  { text: 'can I talk to a real person please', asked: 'email', requests: ['human'] },
  { text: 'skip', asked: 'email', requests: ['skip'] },
  { text: 'my son was just arrested', asked: 'description', fills: [['description', 'my son was just arrested'], ['practice_area', 'criminal']], requests: ['emergency'] },
  { text: 'yes', asked: 'description', fills: [['description', 'yes']] },
  { text: 'I already told you, it is Maria Gonzalez', asked: 'caller_name', fills: [['caller_name', 'Maria Gonzalez']] },
  { text: 'the crash was last Tuesday and my name is Ann Lee', asked: 'caller_name', fills: [['caller_name', 'Ann Lee'], ['incident_date', '2026-11-24'], ['practice_area', 'personal_injury']] },
  { text: 'oh seven, oh four, and I live in Cook County', asked: 'incident_date', fills: [['incident_date', '2026-07-04']] },
];

function answer(c: (typeof CASES)[number]): string {
  return JSON.stringify({
    fills: (c.fills ?? []).map(([slot, value]) => ({ slot, value, source: value })),
    corrections: [],
    requests: (c.requests ?? []).map((kind) => ({ kind, slot: kind === 'skip' ? c.asked : null, language: null })),
    questions: c.topic ? [{ topic: c.topic, subject: null, text: c.text }] : [],
    affirm: null,
    language: null,
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export async function measureUnderstandingLatency(o: UnderstandingLatencyOptions): Promise<UnderstandingLatency> {
  const byText = new Map(CASES.map((c) => [c.text, c]));
  const fake = await startFakeOpenAI({
    latencyMs: o.latencyMs,
    responder: (req) => {
      const said = (JSON.parse(req.messages[1]?.content ?? '{}') as { caller_said?: string }).caller_said ?? '';
      const c = byText.get(said);
      return c ? answer(c) : answer({ text: said, asked: '' });
    },
  });
  try {
    const client = new LlmClient({ apiKey: 'bench', baseURL: fake.baseURL, model: 'fake', timeoutMs: o.deadlineMs, maxRetries: 0, maxConcurrency: 16 });
    const reports: UnderstandingReport[] = [];
    const r = createOnlineReasoner({ client, log: silentLogger(), understanding: { stream: o.stream, deadlineMs: o.deadlineMs }, onUnderstanding: (x) => reports.push(x) });
    const now = new Date('2026-11-26T15:00:00Z');
    const ctxFor = (asked: string): UnderstandingContext => ({
      now, timezone: 'America/Chicago', defaultRegion: 'US', language: 'en', transcript: [], slots: {}, slotsInScope: slots, faq,
      asked: { slot: asked, purpose: 'answer' },
    });
    // Warm-up, untimed: connections, lazy module loading and JIT, which a running server has already paid.
    for (const c of CASES.slice(0, 4)) await r.understand({ text: c.text, alternatives: [], confidence: 1 }, ctxFor(c.asked));
    const before = fake.requests.length;
    reports.length = 0;
    const limit = pLimit(o.concurrency);
    const cpu = process.cpuUsage();
    const times = await Promise.all(Array.from({ length: o.utterances }, (_, i) => limit(async () => {
      const c = CASES[i % CASES.length]!;
      const started = performance.now();
      const it = await r.understand({ text: c.text, alternatives: [], confidence: 1 }, ctxFor(c.asked));
      const took = performance.now() - started;
      // Late verdicts settle after the engine moved on; they are not part of the turn's latency but must finish.
      await Promise.all(it.fills.map((f) => f.lateVerdict));
      return took;
    })));
    const used = process.cpuUsage(cpu);
    const sorted = [...times].sort((a, b) => a - b);
    const requests = fake.requests.length - before;
    return {
      utterances: o.utterances, fakeLatencyMs: o.latencyMs, concurrency: o.concurrency, stream: o.stream,
      p50Ms: Math.round(percentile(sorted, 50)), p95Ms: Math.round(percentile(sorted, 95)), maxMs: Math.round(sorted.at(-1) ?? 0),
      requests, requestsPerUtterance: Number((requests / o.utterances).toFixed(2)), fallbacks: reports.filter((x) => x.by === 'offline').length,
      cpuMsPerUtterance: Number(((used.user + used.system) / 1000 / o.utterances).toFixed(1)),
    };
  } finally {
    await fake.close();
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = { utterances: arg('utterances', 100), latencyMs: arg('latency-ms', 300), concurrency: arg('concurrency', 10), stream: process.argv.includes('--stream'), deadlineMs: arg('deadline-ms', 1200) };
  for (const stream of o.stream ? [true] : [false, true]) {
    const m = await measureUnderstandingLatency({ ...o, stream });
    console.log(`online understanding (${stream ? 'SSE' : 'JSON'}), fake ${m.fakeLatencyMs} ms, ${m.utterances} utterances, ${m.concurrency} at once: p50 ${m.p50Ms} ms, p95 ${m.p95Ms} ms, max ${m.maxMs} ms; ${m.requests} requests (${m.requestsPerUtterance}/utterance); fallbacks ${m.fallbacks}; CPU ${m.cpuMsPerUtterance} ms/utterance`);
  }
}
