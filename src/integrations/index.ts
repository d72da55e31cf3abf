// Public face of records and delivery, for the composition root (src/services.ts) and the CLI:
//   createIntakeRecorder(db)                       -> IntakeRecorder (slots as they come, status at the end)
//   createEffectRunner({db, config, log})          -> EffectRunner (conflict check live, deliveries to the outbox)
//   startOutboxWorker({db, config, log, metrics})  -> a running OutboxWorker (call stop() at shutdown)
//   createRecordsServices({db, config, log, metrics}) -> all three, sharing one Clio request budget (worker not started),
//                                                       plus the settler of interrupted calls and its sweep
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { EffectRunner, IntakeRecorder } from '../intake/types.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createClioAccess, type ClioAccess } from './clio/access.js';
import { clioConflictCheck } from './clio/conflict.js';
import { systemClock, type Clock } from './clock.js';
import { createCredentialStore } from './credentials.js';
import { createEffectRunner as runner, DEFAULT_CONFLICT_DEADLINE_MS } from './effect-runner.js';
import { createDeliveryHandlers, type DeliveryDeps } from './handlers.js';
import { createLawPayClient } from './lawpay/client.js';
import { pollPaymentEvents } from './lawpay/payments.js';
import { createIntakeRecorder as recorder, createIntakeStore, type IntakeStoreOptions, type StoredIntake } from '../intake/intakes-repo.js';
import { createCallSettler, type CallSettler } from '../intake/settle.js';
import { createSettleSweep, type SettleSweep, type SettleSweepOptions } from './settle-sweep.js';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './outbox/worker.js';
import { enqueue } from './outbox/store.js';
import { rowJson } from '../intake/rows.js';
import { queueCallerText } from './caller-text.js';
import { createTwilioRecordings, type TwilioRecordings } from './recordings.js';
import { purgeExpired, type PurgeReport } from '../intake/retention.js';
import { sharedLimitsFor } from '../db/shared-limits.js';

export type { OutboxWorker } from './outbox/worker.js';
export type { SettleSweep } from './settle-sweep.js';

/**
 * The recorder the call path uses. With `config`, every ended intake is also delivered per the firm's rules (see
 * deliveriesOnEnd) through outbox rows written in the same transaction as the final status.
 */
export function createIntakeRecorder(db: Db, opts: { config?: Config; now?: () => Date } = {}): IntakeRecorder {
  const now = opts.now ?? (() => new Date());
  return recorder(db, { now, ...(opts.config ? { afterEnd: deliveriesOnEnd(opts.config, now) } : {}) });
}

/** Settles calls a crash interrupted, delivering their intakes like every other ended intake. */
export function createSettler(db: Db, config: Config, now: () => Date = () => new Date()): CallSettler {
  return createCallSettler(db, { now, afterEnd: deliveriesOnEnd(config, now) });
}

/**
 * What every ended intake gets, inside the transaction that settles it: the post to the firm's Zapier hook (the
 * firm's zapier hookUrl, else ZAPIER_HOOK_URL; nothing without a hook), for an intake a crash interrupted, which
 * never reached the flow's own delivery steps, a lead to the firm's Clio when it left a callback number, and the
 * caller's text with the next step (caller-text.ts).
 */
function deliveriesOnEnd(config: Config, now: () => Date): NonNullable<IntakeStoreOptions['afterEnd']> {
  return async (trx, intake) => {
    // Read through the transaction: SQLite has one connection, and the transaction holds it.
    const row = intake.tenantId === null ? undefined : ((await trx('integration_credentials').where({ tenant_id: intake.tenantId, provider: 'zapier' }).first('meta')) as { meta: unknown } | undefined);
    const meta = row ? rowJson<Record<string, unknown>>(row.meta, {}) : null;
    const hook = (typeof meta?.hookUrl === 'string' && meta.hookUrl) || config.zapierHookUrl;
    if (hook) await enqueue(trx, { tenantId: intake.tenantId, intakeId: intake.id, callSid: intake.callSid, action: 'webhook', args: { event: 'intake' }, idempotencyKey: `${intake.callSid}:intake-ended` }, now());
    if (intake.outcome === 'interrupted') await clioLead(trx, intake, now());
    await queueCallerText(trx, intake, now());
  };
}

/**
 * A partial intake with a callback number is a lead: queued to the firm's Clio (Manage or the Grow inbox, as the
 * delivery handler chooses) unless the flow already queued its own Clio delivery. Manage makes a contact, which needs
 * a name; the Grow inbox takes a lead with a number alone.
 */
async function clioLead(trx: Knex.Transaction, intake: StoredIntake, at: Date): Promise<void> {
  if (intake.tenantId === null || !intake.callbackPhone) return;
  const rows = (await trx('integration_credentials').where({ tenant_id: intake.tenantId }).whereIn('provider', ['clio', 'clio_grow']).select('provider', 'meta')) as { provider: string; meta: unknown }[];
  const manage = rows.find((r) => r.provider === 'clio');
  const grow = rows.some((r) => r.provider === 'clio_grow') && (!manage || rowJson<Record<string, unknown>>(manage.meta, {}).target === 'grow');
  if (rows.length === 0 || (!grow && !intake.callerName)) return;
  if (await trx('outbox').where({ call_sid: intake.callSid, action: 'clio.create_intake' }).first('id')) return;
  await enqueue(
    trx,
    { tenantId: intake.tenantId, intakeId: intake.id, callSid: intake.callSid, action: 'clio.create_intake', args: { intake: intake.slots, reason: 'call interrupted' }, idempotencyKey: `${intake.callSid}:interrupted-lead` },
    at,
  );
}

export interface EffectRunnerOptions {
  db: Db;
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Shared with the worker when both run in one process (one Clio request budget). */
  clio?: ClioAccess;
  conflictDeadlineMs?: number;
}

export function createEffectRunner(o: EffectRunnerOptions): EffectRunner {
  const clock = o.clock ?? systemClock;
  const clio = o.clio ?? createClioAccess({ cfg: o.config, creds: createCredentialStore(o.db, o.config.encryptionKey, () => clock.now()), clock, budget: sharedLimitsFor(o.db)?.budget });
  return runner({
    db: o.db,
    log: o.log,
    now: () => clock.now(),
    conflictDeadlineMs: o.conflictDeadlineMs ?? DEFAULT_CONFLICT_DEADLINE_MS,
    conflictCheck: (tenantId, q, signal) => clioConflictCheck(clio.client(tenantId), q, signal),
  });
}

export interface OutboxWorkerDeps extends DeliveryDeps {
  metrics?: Metrics;
  settings?: OutboxWorkerOptions['settings'];
  /** How often LawPay events are polled for payments (when LAWPAY_SECRET_KEY is set); 0 turns polling off. */
  lawpayPollMs?: number;
  /** Twilio recordings (the purge deletes expired ones there); default: Twilio from the config. */
  recordings?: TwilioRecordings;
}

/** How often the retention purge runs (firms' retention periods are in days, so hourly is soon enough). */
export const RETENTION_PURGE_EVERY_MS = 60 * 60_000;

/**
 * Last resort: a call older than this whose intake is still partial slipped past the interrupted-call settle
 * (intake/settle.ts, minutes after a crash) too: it is abandoned.
 */
export const STALE_CALL_MS = 4 * 3600_000;
const STALE_SWEEP_EVERY_MS = 10 * 60_000;

/** One retention purge (the worker runs it every RETENTION_PURGE_EVERY_MS; `hermes worker --once` runs it once). */
export function runRetentionPurge(d: { db: Db; config: Config; clock?: Clock; recordings?: TwilioRecordings }): Promise<PurgeReport> {
  const recordings = d.recordings ?? createTwilioRecordings(d.config);
  return purgeExpired(d.db, (sid) => recordings.remove(sid), (d.clock ?? systemClock).now());
}

/** Builds the worker without starting it (tests drive runOnce()). */
export function createWorker(d: OutboxWorkerDeps): OutboxWorker {
  const clock = d.clock ?? systemClock;
  const lawpay = d.lawpay ?? createLawPayClient(d.config, clock);
  const intakes = createIntakeStore(d.db, { now: () => clock.now() });
  const pollMs = d.lawpayPollMs ?? 5 * 60_000;
  const sweeper = createIntakeStore(d.db, { now: () => clock.now(), afterEnd: deliveriesOnEnd(d.config, () => clock.now()) });
  const recordings = d.recordings ?? createTwilioRecordings(d.config);
  return createOutboxWorker({
    db: d.db,
    log: d.log,
    clock,
    handlers: createDeliveryHandlers({ ...d, lawpay }),
    ...(d.metrics ? { metrics: d.metrics } : {}),
    ...(d.settings ? { settings: d.settings } : {}),
    periodic: [
      { name: 'stale-intakes', everyMs: STALE_SWEEP_EVERY_MS, run: async () => void (await sweeper.abandonStale(new Date(clock.now().getTime() - STALE_CALL_MS))) },
      {
        name: 'retention-purge',
        everyMs: RETENTION_PURGE_EVERY_MS,
        run: async () => {
          const r = await runRetentionPurge({ db: d.db, config: d.config, clock, recordings });
          if (r.transcripts + r.recordings + r.intakes + r.failed > 0) d.log.info(r, 'retention purge');
        },
      },
      ...(d.config.lawpaySecretKey && pollMs > 0 ? [{ name: 'lawpay-events', everyMs: pollMs, run: (signal: AbortSignal) => pollPaymentEvents(lawpay, intakes, clock, d.log, { signal }).then(() => undefined) }] : []),
    ],
  });
}

export function startOutboxWorker(d: OutboxWorkerDeps): OutboxWorker {
  const w = createWorker(d);
  w.start();
  return w;
}

export interface RecordsServices {
  recorder: IntakeRecorder;
  effects: EffectRunner;
  /** Not started: call start() when IN_PROCESS_WORKER is on, and stop() at shutdown. */
  worker: OutboxWorker;
  /** Settles calls a crash interrupted (the status callback uses it too). */
  settler: CallSettler;
  /**
   * The sweep of interrupted calls (not started: every serving instance calls start(); it runs at once, then every
   * INTERRUPTED_SWEEP_MS). `holding` names the calls this instance has live sessions for.
   */
  settleSweep(holding?: SettleSweepOptions['holding']): SettleSweep;
}

/**
 * Everything the call path needs from the records side, sharing one Clio access (one request budget per token for
 * the live conflict check and the deliveries).
 */
export function createRecordsServices(d: { db: Db; config: Config; log: Logger; metrics?: Metrics; clock?: Clock }): RecordsServices {
  const clock = d.clock ?? systemClock;
  const creds = createCredentialStore(d.db, d.config.encryptionKey, () => clock.now());
  const clio = createClioAccess({ cfg: d.config, creds, clock, budget: sharedLimitsFor(d.db)?.budget });
  const settler = createSettler(d.db, d.config, () => clock.now());
  return {
    settler,
    settleSweep: (holding) => createSettleSweep({ settler, log: d.log, clock, everyMs: d.config.interruptedSweepMs, afterMs: d.config.interruptedAfterMs, ...(holding ? { holding } : {}) }),
    recorder: createIntakeRecorder(d.db, { config: d.config, now: () => clock.now() }),
    effects: createEffectRunner({ db: d.db, config: d.config, log: d.log, clock, clio }),
    worker: createWorker({ db: d.db, config: d.config, log: d.log, clock, clio, creds, ...(d.metrics ? { metrics: d.metrics } : {}) }),
  };
}
