// Every admin query is scoped by the token's firm: firm B's records answer 404 to firm A exactly like missing ones,
// and roles without a permission get 403. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, tokenFor, validFlow, type ApiWorld } from './helpers.js';
import { seedCall, seedOutbox } from './seed.js';

const FLOW = validFlow(1);

describeEachDb('tenant isolation and roles on %s', (kind) => {
  let w: ApiWorld;
  let ownerA: string;
  let ownerB: string;
  let bIntake: number;
  let bOutbox: number;
  beforeAll(async () => {
    w = await apiWorld(kind);
    ownerA = await tokenFor(w.app, w.firmA.users.owner.email);
    ownerB = await tokenFor(w.app, w.firmB.users.owner.email);
    await seedCall(w.tdb.db, w.firmA.id, 'CA_alpha_1', { firstFrameMs: [300] });
    bIntake = (await seedCall(w.tdb.db, w.firmB.id, 'CA_beta_1', { firstFrameMs: [400], intake: { status: 'partial' } })).intakeId!;
    bOutbox = await seedOutbox(w.tdb.db, w.firmB.id, 'beta-1', 'dead');
  });
  afterAll(async () => { await w?.close(); });

  const as = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    w.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  it('firm A cannot read firm B\'s call by id (404), while firm B can', async () => {
    const r = await as(ownerA, 'GET', '/api/calls/CA_beta_1');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual((await as(ownerA, 'GET', '/api/calls/CA_does_not_exist')).json());
    const own = await as(ownerB, 'GET', '/api/calls/CA_beta_1');
    expect(own.statusCode).toBe(200);
    expect(own.json().turns).toHaveLength(2);
  });

  it('firm A\'s lists never include firm B\'s rows', async () => {
    const calls = (await as(ownerA, 'GET', '/api/calls')).json();
    expect(calls.items.map((c: { callSid: string }) => c.callSid)).toEqual(['CA_alpha_1']);
    expect((await as(ownerA, 'GET', '/api/intakes')).json().total).toBe(0);
    expect((await as(ownerA, 'GET', '/api/outbox')).json().total).toBe(0);
    const summary = (await as(ownerA, 'GET', '/api/analytics/summary')).json();
    expect(summary.calls).toBe(1);
    expect(summary.turnLatencyMs).toMatchObject({ samples: 1, avg: 300, p95: 300 });
  });

  it('firm A cannot read, change or retry firm B\'s intake or outbox row', async () => {
    expect((await as(ownerA, 'GET', `/api/intakes/${bIntake}`)).statusCode).toBe(404);
    expect((await as(ownerA, 'PATCH', `/api/intakes/${bIntake}`, { status: 'complete' })).statusCode).toBe(404);
    expect((await as(ownerA, 'POST', `/api/outbox/${bOutbox}/retry`)).statusCode).toBe(404);
    const intake = await w.tdb.db('intakes').where({ id: bIntake }).first();
    expect(intake.status).toBe('partial');
    const row = await w.tdb.db('outbox').where({ id: bOutbox }).first();
    expect(row.status).toBe('dead');
  });

  it('firm A cannot see firm B\'s flows, nor take firm B\'s phone number', async () => {
    expect((await as(ownerB, 'POST', '/api/flows', { yaml: FLOW, activate: true })).statusCode).toBe(201);
    expect((await as(ownerA, 'GET', '/api/flows/intake/versions')).statusCode).toBe(404);
    expect((await as(ownerA, 'GET', '/api/flows/intake/versions/1')).statusCode).toBe(404);
    expect((await as(ownerB, 'PUT', '/api/numbers', { number: '+1 312 555 0100', flow: 'intake' })).statusCode).toBe(200);
    expect((await as(ownerA, 'POST', '/api/flows', { yaml: FLOW, activate: true })).statusCode).toBe(201);
    const steal = await as(ownerA, 'PUT', '/api/numbers', { number: '+13125550100', flow: 'intake' });
    expect(steal.statusCode).toBe(409);
    expect(steal.body).not.toContain('beta');
    const bNumber = (await as(ownerB, 'GET', '/api/numbers')).json()[0];
    expect((await as(ownerA, 'DELETE', `/api/numbers/${bNumber.id}`)).statusCode).toBe(404);
    expect((await as(ownerA, 'GET', '/api/numbers')).json()).toEqual([]);
  });

  it('a staff token cannot upload flows; an attorney\'s can', async () => {
    const staff = await tokenFor(w.app, w.firmA.users.staff.email);
    const r = await as(staff, 'POST', '/api/flows', { yaml: validFlow(2) });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toMatch(/flows:write/);
    expect(await w.tdb.db('flow_versions').where({ tenant_id: w.firmA.id, version: '2' })).toHaveLength(0);
    const attorney = await tokenFor(w.app, w.firmA.users.attorney.email);
    expect((await as(attorney, 'POST', '/api/flows', { yaml: validFlow(2) })).statusCode).toBe(201);
  });

  it('roles get exactly the permissions of the table', async () => {
    const viewer = await tokenFor(w.app, w.firmA.users.viewer.email);
    const staff = await tokenFor(w.app, w.firmA.users.staff.email);
    const attorney = await tokenFor(w.app, w.firmA.users.attorney.email);
    expect((await as(viewer, 'GET', '/api/calls')).statusCode).toBe(200);
    expect((await as(viewer, 'PATCH', '/api/intakes/1', { status: 'complete' })).statusCode).toBe(403);
    expect((await as(staff, 'GET', '/api/analytics/summary')).statusCode).toBe(403);
    expect((await as(attorney, 'GET', '/api/billing/summary')).statusCode).toBe(200);
    expect((await as(attorney, 'GET', '/api/integrations')).statusCode).toBe(403);
    expect((await as(attorney, 'GET', '/api/users')).statusCode).toBe(403);
    expect((await as(ownerA, 'GET', '/api/users')).statusCode).toBe(200);
  });
});
