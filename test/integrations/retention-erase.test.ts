// Retention and erasure over the real protocols: the outbox worker's loop runs the retention purge (expired
// transcripts, recordings deleted at the fake Twilio REST through the `twilio` SDK, undelivered intakes), and the
// admin API's per-caller erase removes every row about one caller in one firm, deletes their recordings at Twilio
// and writes the audit log. On SQLite and PostgreSQL.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../src/db/knex.js';
import type { Config } from '../../src/config.js';
import { startOutboxWorker } from '../../src/integrations/index.js';
import { createTwilioRecordings } from '../../src/integrations/recordings.js';
import { updateFirmSettings } from '../../src/intake/firm-settings.js';
import { silentLogger } from '../../src/observability/logger.js';
import { apiWorld, tokenFor, type ApiWorld } from '../api/helpers.js';
import { describeEachDb } from '../helpers/db.js';
import { addFakeRecordings, type FakeRecordings } from '../fakes/twilio-recordings.js';
import { startFakeTwilioRest, type FakeTwilioRest } from '../fakes/twilio-rest.js';

const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-retention-token';
const DAY = 86_400_000;
const CALLER = '+13125550177';
const OTHER = '+13125550166';

let sidSeq = 0;
const newSid = () => `CA${String(++sidSeq).padStart(32, '0')}`;

describeEachDb('retention purge and caller erasure', (kind) => {
  let rest: FakeTwilioRest;
  let rec: FakeRecordings;
  let w: ApiWorld;
  let db: Db;
  let config: Config;

  beforeAll(async () => {
    rest = await startFakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN);
    rec = addFakeRecordings(rest, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicUrl: 'https://hermes.example.com', post: async () => 204 });
  });
  afterAll(async () => {
    await rest.close();
  });
  beforeEach(async () => {
    w = await apiWorld(kind, { twilioAccountSid: ACCOUNT_SID, twilioAuthToken: AUTH_TOKEN, twilioApiBaseUrl: rest.url, publicUrl: 'https://hermes.example.com' });
    db = w.tdb.db;
    config = w.config;
  });
  afterEach(async () => {
    await w.close();
  });

  /** A call as the call path leaves it: row, two turns, optionally an intake (with an outbox row) and a recording. */
  async function seed(tenantId: number, o: { from?: string; ageDays?: number; intake?: { callback?: string; outbox?: 'pending' | 'delivered' | 'dead' }; recorded?: boolean } = {}) {
    const callSid = newSid();
    const startedAt = new Date(Date.now() - (o.ageDays ?? 0) * DAY);
    await db('calls').insert({ call_sid: callSid, tenant_id: tenantId, from_number: o.from ?? CALLER, to_number: '+13125550100', flow_id: 'intake', flow_version: '1', status: 'completed', outcome: 'completed', started_at: startedAt, ended_at: startedAt });
    for (const [seq, speaker] of [[1, 'agent'], [2, 'caller']] as const) {
      await db('turns').insert({ call_sid: callSid, seq, speaker, text: speaker === 'caller' ? 'My name is Jane Roe' : 'Hello', started_at: startedAt, ended_at: startedAt });
    }
    let intakeId: number | null = null;
    if (o.intake) {
      const [row] = await db('intakes').insert({ call_sid: callSid, tenant_id: tenantId, flow_id: 'intake', status: 'complete', slots: '{"caller_name":"Jane Roe"}', caller_name: 'Jane Roe', callback_phone: o.intake.callback ?? o.from ?? CALLER }).returning('id');
      intakeId = Number(typeof row === 'object' ? row.id : row);
      if (o.intake.outbox) {
        await db('outbox').insert({ tenant_id: tenantId, intake_id: intakeId, call_sid: callSid, action: 'clio.create_intake', args: '{}', idempotency_key: `${callSid}:clio`, status: o.intake.outbox, next_attempt_at: new Date(Date.now() + 3600_000), created_at: startedAt });
      }
      await db('messages').insert({ tenant_id: tenantId, intake_id: intakeId, call_sid: callSid, idempotency_key: `${callSid}:msg`, kind: 'message', caller_name: 'Jane Roe', callback_phone: o.intake.callback ?? o.from ?? CALLER, body: 'call me', created_at: startedAt });
    }
    let recordingSid: string | null = null;
    if (o.recorded) {
      recordingSid = await createTwilioRecordings(config).start(callSid, 'https://hermes.example.com/twilio/recording-status');
      await db('recordings').insert({ recording_sid: recordingSid, call_sid: callSid, tenant_id: tenantId, status: 'completed', duration_s: 30, url: `https://api.twilio.com/x/${recordingSid}`, created_at: startedAt, updated_at: startedAt });
    }
    return { callSid, intakeId, recordingSid };
  }

  const count = async (table: string, where: Record<string, unknown>) => Number(((await db(table).where(where).count({ n: '*' })) as [{ n: number | string }])[0].n);

  it("the worker's loop purges a firm's expired transcripts, recordings (at Twilio too) and undelivered intakes, and nothing newer or elsewhere", async () => {
    await updateFirmSettings(db, w.firmA.id, { retentionDays: 30 });
    const oldUndelivered = await seed(w.firmA.id, { ageDays: 40, intake: { outbox: 'dead' }, recorded: true });
    const oldDelivered = await seed(w.firmA.id, { ageDays: 40, intake: { outbox: 'delivered' } });
    const recent = await seed(w.firmA.id, { ageDays: 10, intake: { outbox: 'pending' }, recorded: true });
    const otherFirm = await seed(w.firmB.id, { ageDays: 400, intake: { outbox: 'dead' }, recorded: true });

    const worker = startOutboxWorker({ db, config, log: silentLogger() });
    try {
      const end = Date.now() + 10_000;
      while ((await count('turns', { call_sid: oldUndelivered.callSid })) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }

    expect(await count('turns', { call_sid: oldUndelivered.callSid })).toBe(0);
    expect(await count('turns', { call_sid: oldDelivered.callSid })).toBe(0);
    expect(rec.deleted).toContain(oldUndelivered.recordingSid);
    expect(await db('recordings').where({ recording_sid: oldUndelivered.recordingSid }).first('status', 'url')).toEqual({ status: 'deleted', url: null });
    expect(await count('intakes', { id: oldUndelivered.intakeId })).toBe(0);
    expect(await count('outbox', { call_sid: oldUndelivered.callSid })).toBe(0);
    // Delivered: the firm has it; the intake stays, its transcript does not.
    expect(await count('intakes', { id: oldDelivered.intakeId })).toBe(1);
    // Newer than the retention period, or a firm that keeps everything: untouched.
    expect(await count('turns', { call_sid: recent.callSid })).toBe(2);
    expect(await count('intakes', { id: recent.intakeId })).toBe(1);
    expect(rec.deleted).not.toContain(recent.recordingSid);
    expect(await count('turns', { call_sid: otherFirm.callSid })).toBe(2);
    expect(rec.deleted).not.toContain(otherFirm.recordingSid);
    // The call rows stay for the counts, and say their recording is gone.
    expect(await count('calls', { call_sid: oldUndelivered.callSid })).toBe(1);
  }, 30_000);

  it('the per-caller erase removes every row about that caller in the firm, deletes their recordings at Twilio, and is audited', async () => {
    const a = await seed(w.firmA.id, { intake: { outbox: 'pending' }, recorded: true });
    const b = await seed(w.firmA.id, { ageDays: 3 });
    // The caller left their number on a call from another phone.
    const c = await seed(w.firmA.id, { from: '+13125550155', intake: { callback: CALLER, outbox: 'delivered' } });
    const bystander = await seed(w.firmA.id, { from: OTHER, intake: { outbox: 'pending' }, recorded: true });
    const otherFirm = await seed(w.firmB.id, { intake: { outbox: 'pending' } });
    const owner = await tokenFor(w.app, w.firmA.users.owner.email);

    const staff = await tokenFor(w.app, w.firmA.users.staff.email);
    expect((await w.app.inject({ method: 'POST', url: '/api/privacy/erase', headers: { authorization: `Bearer ${staff}` }, payload: { phone: CALLER } })).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'POST', url: '/api/privacy/erase', headers: { authorization: `Bearer ${owner}` }, payload: { phone: CALLER, intakeId: 1 } })).statusCode).toBe(400);

    const res = await w.app.inject({ method: 'POST', url: '/api/privacy/erase', headers: { authorization: `Bearer ${owner}` }, payload: { phone: '(312) 555-0177' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ calls: 3, turns: 6, intakes: 2, messages: 2, outbox: 2, recordings: 1 });
    for (const s of [a, b, c]) {
      expect(await count('calls', { call_sid: s.callSid })).toBe(0);
      expect(await count('turns', { call_sid: s.callSid })).toBe(0);
      expect(await count('outbox', { call_sid: s.callSid })).toBe(0);
      expect(await count('messages', { call_sid: s.callSid })).toBe(0);
      expect(await count('recordings', { call_sid: s.callSid })).toBe(0);
    }
    expect(await count('intakes', { callback_phone: CALLER, tenant_id: w.firmA.id })).toBe(0);
    expect(rec.deleted).toContain(a.recordingSid);
    // Someone else's call, and the same number at another firm, are untouched.
    expect(await count('turns', { call_sid: bystander.callSid })).toBe(2);
    expect(rec.deleted).not.toContain(bystander.recordingSid);
    expect(await count('intakes', { call_sid: otherFirm.callSid })).toBe(1);

    const entry = await db('audit_log').where({ action: 'caller.erase' }).first();
    expect(entry).toMatchObject({ tenant_id: w.firmA.id, user_id: w.firmA.users.owner.id, target: 'phone:+1312***77' });
    expect(JSON.parse(entry.details)).toEqual({ calls: 3, turns: 6, intakes: 2, messages: 2, outbox: 2, recordings: 1 });
    expect(JSON.stringify(entry)).not.toContain('0177');
  });

  it('erasing by intake id removes that caller everywhere in the firm (their number and the intake), and another firm cannot', async () => {
    const a = await seed(w.firmA.id, { intake: { outbox: 'pending' } });
    const b = await seed(w.firmA.id, { ageDays: 1 });
    const ownerB = await tokenFor(w.app, w.firmB.users.owner.email);
    expect((await w.app.inject({ method: 'POST', url: '/api/privacy/erase', headers: { authorization: `Bearer ${ownerB}` }, payload: { intakeId: a.intakeId } })).statusCode).toBe(404);
    expect(await count('intakes', { id: a.intakeId })).toBe(1);

    const owner = await tokenFor(w.app, w.firmA.users.owner.email);
    const res = await w.app.inject({ method: 'POST', url: '/api/privacy/erase', headers: { authorization: `Bearer ${owner}` }, payload: { intakeId: a.intakeId } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ calls: 2, intakes: 1 });
    expect(await count('calls', { call_sid: b.callSid })).toBe(0);
    expect(await db('audit_log').where({ action: 'caller.erase' }).first('target')).toEqual({ target: `intake:${a.intakeId}` });
  });

  it('privacy settings: read by any role, changed by the owner (audited), bad values refused', async () => {
    const owner = await tokenFor(w.app, w.firmA.users.owner.email);
    const viewer = await tokenFor(w.app, w.firmA.users.viewer.email);
    const get = await w.app.inject({ method: 'GET', url: '/api/privacy/settings', headers: { authorization: `Bearer ${viewer}` } });
    expect(get.json()).toEqual({ recording: 'off', retentionDays: null });
    expect((await w.app.inject({ method: 'PATCH', url: '/api/privacy/settings', headers: { authorization: `Bearer ${viewer}` }, payload: { recording: 'on' } })).statusCode).toBe(403);
    const patch = await w.app.inject({ method: 'PATCH', url: '/api/privacy/settings', headers: { authorization: `Bearer ${owner}` }, payload: { recording: 'on', retentionDays: 90 } });
    expect(patch.json()).toEqual({ recording: 'on', retentionDays: 90 });
    expect((await w.app.inject({ method: 'PATCH', url: '/api/privacy/settings', headers: { authorization: `Bearer ${owner}` }, payload: { recording: 'sometimes' } })).statusCode).toBe(400);
    expect((await w.app.inject({ method: 'PATCH', url: '/api/privacy/settings', headers: { authorization: `Bearer ${owner}` }, payload: { retentionDays: 0 } })).statusCode).toBe(400);
    expect((await w.app.inject({ method: 'PATCH', url: '/api/privacy/settings', headers: { authorization: `Bearer ${owner}` }, payload: { keepForever: true } })).statusCode).toBe(400);
    expect(await db('audit_log').where({ action: 'privacy.settings' }).first('target')).toEqual({ target: `tenant:${w.firmA.id}` });
  });
});
