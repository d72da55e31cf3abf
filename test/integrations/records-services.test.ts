import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createRecordsServices } from '../../src/integrations/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { ZapierFake } from '../fakes/zapier-server.js';
import { seedCall, seedTenant, testConfig } from './helpers.js';

describe('records services as the server wires them', () => {
  let t: TestDb;
  let zapier: ZapierFake;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    zapier = new ZapierFake();
    await zapier.start();
  });
  afterAll(async () => {
    await zapier?.stop();
    await t?.destroy();
  });

  it('record a call, queue its Zapier post at the end, deliver it on the real clock, and sweep up a call lost in a crash', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const s = createRecordsServices({ db: t.db, config: testConfig({ zapierHookUrl: zapier.hookUrl }), log: silentLogger(), metrics });
    const tenantId = await seedTenant(t.db);
    const callSid = await seedCall(t.db, tenantId);
    await s.recorder.slot(callSid, 'caller_name', 'Ann Lee', true);
    await s.recorder.end(callSid, 'completed', { caller_name: 'Ann Lee' });
    s.worker.start();
    for (let i = 0; i < 100 && zapier.posts.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await s.worker.stop();
    expect(zapier.posts).toHaveLength(1);
    expect(zapier.posts[0]).toMatchObject({ event: 'intake', intake: { call_sid: callSid, status: 'complete' } });
    expect(await metrics.registry.getSingleMetricAsString('hermes_outbox_deliveries_total')).toContain('hermes_outbox_deliveries_total{action="webhook",result="delivered"} 1');
    // A call the server lost (crash) hours ago: the worker's sweep abandons its intake and posts it too.
    const lost = await seedCall(t.db, tenantId, undefined, new Date(Date.now() - 5 * 3600_000));
    await s.recorder.slot(lost, 'caller_name', 'Lee Lost', false);
    s.worker.start();
    for (let i = 0; i < 100 && zapier.posts.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await s.worker.stop();
    expect(zapier.posts[1]).toMatchObject({ event: 'intake', intake: { call_sid: lost, status: 'abandoned', caller_name: 'Lee Lost' } });
    // Conflict check without a Clio connection answers ok:false (the flow routes to staff) rather than throwing.
    const r = await s.effects.run({ type: 'effect', id: 'e1', action: 'clio.conflict_check', args: { caller_name: 'Ann Lee' } }, { callSid, tenantId, slots: {} });
    expect(r.ok).toBe(false);
  });
});
