// The staff inbox and review workflow on SQLite and PostgreSQL: what needs a call back comes first, an intake moves
// only along the workflow (with who and when, audited, compare-and-set), and GET /api/me tells the app who is in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, login, PASSWORD, tokenFor, type ApiWorld } from './helpers.js';
import { seedCall } from './seed.js';

describeEachDb('inbox and review on %s', (kind) => {
  let w: ApiWorld;
  let staff: string;
  let ids: Record<string, number>;
  beforeAll(async () => {
    w = await apiWorld(kind);
    staff = await tokenFor(w.app, w.firmA.users.staff.email);
    const db = w.tdb.db;
    ids = {
      old: (await seedCall(db, w.firmA.id, 'CA_old', { startedAt: new Date('2026-11-01T15:00:00Z'), intake: { status: 'complete' } })).intakeId!,
      emergency: (await seedCall(db, w.firmA.id, 'CA_emerg', { startedAt: new Date('2026-11-02T15:00:00Z'), intake: { status: 'partial', emergency: true } })).intakeId!,
      fresh: (await seedCall(db, w.firmA.id, 'CA_new', { startedAt: new Date('2026-11-03T15:00:00Z'), intake: { status: 'complete' } })).intakeId!,
      other: (await seedCall(db, w.firmB.id, 'CB_1', { startedAt: new Date('2026-11-03T16:00:00Z'), intake: { status: 'complete' } })).intakeId!,
    };
    await seedCall(db, w.firmA.id, 'CA_message', { startedAt: new Date('2026-11-01T10:00:00Z'), outcome: 'message' });
    await db('intakes').where({ id: ids.old }).update({ slots: JSON.stringify({ court_date: '2026-11-05' }), sol_risk: true });
  });
  afterAll(async () => { await w?.close(); });

  const as = (method: 'GET' | 'PUT', url: string, payload?: object, token = staff) =>
    w.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const sids = (body: { items: { callSid: string }[] }) => body.items.map((i) => i.callSid);

  it('puts open emergencies and messages first, then open intakes newest first, and only the firm\'s own calls', async () => {
    const inbox = (await as('GET', '/api/inbox')).json();
    expect(sids(inbox)).toEqual(['CA_emerg', 'CA_message', 'CA_new', 'CA_old']);
    const old = inbox.items.find((i: { callSid: string }) => i.callSid === 'CA_old');
    expect(old).toMatchObject({ intakeId: ids.old, callerName: 'Jane Roe', callbackPhone: '+13125550188', practiceArea: 'personal_injury', solRisk: true, courtDate: '2026-11-05', reviewStatus: 'new', allowedMoves: ['called_back', 'declined', 'not_a_fit'] });
    expect(inbox.items.find((i: { callSid: string }) => i.callSid === 'CA_message')).toMatchObject({ intakeId: null, outcome: 'message', reviewStatus: null });
  });

  it('moves an intake along the workflow with who and when, audits it, and refuses a step out of order', async () => {
    const skip = await as('PUT', `/api/intakes/${ids.fresh}/review`, { status: 'consultation_booked' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().message).toContain('from new the next steps are called_back, declined, not_a_fit');
    const called = await as('PUT', `/api/intakes/${ids.fresh}/review`, { status: 'called_back', note: 'left voicemail' });
    expect(called.statusCode).toBe(200);
    expect(called.json()).toMatchObject({ reviewStatus: 'called_back', allowedMoves: ['consultation_booked', 'declined', 'not_a_fit'], history: [{ from: 'new', to: 'called_back', note: 'left voicemail', by: { id: w.firmA.users.staff.id, email: w.firmA.users.staff.email } }] });
    const booked = (await as('PUT', `/api/intakes/${ids.fresh}/review`, { status: 'consultation_booked' })).json();
    expect(booked.history.map((h: { to: string }) => h.to)).toEqual(['called_back', 'consultation_booked']);
    expect(Date.parse(booked.history[1].at)).toBeGreaterThan(Date.now() - 60_000);
    const audit = await w.tdb.db('audit_log').where({ action: 'intake.review', target: `intake:${ids.fresh}` }).orderBy('id');
    expect(audit.map((a: { details: string }) => JSON.parse(a.details))).toEqual([{ from: 'new', to: 'called_back' }, { from: 'called_back', to: 'consultation_booked' }]);
    // Worked: out of the open inbox, still in the full view with who moved it.
    expect(sids((await as('GET', '/api/inbox')).json())).not.toContain('CA_new');
    const all = (await as('GET', '/api/inbox?view=all')).json();
    expect(all.items.find((i: { callSid: string }) => i.callSid === 'CA_new')).toMatchObject({ reviewStatus: 'consultation_booked', reviewedBy: { email: w.firmA.users.staff.email } });
    expect((await as('GET', `/api/intakes/${ids.fresh}/reviews`)).json().history).toHaveLength(2);
  });

  it('keeps another firm\'s intake out of reach and a viewer from changing anything', async () => {
    expect((await as('PUT', `/api/intakes/${ids.other}/review`, { status: 'called_back' })).statusCode).toBe(404);
    expect((await as('GET', `/api/intakes/${ids.other}/reviews`)).statusCode).toBe(404);
    const viewer = await tokenFor(w.app, w.firmA.users.viewer.email);
    expect((await as('PUT', `/api/intakes/${ids.old}/review`, { status: 'called_back' }, viewer)).statusCode).toBe(403);
    expect((await as('PUT', `/api/intakes/${ids.old}/review`, { status: 'called_back', colour: 'red' })).statusCode).toBe(400);
    expect((await as('GET', '/api/inbox?view=mine')).json().details[0].path).toBe('querystring.view');
  });

  it('tells the app who is signed in, the firm\'s time zone and what the role may do', async () => {
    const me = (await as('GET', '/api/me')).json();
    expect(me).toMatchObject({ user: { id: w.firmA.users.staff.id, role: 'staff' }, tenant: { id: w.firmA.id, timezone: 'America/Chicago' } });
    expect(me.permissions).toContain('intakes:write');
    expect(me.permissions).not.toContain('users:manage');
    expect((await w.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });
});

describe('password change', () => {
  it('needs the current password, revokes every refresh token, and the new password signs in', async () => {
    const w = await apiWorld('sqlite');
    try {
      const email = w.firmA.users.attorney.email;
      const first = await login(w.app, email);
      const put = (body: object) => w.app.inject({ method: 'PUT', url: '/api/me/password', headers: { authorization: `Bearer ${first.body.accessToken}` }, payload: body });
      const wrong = await put({ currentPassword: 'not it at all', newPassword: 'a brand new passphrase' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().details[0].path).toBe('body.currentPassword');
      expect((await put({ currentPassword: PASSWORD, newPassword: 'short' })).json().details[0].path).toBe('body.newPassword');
      expect((await put({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })).statusCode).toBe(204);
      const refreshed = await w.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: first.body.refreshToken } });
      expect(refreshed.statusCode).toBe(401);
      expect((await login(w.app, email)).status).toBe(401);
      expect((await login(w.app, email, 'a brand new passphrase')).status).toBe(200);
      expect(await w.tdb.db('audit_log').where({ action: 'user.password', user_id: w.firmA.users.attorney.id }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    } finally {
      await w.close();
    }
  });
});

describe('review workflow table', () => {
  it('lets every step be reached from new', async () => {
    const { REVIEW_MOVES, REVIEW_STATUSES } = await import('../../src/api/review-workflow.js');
    const seen = new Set<string>(['new']);
    const queue = ['new'] as (keyof typeof REVIEW_MOVES)[];
    while (queue.length) for (const n of REVIEW_MOVES[queue.shift()!]) if (!seen.has(n)) { seen.add(n); queue.push(n); }
    expect([...seen].sort()).toEqual([...REVIEW_STATUSES].sort());
  });
});
