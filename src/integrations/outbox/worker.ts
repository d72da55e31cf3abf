// Delivers outbox rows: claims a batch, runs each row's handler under a deadline, and settles it (delivered, retried
// later with backoff and Retry-After, or dead with the reason). Runs in the server by default or alone as
// `hermes worker`; several workers may share a PostgreSQL database. All time comes from the injected clock.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Db } from '../../db/knex.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { systemClock, type Clock } from '../clock.js';
import { DeliveryError } from '../errors.js';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffSettings } from './backoff.js';
import { claim, countByStatus, markDelivered, markFailed, saveProgress, type OutboxRow } from './store.js';

export interface DeliveryContext {
  row: OutboxRow;
  /** Remote ids recorded so far (this attempt's own copy; `save` persists it). */
  progress: Record<string, unknown>;
  /** Merges into progress and writes it at once, before the next remote step. */
  save(patch: Record<string, unknown>): Promise<void>;
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
}

/** Delivers one row; throws DeliveryError (or anything: retryable) on failure. */
export type DeliveryHandler = (ctx: DeliveryContext) => Promise<void>;
export type DeliveryHandlers = Record<string, DeliveryHandler>;

export const WORKER_SETTINGS = {
  /** Rows claimed per round. */
  batchSize: 20,
  /** Rows delivered at once within a round. */
  concurrency: 4,
  /** An in-flight row whose worker has been silent this long is taken over (the worker died). */
  leaseMs: 5 * 60_000,
  /** One delivery attempt may take this long before it is abandoned and retried. */
  attemptTimeoutMs: 60_000,
  /** Idle wait between rounds when nothing was due. */
  pollMs: 1_000,
} as const satisfies WorkerSettings;

export interface WorkerSettings {
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  attemptTimeoutMs: number;
  pollMs: number;
}

export interface OutboxWorkerOptions {
  db: Db;
  handlers: DeliveryHandlers;
  log: Logger;
  metrics?: Metrics;
  clock?: Clock;
  workerId?: string;
  backoff?: BackoffSettings;
  random?: () => number;
  settings?: Partial<WorkerSettings>;
  /** Jobs run every `everyMs` beside delivery (LawPay events polling). Failures are logged, never fatal. */
  periodic?: { name: string; everyMs: number; run: (signal: AbortSignal) => Promise<void> }[];
}

export interface RoundResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

export interface OutboxWorker {
  readonly id: string;
  /** One round: claim due rows and deliver them. */
  runOnce(): Promise<RoundResult>;
  /** Runs rounds until stop(). */
  start(): void;
  /** Finishes the round in progress and stops. */
  stop(): Promise<void>;
}

export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const clock = o.clock ?? systemClock;
  const set: WorkerSettings = { ...WORKER_SETTINGS, ...o.settings };
  const id = (o.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`).slice(0, 80);
  const log = o.log.child({ component: 'outbox', worker: id });
  let claims = 0;
  let running: Promise<void> | null = null;
  let stopper = new AbortController();

  async function deliver(row: OutboxRow, token: string): Promise<'delivered' | 'retried' | 'dead'> {
    const progress = { ...row.progress };
    const attemptAbort = new AbortController();
    const timer = setTimeout(() => attemptAbort.abort(new Error('attempt timed out')), set.attemptTimeoutMs);
    const rlog = log.child({ outboxId: row.id, action: row.action, attempt: row.attempts });
    const ctx: DeliveryContext = {
      row,
      progress,
      save: async (patch) => {
        Object.assign(progress, patch);
        if (!(await saveProgress(o.db, row.id, token, progress))) throw new Error('lost the claim on this row (taken over by another worker)');
      },
      // Not tied to stop(): a stopping worker lets the deliveries it started finish (or time out) and settles them.
      signal: attemptAbort.signal,
      clock,
      log: rlog,
    };
    try {
      const handler = o.handlers[row.action];
      if (!handler) throw new DeliveryError('outbox', `no handler for action "${row.action}"`, { retryable: false });
      await handler(ctx);
      await markDelivered(o.db, row.id, token, progress, clock.now());
      o.metrics?.outboxDeliveries.inc({ action: row.action, result: 'delivered' });
      rlog.info('delivered');
      return 'delivered';
    } catch (err) {
      const e = err as Error;
      const de = err instanceof DeliveryError ? err : null;
      const retryable = de ? de.retryable : true;
      const exhausted = row.attempts >= row.maxAttempts;
      const retryAt = retryable && !exhausted ? new Date(clock.now().getTime() + retryDelayMs(row.attempts, de?.retryAfterMs ?? null, o.backoff ?? DEFAULT_BACKOFF, o.random)) : null;
      const reason = retryAt ? e.message : `${e.message}${retryable ? ` (gave up after ${row.attempts} attempts)` : ' (not retryable)'}`;
      await markFailed(o.db, row.id, token, progress, reason, retryAt);
      o.metrics?.outboxDeliveries.inc({ action: row.action, result: retryAt ? 'retry' : 'dead' });
      if (retryAt) rlog.warn({ err: e.message, retryAt: retryAt.toISOString() }, 'delivery failed, will retry');
      else rlog.error({ err: e.message }, 'delivery failed, dead letter');
      return retryAt ? 'retried' : 'dead';
    } finally {
      clearTimeout(timer);
    }
  }

  async function runOnce(): Promise<RoundResult> {
    const token = `${id}#${++claims}`;
    const rows = await claim(o.db, { token, now: clock.now(), limit: set.batchSize, leaseMs: set.leaseMs });
    const result: RoundResult = { claimed: rows.length, delivered: 0, retried: 0, dead: 0 };
    const limit = pLimit(set.concurrency);
    const outcomes = await Promise.all(rows.map((r) => limit(() => deliver(r, token))));
    for (const x of outcomes) result[x]++;
    return result;
  }

  async function loop(): Promise<void> {
    const lastRun = new Map<string, number>();
    let lastGauge = 0;
    while (!stopper.signal.aborted) {
      let claimed = 0;
      try {
        claimed = (await runOnce()).claimed;
        const now = clock.now().getTime();
        for (const job of o.periodic ?? []) {
          if (now - (lastRun.get(job.name) ?? 0) < job.everyMs) continue;
          lastRun.set(job.name, now);
          await job.run(stopper.signal).catch((err: Error) => log.warn({ job: job.name, err: err.message }, 'periodic job failed'));
        }
        if (o.metrics && now - lastGauge > 15_000) {
          lastGauge = now;
          o.metrics.outboxPending.set((await countByStatus(o.db)).pending);
        }
      } catch (err) {
        // The database may be briefly unreachable (restart, failover): keep the worker alive and try again.
        log.error({ err: (err as Error).message }, 'outbox round failed');
      }
      if (claimed === 0) await clock.sleep(set.pollMs, stopper.signal).catch(() => undefined);
    }
  }

  return {
    id,
    runOnce,
    start() {
      if (running) return;
      if (stopper.signal.aborted) stopper = new AbortController();
      log.info('outbox worker started');
      running = loop();
    },
    async stop() {
      stopper.abort(new Error('worker stopping'));
      await running;
      running = null;
    },
  };
}
