import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createServices, type Services } from '../src/services.js';
import { storedFlowRef } from '../src/api/stored-flows.js';
import { createTestDb, type TestDb } from './helpers/db.js';

describe('composition root', () => {
  let t: TestDb;
  let services: Services | undefined;
  afterAll(async () => {
    await services?.close();
    await t?.destroy();
  });

  it('loads a flow uploaded through the admin API when a number is mapped to its stored reference', async () => {
    t = await createTestDb('sqlite');
    const [tenant] = await t.db('tenants').insert({ name: 'Lee Law', slug: 'lee' }).returning('id');
    const tenantId = typeof tenant === 'object' ? (tenant as { id: number }).id : (tenant as number);
    const yaml = await readFile('flows/intake.yaml', 'utf8');
    await t.db('flow_versions').insert({ tenant_id: tenantId, flow_id: 'intake', version: '7', yaml, active: true });
    const config = loadConfig({}, { databaseUrl: t.url, inProcessWorker: false, promptCacheDir: `${t.url.slice(9)}-prompts` });
    services = createServices({ config, log: silentLogger(), metrics: createMetrics({ defaultMetrics: false }), db: t.db });
    const ref = storedFlowRef({ tenantId, flowId: 'intake', version: '7' });
    const flow = await services.flows.get(ref);
    expect(flow.fixedPrompts().length).toBeGreaterThan(0);
    await expect(services.flows.get(storedFlowRef({ tenantId, flowId: 'intake', version: '8' }))).rejects.toThrow(/does not exist/);
  });
});
