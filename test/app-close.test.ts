// Closing the server does not wait on a keep-alive connection whose request was in flight when close() began: Node
// closes idle connections only at the start of close(), so without `Connection: close` on that response the socket
// stayed open for keepAliveTimeout (72 s in Fastify) after it (seen as a relay warm-transfer test's teardown hanging).
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMetrics } from '../src/observability/metrics.js';
import { silentLogger } from '../src/observability/logger.js';
import { createTestDb, type TestDb } from './helpers/db.js';

let tdb: TestDb | undefined;
const agent = new Agent({ keepAlive: true });
afterAll(async () => {
  agent.destroy();
  await tdb?.destroy();
});

it('a response finished while the server closes ends its keep-alive connection, so close() does not wait for it', async () => {
  tdb = await createTestDb('sqlite');
  const app = await buildApp({ config: loadConfig({}, { databaseUrl: tdb.url, logLevel: 'silent' }), log: silentLogger(), metrics: createMetrics({ defaultMetrics: false }), db: tdb.db });
  let started!: () => void;
  const inFlight = new Promise<void>((r) => (started = r));
  app.get('/slow', async () => {
    started();
    await new Promise((r) => setTimeout(r, 300));
    return 'done';
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const response = new Promise<{ connection: string | undefined; body: string }>((ok, fail) => {
    request({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => ok({ connection: res.headers.connection, body }));
    }).on('error', fail).end();
  });
  await inFlight;
  const t0 = Date.now();
  await app.close();
  const closeMs = Date.now() - t0;
  expect(await response).toEqual({ connection: 'close', body: 'done' });
  expect(closeMs).toBeLessThan(2000);
});
