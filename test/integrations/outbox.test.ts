import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { firmDb } from '../helpers/firm-db.js';
import { ManualClock } from '../../src/integrations/clock.js';
import { DeliveryError } from '../../src/integrations/errors.js';
import { claim, countByStatus, enqueue, markDelivered, retryRow } from '../../src/integrations/outbox/store.js';
import { createOutboxWorker, type DeliveryHandler } from '../../src/integrations/outbox/worker.js';
import { retryDelayMs, DEFAULT_BACKOFF } from '../../src/integrations/outbox/backoff.js';
import { silentLogger } from '../../src/observability/logger.js';

const log = silentLogger();

describe('backoff', () => {
  it('grows exponentially with jitter between half and all of the step, capped, and never under Retry-After', () => {
    expect(retryDelayMs(1, null, DEFAULT_BACKOFF, () => 0)).toBe(5_000);
    expect(retryDelayMs(1, null, DEFAULT_BACKOFF, () => 0.999999)).toBe(10_000);
    expect(retryDelayMs(4, null, DEFAULT_BACKOFF, () => 0)).toBe(40_000);
    expect(retryDelayMs(30, null, DEFAULT_BACKOFF, () => 1)).toBe(30 * 60_000);
    expect(retryDelayMs(1, 120_000, DEFAULT_BACKOFF, () => 0.5)).toBe(120_000);
    // A server asking for a week is held to the ceiling.
    expect(retryDelayMs(1, 7 * 24 * 3600_000, DEFAULT_BACKOFF, () => 0)).toBe(DEFAULT_BACKOFF.maxRetryAfterMs);
    // An hour of failures does not use up the default 12 attempts even with the shortest jitter.
    let total = 0;
    for (let a = 1; a <= 11; a++) total += retryDelayMs(a, null, DEFAULT_BACKOFF, () => 0);
    expect(total).toBeGreaterThan(3600_000);
  });
});

describeEachDb('outbox on %s', (kind) => {
  const t = firmDb(kind);
  beforeEach(async () => {
    await t.db('outbox').delete();
  });

  const row = (key: string, action = 'test.action', maxAttempts?: number) => ({ tenantId: t.tenantId, intakeId: null, callSid: 'CA1', action, args: { n: key }, idempotencyKey: key, ...(maxAttempts ? { maxAttempts } : {}) });

  it('writes one row per idempotency key, however often an effect is replayed', async () => {
    const clock = new ManualClock();
    const a = await enqueue(t.db, row('CA1:e1'), clock.now());
    const b = await enqueue(t.db, row('CA1:e1'), clock.now());
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    expect((await countByStatus(t.db)).pending).toBe(1);
  });

  it('claims only due rows, once, and counts the attempt at the claim', async () => {
    const clock = new ManualClock();
    await enqueue(t.db, row('k1'), clock.now());
    await enqueue(t.db, row('k2'), new Date(clock.now().getTime() + 60_000));
    const got = await claim(t.db, { token: 'w1#1', now: clock.now(), limit: 10, leaseMs: 300_000 });
    expect(got.map((r) => r.idempotencyKey)).toEqual(['k1']);
    expect(got[0]).toMatchObject({ status: 'in_flight', attempts: 1, lockedBy: 'w1#1', args: { n: 'k1' } });
    expect(await claim(t.db, { token: 'w2#1', now: clock.now(), limit: 10, leaseMs: 300_000 })).toEqual([]);
    clock.advance(60_000);
    expect((await claim(t.db, { token: 'w2#2', now: clock.now(), limit: 10, leaseMs: 300_000 })).map((r) => r.idempotencyKey)).toEqual(['k2']);
  });

  it('takes over a row whose worker died, and the dead worker can no longer settle it', async () => {
    const clock = new ManualClock();
    const { id } = await enqueue(t.db, row('k-lease'), clock.now());
    await claim(t.db, { token: 'dead#1', now: clock.now(), limit: 10, leaseMs: 300_000 });
    clock.advance(299_000);
    expect(await claim(t.db, { token: 'live#1', now: clock.now(), limit: 10, leaseMs: 300_000 })).toEqual([]);
    clock.advance(2_000);
    const [taken] = await claim(t.db, { token: 'live#2', now: clock.now(), limit: 10, leaseMs: 300_000 });
    expect(taken).toMatchObject({ id, attempts: 2 });
    expect(await markDelivered(t.db, id, 'dead#1', {}, clock.now())).toBe(false);
    expect(await markDelivered(t.db, id, 'live#2', {}, clock.now())).toBe(true);
  });

  it('retries a failure later with backoff, honours Retry-After, then delivers', async () => {
    const clock = new ManualClock();
    const failures: DeliveryError[] = [new DeliveryError('x', 'boom', { retryable: true }), new DeliveryError('x', 'slow down', { retryable: true, retryAfterMs: 600_000 })];
    let calls = 0;
    const handler: DeliveryHandler = async () => {
      calls++;
      const f = failures.shift();
      if (f) throw f;
    };
    const w = createOutboxWorker({ db: t.db, handlers: { 'test.action': handler }, log, clock, random: () => 0 });
    const { id } = await enqueue(t.db, row('k-retry'), clock.now());
    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let r = (await t.db('outbox').where({ id }).first()) as Record<string, unknown>;
    expect(r.status).toBe('pending');
    expect(r.last_error).toBe('x: boom');
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(5_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    // Retry-After 10 min beats the 10 s backoff step.
    clock.advance(599_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    r = (await t.db('outbox').where({ id }).first()) as Record<string, unknown>;
    expect(r).toMatchObject({ status: 'delivered', last_error: null });
    expect(Number(r.attempts)).toBe(3);
    expect(calls).toBe(3);
  });

  it('buries a row after its last attempt with the reason, and a retry gives it a fresh budget', async () => {
    const clock = new ManualClock();
    let fail = true;
    const w = createOutboxWorker({
      db: t.db, log, clock, random: () => 0,
      handlers: { 'test.action': async () => { if (fail) throw new Error('Clio is down'); } },
    });
    const { id } = await enqueue(t.db, row('k-dead', 'test.action', 3), clock.now());
    for (let i = 0; i < 3; i++) {
      await w.runOnce();
      clock.advance(3600_000);
    }
    const dead = (await t.db('outbox').where({ id }).first()) as Record<string, unknown>;
    expect(dead.status).toBe('dead');
    expect(dead.last_error).toBe('Clio is down (gave up after 3 attempts)');
    fail = false;
    const again = await retryRow(t.db, id, clock.now());
    expect(again).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await w.runOnce()).toMatchObject({ delivered: 1 });
    await expect(retryRow(t.db, id, clock.now())).rejects.toThrow(/delivered; only pending or dead/);
  });

  it('sends a permanent error straight to the dead letters, and an unknown action too', async () => {
    const clock = new ManualClock();
    const w = createOutboxWorker({
      db: t.db, log, clock,
      handlers: { 'test.action': async () => { throw new DeliveryError('clio', 'rejected with 422: description is required', { retryable: false }); } },
    });
    const a = await enqueue(t.db, row('k-422'), clock.now());
    const b = await enqueue(t.db, row('k-unknown', 'nobody.handles'), clock.now());
    expect(await w.runOnce()).toMatchObject({ claimed: 2, dead: 2 });
    const rows = (await t.db('outbox').whereIn('id', [a.id, b.id]).orderBy('id')) as Record<string, unknown>[];
    expect(rows.map((r) => r.last_error)).toEqual(['clio: rejected with 422: description is required (not retryable)', 'outbox: no handler for action "nobody.handles" (not retryable)']);
  });

  it('keeps the progress a failed attempt recorded, so the next attempt resumes after it', async () => {
    const clock = new ManualClock();
    const seen: Record<string, unknown>[] = [];
    let first = true;
    const w = createOutboxWorker({
      db: t.db, log, clock, random: () => 0,
      handlers: {
        'test.action': async (ctx) => {
          seen.push({ ...ctx.progress });
          if (!ctx.progress.step1) await ctx.save({ step1: 41 });
          if (first) {
            first = false;
            throw new Error('step 2 failed');
          }
          await ctx.save({ step2: 42 });
        },
      },
    });
    const { id } = await enqueue(t.db, row('k-progress'), clock.now());
    await w.runOnce();
    clock.advance(60_000);
    await w.runOnce();
    expect(seen).toEqual([{}, { step1: 41 }]);
    expect(JSON.parse(String(((await t.db('outbox').where({ id }).first()) as Record<string, unknown>).progress))).toEqual({ step1: 41, step2: 42 });
  });
});
