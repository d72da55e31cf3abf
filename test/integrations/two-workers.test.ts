import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { ManualClock } from '../../src/integrations/clock.js';
import { countByStatus } from '../../src/integrations/outbox/store.js';
import { createOutboxWorker, type DeliveryHandler } from '../../src/integrations/outbox/worker.js';
import { silentLogger } from '../../src/observability/logger.js';

const ROWS = 1000;

describeEachDb('two workers on %s', (kind) => {
  let t: TestDb;
  let second: Db;
  beforeAll(async () => {
    t = await createTestDb(kind);
    // The second worker has its own connection pool, as a second `hermes worker` process would.
    second = createDb(t.url);
    const now = new Date('2026-01-05T15:00:00Z');
    const rows = Array.from({ length: ROWS }, (_, i) => ({ action: 'count', args: JSON.stringify({ i }), progress: '{}', idempotency_key: `CA-load:${i}`, status: 'pending', attempts: 0, next_attempt_at: now, created_at: now }));
    for (let i = 0; i < rows.length; i += 100) await t.db('outbox').insert(rows.slice(i, i + 100));
  });
  afterAll(async () => {
    await second?.destroy();
    await t?.destroy();
  });

  it(`drain ${ROWS} outbox rows together and deliver each exactly once`, async () => {
    const clock = new ManualClock(new Date('2026-01-05T15:00:01Z'));
    const deliveries = new Map<string, string[]>();
    const handler = (name: string): DeliveryHandler => async (ctx) => {
      // Yield so the two workers' rounds interleave.
      await new Promise((r) => setImmediate(r));
      deliveries.set(ctx.row.idempotencyKey, [...(deliveries.get(ctx.row.idempotencyKey) ?? []), name]);
    };
    const log = silentLogger();
    const a = createOutboxWorker({ db: t.db, log, clock, workerId: 'worker-a', handlers: { count: handler('a') }, settings: { batchSize: 10 } });
    const b = createOutboxWorker({ db: second, log, clock, workerId: 'worker-b', handlers: { count: handler('b') }, settings: { batchSize: 10 } });
    const run = async (w: typeof a) => {
      let claimed = 0;
      for (;;) {
        const r = await w.runOnce();
        if (r.claimed === 0) return claimed;
        claimed += r.claimed;
      }
    };
    const [byA, byB] = await Promise.all([run(a), run(b)]);
    expect(byA + byB).toBe(ROWS);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    expect(deliveries.size).toBe(ROWS);
    expect([...deliveries.values()].filter((who) => who.length !== 1)).toEqual([]);
    expect(await countByStatus(t.db)).toEqual({ pending: 0, in_flight: 0, delivered: ROWS, dead: 0 });
    const attempts = (await t.db('outbox').max({ m: 'attempts' }).first()) as { m: number | string };
    expect(Number(attempts.m)).toBe(1);
  });
});
