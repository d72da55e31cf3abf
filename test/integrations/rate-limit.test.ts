import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/integrations/clock.js';
import { DeliveryError } from '../../src/integrations/errors.js';
import { RateLimiter } from '../../src/integrations/rate-limit.js';
import { createEffectRunner } from '../../src/integrations/effect-runner.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { countByStatus } from '../../src/integrations/outbox/store.js';
import { silentLogger } from '../../src/observability/logger.js';
import { clioWorld, type ClioWorld } from './clio-world.js';
import { drain, seedCall } from './helpers.js';

describe('client-side request budget', () => {
  it('lets 45 requests a minute through, waits briefly for the next, and hands a long wait back as Retry-After', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter('clio', clock, { limit: 45, windowMs: 60_000, maxWaitMs: 5_000 });
    for (let i = 0; i < 45; i++) await limiter.acquire('t1');
    const start = clock.now().getTime();
    const err = await limiter.acquire('t1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryAfterMs).toBe(60_000);
    // Another token has its own budget.
    await limiter.acquire('t2');
    clock.advance(56_000);
    await limiter.acquire('t1');
    // It waited the last 4 s on the clock instead of failing.
    expect(clock.now().getTime() - start).toBe(60_000);
  });
});

describe('Clio deliveries in a burst', () => {
  let w: ClioWorld;
  beforeAll(async () => {
    w = await clioWorld('sqlite');
  });
  afterAll(async () => w?.close());

  it('stay under Clio\'s 50 requests per minute: 25 intakes delivered without a single 429', async () => {
    const store = createIntakeStore(w.t.db, { now: () => w.clock.now() });
    const runner = createEffectRunner({ db: w.t.db, log: silentLogger(), now: () => w.clock.now(), conflictCheck: async () => ({ status: 'clear', matches: [] }) });
    for (let i = 0; i < 25; i++) {
      const callSid = await seedCall(w.t.db, w.tenantId);
      const slots = { caller_name: `Caller Number${i}`, callback_phone: `+1312555${String(1000 + i)}`, practice_area: 'family' };
      for (const [k, v] of Object.entries(slots)) await store.slot(callSid, k, v, true);
      await runner.run({ type: 'effect', id: 'e1', action: 'clio.create_intake', args: {} }, { callSid, tenantId: w.tenantId, slots });
    }
    const used = await drain(w.t.db, w.worker, w.clock);
    expect(await countByStatus(w.t.db)).toMatchObject({ delivered: 25, dead: 0 });
    expect(w.clio.contacts).toHaveLength(25);
    expect(w.clio.rateLimited).toBe(0);
    const apiCalls = w.clio.requests.filter((r) => r.path.startsWith('/api/v4/')).length;
    expect(apiCalls).toBe(25 * 4 + 1); // contact, matter, note, call log each; the practice area is looked up once
    expect(used).toBeGreaterThanOrEqual(60_000); // 101 requests at 45 a minute cannot all happen in the first minute
  });
});
