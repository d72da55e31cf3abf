// /ready stays honest while `serve` finishes start-up work after listening: 503 naming each running task, 200 once
// every task has settled (a failed one included: its handler logs it and the server runs on without it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { StartupTasks } from '../../src/observability/startup.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('readiness during start-up', () => {
  let tdb: TestDb;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const startup = new StartupTasks();
  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    const config = loadConfig({}, { databaseUrl: tdb.url });
    app = await buildApp({ config, log: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), db: tdb.db, startup });
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('answers /health at once, and /ready 503 naming the default-flow load until it settles, even when it fails', async () => {
    const flow = deferred();
    const prompts = deferred();
    void startup.track('default flow', flow.promise);
    void startup.track('prompt warm-up', prompts.promise).catch(() => undefined);
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    let ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not-ready', reason: 'starting', pending: ['default flow', 'prompt warm-up'] });

    flow.resolve();
    await flow.promise;
    ready = await app.inject({ url: '/ready' });
    expect(ready.json()).toMatchObject({ pending: ['prompt warm-up'] });

    prompts.reject(new Error('provider down'));
    await prompts.promise.catch(() => undefined);
    ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });
});
