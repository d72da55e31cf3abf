// Strict input at the admin API: every malformed flow file name answers 400 (not 500) and stores nothing; flow ids in
// URLs follow the id rule; an unknown query or body field (?tenant_id=2) is refused naming it, not silently dropped;
// a route that takes no body refuses one; JSON keys that could reach a prototype get a 400 that says so.
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { checkStrictSchemas, prototypeKey } from '../../src/api/strict.js';
import { NoQuery } from '../../src/api/schemas.js';
import { apiWorld, PASSWORD, tokenFor, validFlow, type ApiWorld } from './helpers.js';
import { seedCall, seedOutbox } from './seed.js';

describe('strict input at the admin API', () => {
  let w: ApiWorld;
  let owner: string;
  let intakeId: number;
  let outboxId: number;
  beforeAll(async () => {
    w = await apiWorld('sqlite');
    owner = await tokenFor(w.app, w.firmA.users.owner.email);
    intakeId = (await seedCall(w.tdb.db, w.firmA.id, 'CA1', { intake: { status: 'partial' } })).intakeId!;
    outboxId = await seedOutbox(w.tdb.db, w.firmA.id, 'k1', 'dead');
  });
  afterAll(async () => { await w?.close(); });

  const as = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object | string, headers: Record<string, string> = {}) =>
    w.app.inject({ method, url, headers: { authorization: `Bearer ${owner}`, ...headers }, ...(payload !== undefined ? { payload } : {}) });
  const raw = (method: 'POST' | 'PATCH' | 'PUT', url: string, text: string) => as(method, url, text, { 'content-type': 'application/json' });
  const count = async (table: string) => Number(((await w.tdb.db(table).count({ n: '*' })) as [{ n: number | string }])[0].n);

  const MALFORMED_NAMES = [
    '', '.', '..', '...', '.yaml', '..yaml', 'practice', 'Practice', 'PRACTICE.yml', 'practice.yaml', 'tests', 'tests.yml',
    'a/b', 'a\\b', '/etc/passwd', '../x.yaml', '..%2f', '..%2fetc', '%2e%2e', 'a\0b', 'intake.yaml\0.txt', 'x'.repeat(101), 'x'.repeat(5000),
    'a\u0007b', 'a\nb', 'a\tb', 'a\u007fb', 'a\u0085b', 'a\u202eb', 'a\u200bb', 'caf\u00e9', ' intake', 'intake.yaml ', 'a.yaml.yml', 'a..yaml',
    'a.txt', 'intake.', '-rf', '_x',
  ];

  it('answers 400 naming body.fileName for every malformed upload name, and stores nothing', async () => {
    const before = await count('flow_versions');
    for (const [i, fileName] of MALFORMED_NAMES.entries()) {
      const r = await as('POST', '/api/flows', { yaml: validFlow(100 + i), fileName });
      expect(r.statusCode, JSON.stringify(fileName)).toBe(400);
      const body = r.json();
      expect(body.details?.[0]?.path, JSON.stringify(fileName)).toBe('body.fileName');
      expect(body.message.length).toBeGreaterThan(20);
    }
    expect(await count('flow_versions')).toBe(before);
    const reserved = (await as('POST', '/api/flows', { yaml: validFlow(1), fileName: 'practice' })).json();
    expect(reserved.message).toContain('bundled flow folder');
    const bad = (await as('POST', '/api/flows', { yaml: validFlow(1), fileName: '..' })).json();
    expect(bad.message).toContain('letters, digits');
    expect(bad.message).not.toMatch(/\^\[/); // the rule in words, not the regular expression
  });

  it('accepts safe names with and without an extension', async () => {
    for (const [i, fileName] of ['mine.yaml', 'intake-2_b.yml', 'intake', 'A1'].entries()) {
      const r = await as('POST', '/api/flows', { yaml: validFlow(200 + i), fileName });
      expect(r.statusCode, fileName).toBe(201);
    }
  });

  it('refuses flow ids in URLs that are not flow ids with 400, and unknown ones with 404', async () => {
    for (const id of ['..%2f', 'a%00b', '.hidden', 'a%2fb', '%E2%80%AE']) {
      const r = await as('GET', `/api/flows/${id}/versions`);
      expect(r.statusCode, id).toBe(400);
      expect(r.json().details[0]).toMatchObject({ path: 'params.flowId', message: expect.stringMatching(/flow id|NUL/) });
    }
    expect((await as('POST', '/api/flows/..%2f..%2fetc/versions/1/activate')).statusCode).toBe(400);
    expect((await as('GET', '/api/flows/nosuch/versions')).statusCode).toBe(404);
  });

  it('answers ?tenant_id=2 with 400 naming the field on every list route, and on detail routes', async () => {
    const routes = ['/api/calls', '/api/intakes', '/api/flows', '/api/numbers', '/api/users', '/api/integrations', '/api/outbox',
      '/api/analytics/summary', '/api/billing/summary', '/api/calls/CA1', `/api/intakes/${intakeId}`, '/api/flows/intake/versions'];
    for (const url of routes) {
      const r = await as('GET', `${url}?tenant_id=${w.firmB.id}`);
      expect(r.statusCode, url).toBe(400);
      expect(r.json(), url).toMatchObject({
        error: 'validation failed', message: expect.stringContaining('unknown field querystring.tenant_id'),
        details: [{ path: 'querystring.tenant_id', message: 'is an unknown field' }],
      });
    }
  });

  it('names every unknown query field and what the route takes, and a repeated one', async () => {
    const r = (await as('GET', '/api/calls?tenant_id=2&limit=5&tenant=beta-law')).json();
    expect(r.details.map((d: { path: string }) => d.path)).toEqual(['querystring.tenant_id', 'querystring.tenant']);
    expect(r.message).toContain('takes from, to, status, outcome, limit, offset');
    expect((await as('GET', '/api/users?x=1')).json().message).toContain('takes no query parameters');
    const twice = await as('GET', '/api/calls?status=completed&status=failed');
    expect(twice.statusCode).toBe(400);
    expect(twice.json().details[0]).toMatchObject({ path: 'querystring.status', message: expect.stringContaining('more than once') });
    expect((await as('GET', '/api/calls?limit=5')).statusCode).toBe(200);
  });

  it('refuses an unknown body field on every create and update route and changes nothing', async () => {
    const audits = await count('audit_log');
    const users = await count('users');
    const flows = await count('flow_versions');
    const viewer = w.firmA.users.viewer.id;
    const cases: [string, 'POST' | 'PATCH' | 'PUT', string, object][] = [
      ['body.tenant_id', 'POST', '/api/flows', { yaml: validFlow(300), tenant_id: w.firmB.id }],
      ['body.tenant_id', 'PATCH', `/api/intakes/${intakeId}`, { status: 'complete', tenant_id: w.firmB.id }],
      ['body.tenantId', 'PUT', '/api/numbers', { number: '+13125550100', flow: w.config.defaultFlow, tenantId: w.firmB.id }],
      ['body.tenant_id', 'POST', '/api/users', { email: 'new@alpha-law.example', role: 'viewer', password: PASSWORD, tenant_id: w.firmB.id }],
      ['body.isAdmin', 'PATCH', `/api/users/${viewer}`, { role: 'attorney', isAdmin: true }],
      ['body.tenant_id', 'POST', '/api/flows/intake/versions/200/activate', { tenant_id: w.firmB.id }],
      ['body.force', 'POST', `/api/outbox/${outboxId}/retry`, { force: true }],
      ['body.redirect', 'POST', '/api/integrations/clio/connect', { redirect: 'https://evil.example' }],
      ['body.tenant_id', 'POST', '/auth/login', { email: w.firmA.users.owner.email, password: PASSWORD, tenant_id: w.firmB.id }],
      ['body.family', 'POST', '/auth/logout', { refreshToken: 'x'.repeat(40), family: 'all' }],
    ];
    for (const [path, method, url, payload] of cases) {
      const r = await as(method, url, payload);
      expect(r.statusCode, `${method} ${url}`).toBe(400);
      expect(r.json().details.map((d: { path: string }) => d.path), `${method} ${url}`).toContain(path);
      expect(r.json().message, `${method} ${url}`).toContain(`unknown field ${path}`);
    }
    expect(await count('audit_log')).toBe(audits);
    expect(await count('users')).toBe(users);
    expect(await count('flow_versions')).toBe(flows);
    expect((await w.tdb.db('intakes').where({ id: intakeId }).first()).status).toBe('partial');
    expect((await w.tdb.db('users').where({ id: viewer }).first()).role).toBe('viewer');
    expect((await w.tdb.db('outbox').where({ id: outboxId }).first()).status).toBe('dead');
  });

  it('still accepts an empty JSON object, or no body, on routes that take none', async () => {
    expect((await as('POST', '/api/flows/intake/versions/200/activate', {})).statusCode).toBe(200);
    expect((await as('POST', '/api/flows/intake/versions/200/activate')).statusCode).toBe(200);
    expect((await raw('POST', '/api/flows/intake/versions/200/activate', '[1]')).statusCode).toBe(400);
  });

  it('refuses __proto__ and constructor.prototype keys with a message that names them, not "invalid JSON"', async () => {
    const users = await count('users');
    const proto = await raw('POST', '/api/users', `{"email":"p@alpha-law.example","role":"viewer","password":"${PASSWORD}","__proto__":{"role":"owner"}}`);
    expect(proto.statusCode).toBe(400);
    expect(proto.json()).toMatchObject({ message: expect.stringContaining('__proto__'), details: [{ path: 'body.__proto__' }] });
    expect(proto.json().message).not.toMatch(/not valid JSON/);
    const ctor = await raw('PATCH', `/api/intakes/${intakeId}`, '{"status":"complete","constructor":{"prototype":{"polluted":true}}}');
    expect(ctor.statusCode).toBe(400);
    expect(ctor.json().details[0].path).toBe('body.constructor.prototype');
    const nested = await raw('POST', '/api/flows', `{"yaml":"x","meta":[{"__proto__":{}}]}`);
    expect(nested.json().details[0].path).toBe('body.meta[0].__proto__');
    expect(await count('users')).toBe(users);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A plain "constructor" field is just an unknown field; broken JSON and an empty body say what they are.
    expect((await raw('PATCH', `/api/intakes/${intakeId}`, '{"status":"complete","constructor":"x"}')).json().details[0].path).toBe('body.constructor');
    expect((await raw('POST', '/api/users', '{"email": ')).json().message).toContain('is not valid JSON');
    expect((await raw('POST', '/api/users', '')).json().message).toContain('body is empty');
    // The strict parser is the admin scope's JSON parser for every spelling of the JSON media type.
    const login = await w.app.inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ email: w.firmA.users.viewer.email, password: PASSWORD }), remoteAddress: '10.9.9.9' });
    expect(login.statusCode).toBe(200);
  });

  it('finds prototype keys anywhere in a parsed body', () => {
    expect(prototypeKey(JSON.parse('{"a":{"b":[1,{"__proto__":null}]}}'))).toBe('body.a.b[1].__proto__');
    expect(prototypeKey(JSON.parse('{"constructor":{"prototype":1}}'))).toBe('body.constructor.prototype');
    expect(prototypeKey(JSON.parse('{"constructor":{"name":1},"x":[]}'))).toBeNull();
  });

  it('refuses to register an admin route whose schemas would let an unknown field through', () => {
    const route = (url: string, schema?: object) => ({ method: 'POST', url, handler: () => null, schema }) as unknown as RouteOptions;
    expect(() => checkStrictSchemas(route('/api/x'))).toThrow(/declares its querystring/);
    expect(() => checkStrictSchemas(route('/api/x', { querystring: { type: 'object' } }))).toThrow(/additionalProperties: false/);
    expect(() => checkStrictSchemas(route('/api/x', { querystring: NoQuery, body: { type: 'object' } }))).toThrow(/body schema/);
    expect(() => checkStrictSchemas(route('/api/x/:id', { querystring: NoQuery }))).toThrow(/params schema/);
    expect(() => checkStrictSchemas(route('/api/x', { querystring: NoQuery }))).not.toThrow();
    expect(() => checkStrictSchemas(route('/healthz'))).not.toThrow();
  });
});

describeEachDb('admin input the database cannot take (%s)', (kind) => {
  let w: ApiWorld;
  let owner: string;
  beforeAll(async () => {
    w = await apiWorld(kind);
    owner = await tokenFor(w.app, w.firmA.users.owner.email);
  });
  afterAll(async () => { await w?.close(); });

  it('answers 400 naming the field wherever a NUL arrives (PostgreSQL would fail the query with a 500)', async () => {
    const as = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      w.app.inject({ method, url, headers: { authorization: `Bearer ${owner}` }, ...(payload ? { payload } : {}) });
    const cases: [string, Awaited<ReturnType<typeof as>>][] = [
      ['params.callSid', await as('GET', '/api/calls/CA%00x')],
      ['params.version', await as('GET', '/api/flows/intake/versions/1%00')],
      ['querystring.status', await as('GET', '/api/calls?status=completed%00')],
      ['body.email', await as('POST', '/api/users', { email: 'a\u0000@alpha-law.example', role: 'viewer', password: PASSWORD })],
      ['body.yaml', await as('POST', '/api/flows', { yaml: validFlow(1).replace('Goodbye', 'Good\u0000bye') })],
      ['body.email', await w.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'owner\u0000@alpha-law.example', password: PASSWORD }, remoteAddress: '10.8.8.8' })],
    ];
    for (const [path, r] of cases) {
      expect(r.statusCode, path).toBe(400);
      expect(r.json(), path).toMatchObject({ details: [{ path, message: expect.stringContaining('NUL') }] });
    }
  });

  it('answers 400 for ids and offsets beyond what the database can compare', async () => {
    const get = (url: string, method: 'GET' | 'POST' = 'GET') => w.app.inject({ method, url, headers: { authorization: `Bearer ${owner}` } });
    for (const [url, path] of [['/api/intakes/99999999999999999999', 'params.id'], ['/api/outbox/2147483648/retry', 'params.id'], ['/api/calls?offset=99999999999999999999', 'querystring.offset']]) {
      const r = await get(url!, url!.endsWith('retry') ? 'POST' : 'GET');
      expect(r.statusCode, url).toBe(400);
      expect(r.json().details[0].path, url).toBe(path);
    }
    expect((await get('/api/intakes/2147483647')).statusCode).toBe(404);
  });
});
