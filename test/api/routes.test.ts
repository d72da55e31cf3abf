// What each admin route does for a firm, on SQLite and PostgreSQL: filters and paging, transcripts, intake status
// changes (audited), flow upload with file:line:col errors, versions, number mapping, outbox retry, analytics.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, tokenFor, validFlow, type ApiWorld } from './helpers.js';
import { seedCall, seedOutbox } from './seed.js';

const FLOW = (version: number | string, extra = '') => validFlow(version, `Hello${extra}`);

describeEachDb('admin routes on %s', (kind) => {
  let w: ApiWorld;
  let owner: string;
  let intakeId: number;
  beforeAll(async () => {
    w = await apiWorld(kind);
    owner = await tokenFor(w.app, w.firmA.users.owner.email);
    const db = w.tdb.db;
    // Firm A is in America/Chicago: 05:30 UTC on the 2nd is still the 1st there.
    await seedCall(db, w.firmA.id, 'CA1', { startedAt: new Date('2026-11-02T05:30:00Z'), firstFrameMs: [100, 200], intake: { status: 'complete', payment: 'sent' } });
    await seedCall(db, w.firmA.id, 'CA2', { startedAt: new Date('2026-11-02T15:00:00Z'), outcome: 'transferred', firstFrameMs: [300, 400], intake: { status: 'partial', emergency: true } });
    intakeId = (await seedCall(db, w.firmA.id, 'CA3', { startedAt: new Date('2026-11-03T15:00:00Z'), firstFrameMs: Array.from({ length: 16 }, (_, i) => 500 + i * 100), intake: { status: 'complete', payment: 'paid' } })).intakeId!;
    await seedCall(db, w.firmA.id, 'CA_old', { startedAt: new Date('2026-09-01T15:00:00Z'), firstFrameMs: [9999] });
  });
  afterAll(async () => { await w?.close(); });

  const as = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, token = owner) =>
    w.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  it('lists calls newest first with date, status and outcome filters and paging', async () => {
    const all = (await as('GET', '/api/calls')).json();
    expect(all.items.map((c: { callSid: string }) => c.callSid)).toEqual(['CA3', 'CA2', 'CA1', 'CA_old']);
    const nov = (await as('GET', '/api/calls?from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z')).json();
    expect(nov.items.map((c: { callSid: string }) => c.callSid)).toEqual(['CA2', 'CA1']);
    expect((await as('GET', '/api/calls?outcome=transferred')).json().items.map((c: { callSid: string }) => c.callSid)).toEqual(['CA2']);
    expect((await as('GET', '/api/calls?status=in-progress')).json().total).toBe(0);
    const page = (await as('GET', '/api/calls?limit=2&offset=1')).json();
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.items.map((c: { callSid: string }) => c.callSid)).toEqual(['CA2', 'CA1']);
    expect(page.items[0]).toMatchObject({ flowId: 'intake', flowVersion: '3', startedAt: '2026-11-02T15:00:00.000Z', durationS: 90 });
  });

  it('returns one call with its transcript in order and its intake id', async () => {
    const c = (await as('GET', '/api/calls/CA1')).json();
    expect(c.turns.map((t: { seq: number; speaker: string }) => `${t.seq}:${t.speaker}`)).toEqual(['0:caller', '1:agent', '2:caller', '3:agent']);
    expect(c.turns[1]).toMatchObject({ text: 'I am sorry to hear that.', firstFrameMs: 100, interrupted: false });
    expect(typeof c.intakeId).toBe('number');
  });

  it('lists intakes by status and emergency, shows one with slots, and changes its status with an audit row', async () => {
    expect((await as('GET', '/api/intakes?status=complete')).json().total).toBe(2);
    expect((await as('GET', '/api/intakes?emergency=true')).json().items[0].callSid).toBe('CA2');
    expect((await as('GET', '/api/intakes?from=2026-11-03T00:00:00Z')).json().items.map((i: { callSid: string }) => i.callSid)).toEqual(['CA3']);
    const one = (await as('GET', `/api/intakes/${intakeId}`)).json();
    expect(one).toMatchObject({ status: 'complete', callerName: 'Jane Roe', slots: { practice_area: 'personal_injury' }, confirmedSlots: ['caller_name'] });
    const staff = await tokenFor(w.app, w.firmA.users.staff.email);
    const r = await as('PATCH', `/api/intakes/${intakeId}`, { status: 'conflict' }, staff);
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe('conflict');
    const audit = await w.tdb.db('audit_log').where({ action: 'intake.status', target: `intake:${intakeId}` }).first();
    expect(audit.user_id).toBe(w.firmA.users.staff.id);
    expect(JSON.parse(audit.details)).toEqual({ from: 'complete', to: 'conflict' });
    await as('PATCH', `/api/intakes/${intakeId}`, { status: 'complete' });
  });

  it('names the field path in validation errors', async () => {
    const bad = await as('PATCH', `/api/intakes/${intakeId}`, { status: 'done' });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().details.map((d: { path: string }) => d.path);
    expect(paths).toContain('body.status');
    // A field the route does not take is refused by name, not dropped (the status is left as it was).
    const extra = await as('PATCH', `/api/intakes/${intakeId}`, { status: 'abandoned', colour: 'red' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ message: expect.stringContaining('unknown field body.colour'), details: [{ path: 'body.colour' }] });
    expect((await as('GET', `/api/intakes/${intakeId}`)).json().status).not.toBe('abandoned');
    const missing = await w.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'a@b.example' } });
    expect(missing.json()).toMatchObject({ error: 'validation failed', details: [{ path: 'body.password' }] });
    const q = (await as('GET', '/api/calls?limit=500&from=yesterday')).json();
    expect(q.details.map((d: { path: string }) => d.path).sort()).toEqual(expect.arrayContaining(['querystring.from']));
    expect((await as('GET', '/api/intakes/abc')).json().details[0].path).toBe('params.id');
  });

  it('uploads a flow, refuses broken YAML with file:line:col, keeps versions immutable and activates one', async () => {
    const broken = await as('POST', '/api/flows', { yaml: 'id: intake\nversion: 9\nsteps:\n  hello: [unclosed\n', fileName: 'intake.yaml' });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().message).toMatch(/^intake\.yaml:\d+:\d+: /m);
    expect(broken.json().problems[0]).toMatchObject({ file: 'intake.yaml' });
    expect(broken.json().problems[0].line).toBeGreaterThanOrEqual(4);
    const noId = await as('POST', '/api/flows', { yaml: 'version: 1\nstart: a\nsteps: {}\n' });
    expect(noId.json().message).toMatch(/flow\.yaml:1:1: id/);

    const v1 = await as('POST', '/api/flows', { yaml: FLOW(1), activate: true });
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({ flowId: 'intake', version: '1', active: true, createdBy: w.firmA.users.owner.id });
    expect((await as('POST', '/api/flows', { yaml: FLOW(1) })).statusCode).toBe(200);
    const clash = await as('POST', '/api/flows', { yaml: FLOW(1, ' again') });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().message).toMatch(/raise "version"/);
    expect((await as('POST', '/api/flows', { yaml: FLOW(2) })).json()).toMatchObject({ version: '2', active: false });

    const versions = (await as('GET', '/api/flows/intake/versions')).json();
    expect(versions.map((v: { version: string; active: boolean }) => `${v.version}${v.active ? '*' : ''}`)).toEqual(['2', '1*']);
    expect((await as('POST', '/api/flows/intake/versions/2/activate')).json().active).toBe(true);
    const after = (await as('GET', '/api/flows')).json();
    expect(after.filter((v: { active: boolean }) => v.active).map((v: { version: string }) => v.version)).toEqual(['2']);
    expect((await as('GET', '/api/flows/intake/versions/1')).json().yaml).toBe(FLOW(1));
    const audit = await w.tdb.db('audit_log').whereIn('action', ['flow.upload', 'flow.activate']).select('action', 'target');
    expect(audit.map((a) => `${a.action} ${a.target}`)).toEqual(expect.arrayContaining(['flow.upload flow:intake@1', 'flow.activate flow:intake@2']));
  });

  it('runs the flow loader on uploads: its errors come back as file:line:col, subflows resolve against the bundled flows', async () => {
    const noNext = validFlow(5).replace('    next: bye\n', '');
    const r = await as('POST', '/api/flows', { yaml: noNext, fileName: 'mine.yaml' });
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toMatch(/^mine\.yaml:10:\d+: .*step "hello" is missing "next"/m);
    const escape = validFlow(6).replace('  bye:\n', '  peek: { subflow: ../../../etc/passwd, next: bye }\n  bye:\n');
    const e = await as('POST', '/api/flows', { yaml: escape });
    expect(e.statusCode).toBe(422);
    expect(e.json().message).toMatch(/flow\.yaml:\d+:\d+: subflow "..\/..\/..\/etc\/passwd" must be a path inside the flows folder/);
    const { readFileSync } = await import('node:fs');
    const bundled = readFileSync('flows/intake.yaml', 'utf8');
    const up = await as('POST', '/api/flows', { yaml: bundled, fileName: 'intake.yaml' });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ flowId: 'intake', version: '1.0.0' });
  });

  it('maps numbers in E.164 only to the firm\'s active flows, follows activation, and unmaps them', async () => {
    const bad = await as('PUT', '/api/numbers', { number: '555-1234', flow: 'intake' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('body.number');
    const unknownFlow = await as('PUT', '/api/numbers', { number: '+13125550142', flow: '../../etc/passwd' });
    expect(unknownFlow.json().details[0].path).toBe('body.flow');
    await as('POST', '/api/flows', { yaml: validFlow(1).replace(/^id: intake$/m, 'id: draft') });
    const inactive = await as('PUT', '/api/numbers', { number: '+13125550142', flow: 'draft' });
    expect(inactive.json().details[0]).toMatchObject({ path: 'body.flow', message: expect.stringMatching(/no active version/) });

    const ok = await as('PUT', '/api/numbers', { number: '(312) 555-0142', flow: 'intake' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ e164: '+13125550142', flow: 'intake', flowVersion: '2' });
    // Calls to the number run exactly the stored version, loaded by the flow loader from the database.
    const row = await w.tdb.db('phone_numbers').where({ e164: '+13125550142' }).first();
    expect(row.flow).toBe(`stored:${w.firmA.id}/intake@2`);
    const { loadStoredFlow } = await import('../../src/api/stored-flows.js');
    const loaded = await loadStoredFlow(w.tdb.db, row.flow, 'flows');
    expect([loaded.id, loaded.version]).toEqual(['intake', '2']);

    expect((await as('POST', '/api/flows/intake/versions/1/activate')).statusCode).toBe(200);
    expect((await as('GET', '/api/numbers')).json()[0]).toMatchObject({ flow: 'intake', flowVersion: '1' });
    expect((await as('PUT', '/api/numbers', { number: '+13125550142', flow: w.config.defaultFlow })).json()).toMatchObject({ flow: w.config.defaultFlow, flowVersion: null });
    expect((await as('GET', '/api/numbers')).json()).toHaveLength(1);
    // The number's channel: set, kept when the body leaves it out, back to the server's CHANNEL with null.
    expect((await as('GET', '/api/numbers')).json()[0]).toMatchObject({ channel: null });
    expect((await as('PUT', '/api/numbers', { number: '+13125550142', flow: w.config.defaultFlow, channel: 'gather' })).json()).toMatchObject({ channel: 'gather' });
    expect((await w.tdb.db('phone_numbers').where({ e164: '+13125550142' }).first()).channel).toBe('gather');
    expect((await as('PUT', '/api/numbers', { number: '+13125550142', flow: w.config.defaultFlow })).json()).toMatchObject({ channel: 'gather' });
    expect((await as('PUT', '/api/numbers', { number: '+13125550142', flow: w.config.defaultFlow, channel: 'sip' })).statusCode).toBe(400);
    expect((await as('PUT', '/api/numbers', { number: '+13125550142', flow: w.config.defaultFlow, channel: null })).json()).toMatchObject({ channel: null });
    expect((await as('DELETE', `/api/numbers/${ok.json().id}`)).statusCode).toBe(204);
    expect((await as('GET', '/api/numbers')).json()).toHaveLength(0);
  });

  it('shows the outbox without args and retries a dead row now with a fresh attempt budget', async () => {
    const dead = await seedOutbox(w.tdb.db, w.firmA.id, 'alpha-dead', 'dead');
    const delivered = await seedOutbox(w.tdb.db, w.firmA.id, 'alpha-done', 'delivered');
    const list = (await as('GET', '/api/outbox?status=dead')).json();
    expect(list.items.map((i: { id: number }) => i.id)).toEqual([dead]);
    expect(list.items[0]).toMatchObject({ lastError: 'Clio answered 500', attempts: 12 });
    expect(JSON.stringify(list)).not.toContain('+1312');
    const before = Date.now();
    const r = await as('POST', `/api/outbox/${dead}/retry`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(r.json().nextAttemptAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(r.json().nextAttemptAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await as('POST', `/api/outbox/${delivered}/retry`)).statusCode).toBe(409);
    expect(await w.tdb.db('audit_log').where({ action: 'outbox.retry', target: `outbox:${dead}` })).toHaveLength(1);
  });

  it('summarises calls per day in the firm\'s time zone, intakes, emergencies and turn latency', async () => {
    const s = (await as('GET', '/api/analytics/summary?from=2026-11-01T00:00:00Z&to=2026-11-10T00:00:00Z')).json();
    expect(s.timezone).toBe('America/Chicago');
    expect(s.callsPerDay).toEqual([{ day: '2026-11-01', calls: 1 }, { day: '2026-11-02', calls: 1 }, { day: '2026-11-03', calls: 1 }]);
    expect(s.calls).toBe(3);
    expect(s.completedIntakes).toBe(2);
    expect(s.emergencies).toBe(1);
    // 20 samples: 100,200,300,400,500..2000; nearest-rank p95 is the 19th = 1900; the September call is out of range.
    expect(s.turnLatencyMs.samples).toBe(20);
    expect(s.turnLatencyMs.p95).toBe(1900);
    expect(s.turnLatencyMs.avg).toBe((100 + 200 + 300 + 400 + Array.from({ length: 16 }, (_, i) => 500 + i * 100).reduce((a, b) => a + b)) / 20);
    const billing = (await as('GET', '/api/billing/summary?from=2026-11-01T00:00:00Z&to=2026-11-10T00:00:00Z')).json();
    expect(billing.payments.sort((a: { status: string }, b: { status: string }) => a.status.localeCompare(b.status))).toEqual([{ status: 'paid', intakes: 1 }, { status: 'sent', intakes: 1 }]);
    expect((await as('GET', '/api/analytics/summary?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z')).statusCode).toBe(400);
  });

  it('lets an owner add a user who can then log in, and disabling them ends their sessions', async () => {
    const r = await as('POST', '/api/users', { email: 'new.clerk@alpha-law.example', role: 'staff', password: 'a long enough password' });
    expect(r.statusCode).toBe(201);
    const login = await w.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'new.clerk@alpha-law.example', password: 'a long enough password' } });
    expect(login.statusCode).toBe(200);
    expect((await as('POST', '/api/users', { email: 'new.clerk@alpha-law.example', role: 'staff', password: 'a long enough password' })).statusCode).toBe(409);
    const clerk = login.json().accessToken as string;
    expect((await as('GET', '/api/intakes', undefined, clerk)).statusCode).toBe(200);
    // A role change applies to the next request, not when the token expires.
    expect((await as('PATCH', `/api/users/${r.json().id}`, { role: 'viewer' })).json().role).toBe('viewer');
    expect((await as('PATCH', `/api/intakes/${intakeId}`, { status: 'complete' }, clerk)).statusCode).toBe(403);
    expect((await as('PATCH', `/api/users/${r.json().id}`, { disabled: true })).json().disabled).toBe(true);
    const refresh = await w.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: login.json().refreshToken } });
    expect(refresh.statusCode).toBe(401);
    expect((await as('GET', '/api/intakes', undefined, clerk)).statusCode).toBe(401);
    const audit = await w.tdb.db('audit_log').where({ action: 'user.update', target: `user:${r.json().id}` });
    expect(audit).toHaveLength(2);
    expect((await as('PATCH', `/api/users/${w.firmA.users.owner.id}`, { role: 'viewer' })).statusCode).toBe(409);
  });
});
