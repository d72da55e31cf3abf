// Recording that matches the disclosure, and the caller's text after the call, end to end over the real protocols:
// the fake Twilio caller on a signed media stream, the `twilio` SDK against the fake Twilio REST (Recordings and
// Messages resources in Twilio's wire format), signed recording status callbacks and inbound SMS webhooks, the
// outbox worker, and the admin API reading the call record and streaming the audio.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createUser } from '../../src/auth/users.js';
import { updateFirmSettings } from '../../src/intake/firm-settings.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';
import { signedForm, type FakeTwilioCaller } from '../fakes/twilio-caller.js';
import { addFakeRecordings, type FakeRecordings } from '../fakes/twilio-recordings.js';

const FLOW = resolve('test/telephony/fixtures/recorded.yaml');
const RECORDED_LINE = '+13125550101';
const QUIET_LINE = '+13125550102';
const PASSWORD = 'correct horse battery staple';

let h: Harness;
let rec: FakeRecordings;
let token: string;
const scripts = new Map<string, string[]>();

beforeAll(async () => {
  h = await startHarness({
    config: { defaultFlow: FLOW, twilioSmsFrom: '+13125550000', jwtSecret: 'test-secret-that-is-at-least-32-characters-long' },
    deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex] },
  });
  const db = h.db.db;
  const recorded = await createTenant(db, { slug: 'rec-law', name: 'Rec Law', timezone: 'America/Chicago' });
  await updateFirmSettings(db, recorded.id, { recording: 'on' });
  const quiet = await createTenant(db, { slug: 'quiet-law', name: 'Quiet Law', timezone: 'America/Chicago' });
  await db('phone_numbers').insert([
    { e164: RECORDED_LINE, tenant_id: recorded.id, flow: FLOW },
    { e164: QUIET_LINE, tenant_id: quiet.id, flow: FLOW },
  ]);
  await createUser(db, { tenantId: recorded.id, email: 'owner@rec-law.example', role: 'owner', password: PASSWORD });
  const login = await h.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'owner@rec-law.example', password: PASSWORD } });
  token = (login.json() as { accessToken: string }).accessToken;
  rec = addFakeRecordings(h.rest, {
    accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL,
    post: async (url, headers, payload) => (await h.app.inject({ method: 'POST', url, headers, payload })).statusCode,
  });
});
afterAll(async () => {
  await h.close();
});

/** A whole call: each scripted utterance answers the prompt before it; resolves when the flow has hung up. */
async function call(to: string, from: string, said: string[]): Promise<FakeTwilioCaller> {
  const caller = await h.placeCall({ speed: 2, from, to });
  scripts.set(caller.callSid, said);
  for (let i = 0; i < said.length; i++) {
    await caller.waitForPrompt(15000, 400);
    await caller.speak(800);
    await caller.silence(800);
  }
  await caller.waitFor(() => caller.closedAt !== null, 15000, 'the flow ended the call');
  await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
  return caller;
}

async function inboundSms(from: string, body: string): Promise<number> {
  const params = { MessageSid: `SM${'1'.repeat(32)}`, AccountSid: ACCOUNT_SID, From: from, To: '+13125550000', Body: body };
  const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/sms`, params);
  return (await h.app.inject({ method: 'POST', url: '/twilio/sms', headers: f.headers, payload: f.body })).statusCode;
}

/** Polls an async condition (database rows written by callbacks the fake sends on its own). */
async function until(pred: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const deliverAll = async () => {
  for (let i = 0; i < 3; i++) await h.services.worker.runOnce();
};
const textsTo = (to: string) => h.rest.messages.filter((m) => m.To === to);
const api = (url: string, auth = true) => h.app.inject({ method: 'GET', url, headers: auth ? { authorization: `Bearer ${token}` } : {} });

describe('recording that matches the disclosure', () => {
  it('a firm that records says so, and Twilio records both channels only once the disclosure was heard; the callbacks are stored and linked from the call', async () => {
    const from = '+13125550123';
    const caller = await call(RECORDED_LINE, from, ['Denise Carter', 'yes']);
    const turns = await h.calls.turns(caller.callSid);
    const disclosure = turns.find((t) => t.speaker === 'agent')!;
    expect(disclosure.text).toBe("Hello from Test Law. I'm an AI assistant, and this call may be recorded. I can't give legal advice.");
    expect(disclosure.heardText).toBe(disclosure.text);

    const started = rec.recordings.filter((r) => r.callSid === caller.callSid);
    expect(started).toHaveLength(1);
    const r = started[0]!;
    expect(r.params.RecordingChannels).toBe('dual');
    expect(r.params.RecordingStatusCallback).toBe(`${PUBLIC_URL}/twilio/recording-status`);
    expect(r.events).toEqual(['in-progress', 'completed', 'absent']);
    // Started after Twilio's marks proved the whole disclosure played, before the caller's first answer ended.
    expect(r.createdAt).toBeGreaterThanOrEqual(disclosure.endedAt.getTime());
    expect(r.createdAt).toBeLessThanOrEqual(turns.find((t) => t.speaker === 'caller')!.endedAt.getTime());

    // The in-progress callback came while the call was live; Twilio's completed one comes when it ends.
    await until(async () => (await h.db.db('recordings').where({ call_sid: caller.callSid }).first('status'))?.status === 'in-progress', 'in-progress stored');
    expect(await rec.complete(r.sid, 42)).toBe(204);
    const detail = await api(`/api/calls/${caller.callSid}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().recording).toEqual({ status: 'completed', durationSeconds: 42, mediaPath: `/api/calls/${caller.callSid}/recording` });

    const media = await api(detail.json().recording.mediaPath);
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('audio/mpeg');
    expect(media.rawPayload.equals(r.media)).toBe(true);
    expect(rec.mediaRequests).toEqual([`/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${r.sid}.mp3`]);
    expect((await api(detail.json().recording.mediaPath, false)).statusCode).toBe(401);
  }, 60_000);

  it('a firm that does not record neither says so nor records', async () => {
    const caller = await call(QUIET_LINE, '+13125550124', ['Denise Carter', 'yes']);
    const first = (await h.calls.turns(caller.callSid)).find((t) => t.speaker === 'agent')!;
    expect(first.text).toBe("Hello from Test Law. I'm an AI assistant. I can't give legal advice.");
    expect(rec.recordings.filter((r) => r.callSid === caller.callSid)).toHaveLength(0);
    const detail = await api(`/api/calls/${caller.callSid}`);
    expect(detail.statusCode).toBe(404); // another firm's call
    expect(await h.db.db('recordings').where({ call_sid: caller.callSid }).first()).toBeUndefined();
  }, 60_000);

  it('a recording status callback without a valid signature is refused and stores nothing', async () => {
    const params = { AccountSid: ACCOUNT_SID, CallSid: `CA${'f'.repeat(32)}`, RecordingSid: `RE${'f'.repeat(32)}`, RecordingStatus: 'completed' };
    const f = signedForm('wrong-token', `${PUBLIC_URL}/twilio/recording-status`, params);
    const res = await h.app.inject({ method: 'POST', url: '/twilio/recording-status', headers: f.headers, payload: f.body });
    expect(res.statusCode).toBe(403);
    expect(await h.db.db('recordings').where({ recording_sid: params.RecordingSid }).first()).toBeUndefined();
  });
});

describe('the new webhooks are typed and signed like the others', () => {
  it('a signed callback with a malformed RecordingSid is refused with 400 naming it; an unsigned text is refused with 403', async () => {
    const params = { AccountSid: ACCOUNT_SID, CallSid: `CA${'e'.repeat(32)}`, RecordingSid: 'XX1', RecordingStatus: 'completed' };
    const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/recording-status`, params);
    const res = await h.app.inject({ method: 'POST', url: '/twilio/recording-status', headers: f.headers, payload: f.body });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('RecordingSid');
    const sms = await h.app.inject({ method: 'POST', url: '/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'From=%2B13125550140&Body=STOP&MessageSid=SM1' });
    expect(sms.statusCode).toBe(403);
    expect(await h.db.db('sms_opt_outs').where({ phone: '+13125550140' }).first()).toBeUndefined();
  });
});

describe("the caller's text after the call", () => {
  it('goes out once, with the firm name and the next step, in English for an English call', async () => {
    const from = '+13125550131';
    await call(RECORDED_LINE, from, ['Maria Lopez', 'yes']);
    await deliverAll();
    await deliverAll();
    expect(textsTo(from).map((m) => m.Body)).toEqual(['Rec Law: Thank you for calling. An attorney will review your information and call you back at this number. Reply STOP to opt out.']);
    expect(textsTo(from)[0]!.From).toBe('+13125550000');
  }, 60_000);

  it('is in Spanish for a Spanish call', async () => {
    const from = '+13125550132';
    await call(RECORDED_LINE, from, ['español', 'Maria Lopez', 'sí']);
    await deliverAll();
    expect(textsTo(from).map((m) => m.Body)).toEqual(['Rec Law: Gracias por llamar. Un abogado revisará su información y le devolverá la llamada a este número. Responda STOP para no recibir más mensajes.']);
  }, 60_000);

  it('is not sent at all after the caller texted STOP, and START opts them back in', async () => {
    const from = '+13125550133';
    expect(await inboundSms(from, ' stop ')).toBe(200);
    await call(RECORDED_LINE, from, ['Maria Lopez', 'yes']);
    await deliverAll();
    expect(textsTo(from)).toHaveLength(0);
    expect(await h.db.db('outbox').where({ call_sid: (await h.db.db('calls').where({ from_number: from }).first('call_sid')).call_sid, action: 'sms.caller_text' }).first()).toBeUndefined();

    expect(await inboundSms(from, 'Please call me tomorrow')).toBe(200);
    expect(await h.db.db('sms_opt_outs').where({ phone: from }).first('keyword')).toEqual({ keyword: 'STOP' });
    expect(await inboundSms(from, 'START')).toBe(200);
    expect(await h.db.db('sms_opt_outs').where({ phone: from }).first()).toBeUndefined();
  }, 60_000);

  it('a STOP that arrives after the call but before delivery still stops the text', async () => {
    const from = '+13125550134';
    await call(RECORDED_LINE, from, ['Maria Lopez', 'yes']);
    expect(await inboundSms(from, 'UNSUBSCRIBE')).toBe(200);
    await deliverAll();
    expect(textsTo(from)).toHaveLength(0);
    const row = await h.db.db('outbox').where({ action: 'sms.caller_text' }).whereRaw("args like ?", [`%${from}%`]).first('status', 'progress');
    expect(row.status).toBe('delivered');
    expect(JSON.parse(row.progress)).toEqual({ skipped: 'opted out' });
  }, 60_000);
});

describe('a recording setting changed through the admin API', () => {
  it("reaches this instance's next call of the firm at once, though the firm's record is cached", async () => {
    const { id } = (await h.db.db('tenants').where({ slug: 'rec-law' }).first('id')) as { id: number };
    const view = h.services.callRuntime.deps.firmFlow!;
    const flow = await h.services.callRuntime.deps.flows.get(FLOW);
    expect((await view(flow, id)).firm).toEqual({ recording: true });
    const patch = (recording: 'on' | 'off') =>
      h.app.inject({ method: 'PATCH', url: '/api/privacy/settings', headers: { authorization: `Bearer ${token}` }, payload: { recording } });
    expect((await patch('off')).statusCode).toBe(200);
    expect((await view(flow, id)).firm).toEqual({ recording: false });
    expect((await patch('on')).statusCode).toBe(200);
    expect((await view(flow, id)).firm).toEqual({ recording: true });
  });
});
