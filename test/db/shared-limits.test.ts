// Limits several instances must agree on, in the shared database: a fixed-window counter (the admin API's rate
// limits) and a sliding budget (Clio's requests per firm), correct under concurrent use; and on PostgreSQL two app
// instances count one client's logins together, wherever they land.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createSharedBudget, createSharedCounters, sharedLimitsFor } from '../../src/db/shared-limits.js';
import { RateLimiter } from '../../src/integrations/rate-limit.js';
import { DeliveryError } from '../../src/integrations/errors.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.js';

describeEachDb('shared limits on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => t?.destroy());

  it('counts hits per window and starts a new window once it is over', async () => {
    const c = createSharedCounters(t.db);
    const now = 1_800_000_000_000;
    const hits = await Promise.all(Array.from({ length: 5 }, () => c.hit('login:203.0.113.7', 60_000, now)));
    expect(hits.map((h) => h.count).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(hits.every((h) => h.ttlMs === 60_000)).toBe(true);
    expect(await c.hit('login:203.0.113.7', 60_000, now + 30_000)).toEqual({ count: 6, ttlMs: 30_000 });
    expect(await c.hit('login:198.51.100.1', 60_000, now + 30_000)).toEqual({ count: 1, ttlMs: 60_000 });
    expect(await c.hit('login:203.0.113.7', 60_000, now + 60_000)).toEqual({ count: 1, ttlMs: 60_000 });
  });

  it('hands out a budget of requests per sliding window once, however many take at once', async () => {
    const b = createSharedBudget(t.db);
    const now = 1_800_000_000_000;
    const waits = await Promise.all(Array.from({ length: 6 }, (_, i) => b.take('clio:7', 4, 60_000, now + i)));
    expect(waits.filter((w) => w === 0)).toHaveLength(4);
    // The takes run in any order under the lock, each with its own clock (now + i): a later clock may already be in
    // the window when an earlier one asks, so a wait can exceed the window by those few milliseconds.
    expect(waits.filter((w) => w > 0).every((w) => w > 59_000 && w <= 60_005), JSON.stringify(waits)).toBe(true);
    expect(await b.take('clio:8', 4, 60_000, now)).toBe(0); // another firm has its own budget
    expect(await b.take('clio:7', 4, 60_000, now + 60_001)).toBe(0); // the oldest request left the window
  });

  it('two limiters on one budget (two instances) never send more than the budget together', async () => {
    const clock = { now: () => new Date(1_900_000_000_000), sleep: async () => undefined };
    const budget = createSharedBudget(t.db);
    const settings = { limit: 3, windowMs: 60_000, maxWaitMs: 5_000 };
    const a = new RateLimiter('clio', clock, settings, budget);
    const b = new RateLimiter('clio', clock, settings, budget);
    const results = await Promise.allSettled([a, b, a, b, a].map((l) => l.acquire('firm-1')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DeliveryError);
  });

  it(kind === 'postgres' ? 'two app instances count one client\'s logins together' : 'one SQLite process keeps its limits in memory', async () => {
    expect(sharedLimitsFor(t.db) === null).toBe(kind === 'sqlite');
    if (kind === 'sqlite') return;
    const apps = await Promise.all([0, 1].map(async () => {
      const config = loadConfig({}, { databaseUrl: t.url, jwtSecret: 'shared-limits-test-jwt-secret-32-chars!!', logLevel: 'silent' });
      const app = await buildApp({ config, log: silentLogger(), metrics: createMetrics({ defaultMetrics: false }), db: t.db });
      await app.ready();
      return app;
    }));
    try {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await apps[i % 2]!.inject({ method: 'POST', url: '/auth/login', payload: { email: 'nobody@example.com', password: 'wrong password!!' }, remoteAddress: '192.0.2.44' });
        codes.push(res.statusCode);
      }
      // 10 a minute per address (LOGIN_RATE_LIMIT), across both instances: not 10 on each.
      expect(codes.filter((c) => c === 401)).toHaveLength(10);
      expect(codes.slice(10)).toEqual([429, 429]);
    } finally {
      await Promise.all(apps.map((a) => a.close()));
    }
  });
});
