// Security around the admin API: headers, rate limits, body limits, CORS, PII-free logs, the OpenAPI description of
// every route, and the guard that refuses to register an /api route without a permission check.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { checkGuard } from '../../src/api/index.js';
import { requirePermission } from '../../src/auth/plugin.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { apiWorld, JWT_SECRET, login, PASSWORD, tokenFor, type ApiWorld } from './helpers.js';

describe('admin API hardening', () => {
  let w: ApiWorld;
  beforeAll(async () => { w = await apiWorld('sqlite'); });
  afterAll(async () => { await w?.close(); });

  it('sends security headers on API, operations and docs responses', async () => {
    for (const url of ['/api/calls', '/health', '/auth/login']) {
      const r = await w.app.inject({ url });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('serves /docs without upgrade-insecure-requests, so Swagger UI loads over plain http on a LAN address', async () => {
    for (const url of ['/docs', '/docs/static/index.html', '/health']) {
      const r = await w.app.inject({ url });
      expect(r.headers['content-security-policy'], url).toBeDefined();
      expect(r.headers['content-security-policy'], url).not.toContain('upgrade-insecure-requests');
    }
  });

  it('answers 429 after 10 logins a minute from one address, without locking out other addresses', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await login(w.app, w.firmA.users.viewer.email, i % 2 ? PASSWORD : 'wrong password!!', '203.0.113.7')).status);
    expect(codes.slice(0, 10).every((c) => c === 200 || c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    const blocked = await w.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'x@y.example', password: 'p' }, remoteAddress: '203.0.113.7' });
    expect(blocked.json()).toMatchObject({ error: 'too many requests' });
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await login(w.app, w.firmA.users.viewer.email, PASSWORD, '203.0.113.8')).status).toBe(200);
  });

  it('limits API requests per user, not per address, once signed in', async () => {
    const r = await w.app.inject({ url: '/api/calls', headers: { authorization: `Bearer ${await tokenFor(w.app, w.firmA.users.owner.email)}` } });
    expect(r.headers['x-ratelimit-limit']).toBe('600');
    expect((await w.app.inject({ url: '/api/calls' })).headers['x-ratelimit-limit']).toBe('300');
  });

  it('refuses bodies over the route limit with 413', async () => {
    const r = await w.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'a@b.example', password: 'x'.repeat(20_000) } });
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toBe('payload too large');
  });

  it('keeps CORS off by default', async () => {
    const r = await w.app.inject({ method: 'OPTIONS', url: '/api/calls', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves an OpenAPI description of every route at /docs', async () => {
    const spec = (await w.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const html = await w.app.inject({ url: '/docs' });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('swagger');
    const toOpenApi = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const routes = w.app.routeCatalog.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter((r) => !spec.paths[toOpenApi(r.url)]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const op = spec.paths['/api/flows']!.post as { security: unknown; description: string; requestBody: unknown };
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.description).toContain('flows:write');
    expect(op.requestBody).toBeDefined();
  });

  it('refuses to register an /api route without exactly one requirePermission preHandler', () => {
    const route = (preHandler?: unknown) => ({ method: 'GET', url: '/api/secret', handler: () => null, preHandler }) as unknown as RouteOptions;
    expect(() => checkGuard(route())).toThrow(/exactly one requirePermission/);
    expect(() => checkGuard(route([requirePermission('calls:read'), requirePermission('flows:read')]))).toThrow(/found 2/);
    expect(() => checkGuard(route(requirePermission('calls:read')))).not.toThrow();
  });
});

describe('admin API with CORS, Clio and log capture', () => {
  let tdb: TestDb;
  const lines: string[] = [];
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    const config = loadConfig({}, {
      databaseUrl: tdb.url, jwtSecret: JWT_SECRET, corsOrigins: ['https://admin.smith-law.example'], clioClientId: 'clio-client',
      clioClientSecret: 'clio-secret', publicUrl: 'https://hermes.example', encryptionKey: 'a'.repeat(64),
    });
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    app = await buildApp({ config, log: createLogger('debug', sink), metrics: createMetrics({ defaultMetrics: false }), db: tdb.db });
    const { createTenant, createUser } = await import('../../src/auth/users.js');
    const t = await createTenant(tdb.db, { slug: 'smith-law', name: 'Smith LLP' });
    await createUser(tdb.db, { tenantId: t.id, email: 'jane.owner@smith-law.example', role: 'owner', password: PASSWORD });
  });
  afterAll(async () => { await app?.close(); await tdb?.destroy(); });

  it('allows only the configured origin', async () => {
    const pre = (origin: string) => app.inject({ method: 'OPTIONS', url: '/api/calls', headers: { origin, 'access-control-request-method': 'GET' } });
    expect((await pre('https://admin.smith-law.example')).headers['access-control-allow-origin']).toBe('https://admin.smith-law.example');
    expect((await pre('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('starts a Clio connection with a stored state and the consent URL', async () => {
    const token = (await login(app, 'jane.owner@smith-law.example')).body.accessToken;
    const r = await app.inject({ method: 'POST', url: '/api/integrations/clio/connect', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(200);
    const url = new URL(r.json().url);
    expect(`${url.origin}${url.pathname}`).toBe('https://app.clio.com/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('clio-client');
    expect(url.searchParams.get('redirect_uri')).toBe('https://hermes.example/integrations/clio/callback');
    const state = await tdb.db('oauth_states').where({ state: url.searchParams.get('state') }).first();
    expect(state.provider).toBe('clio');
    expect(r.body).not.toContain('clio-secret');
  });

  it('keeps e-mails, passwords and tokens out of the logs', async () => {
    await login(app, 'jane.owner@smith-law.example', 'wrong password here');
    const ok = await login(app, 'jane.owner@smith-law.example');
    await app.inject({ url: '/api/calls', headers: { authorization: `Bearer ${ok.body.accessToken}` } });
    await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: ok.body.refreshToken } });
    const log = lines.join('');
    expect(log).toContain('login refused');
    for (const secret of ['jane.owner', 'wrong password here', PASSWORD, ok.body.accessToken, ok.body.refreshToken]) expect(log).not.toContain(secret);
  });
});
