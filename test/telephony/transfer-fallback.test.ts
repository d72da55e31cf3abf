import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';
import { signedForm } from '../fakes/twilio-caller.js';
import { dialTwiml } from '../../src/telephony/twiml.js';
import { dialActionPath } from '../../src/telephony/transfer-fallback.js';

const ON_CALL = '+13125550199';

async function post(h: Harness, path: string, params: Record<string, string>, sign = true) {
  const f = signedForm(sign ? AUTH_TOKEN : 'wrong-token', `${PUBLIC_URL}${path}`, params);
  const res = await h.app.inject({ method: 'POST', url: path, headers: f.headers, payload: f.body });
  return { status: res.statusCode, body: res.body };
}

describe('an unanswered transfer becomes a voicemail', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db: 'sqlite', deepgram: null });
  });
  afterAll(async () => h.close());

  it('asks Twilio to report how the transfer ended and rings for a bounded time', () => {
    const twiml = dialTwiml(ON_CALL, [], `${PUBLIC_URL}${dialActionPath(ON_CALL)}`);
    expect(twiml).toContain(`action="${PUBLIC_URL}/twilio/dial-result?to=%2B13125550199"`);
    expect(twiml).toMatch(/timeout="\d+"/);
  });

  it('hangs up after an answered transfer and records a message after an unanswered one', async () => {
    const { callSid } = await h.voiceWebhook({});
    const answered = await post(h, dialActionPath(ON_CALL), { CallSid: callSid, DialCallStatus: 'completed' });
    expect(answered.body).toContain('<Hangup/>');
    expect(answered.body).not.toContain('<Record');

    const missed = await post(h, dialActionPath(ON_CALL), { CallSid: callSid, DialCallStatus: 'no-answer' });
    expect(missed.status).toBe(200);
    expect(missed.body).toContain('leave your name');
    expect(missed.body).toContain(`<Record action="${PUBLIC_URL}/twilio/recording?to=%2B13125550199"`);
  });

  it('queues the recording as an urgent message for the on-call number', async () => {
    const { callSid } = await h.voiceWebhook({});
    const path = `/twilio/recording?to=${encodeURIComponent(ON_CALL)}`;
    const res = await post(h, path, { CallSid: callSid, RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingDuration: '14' });
    expect(res.body).toContain('Goodbye');
    const rows = await h.db.db('outbox').where({ call_sid: callSid, action: 'take_message' });
    expect(rows).toHaveLength(1);
    const args = JSON.parse(rows[0].args as string) as Record<string, unknown>;
    expect(args).toMatchObject({ notify: ON_CALL, urgent: true, recording_url: 'https://api.twilio.com/rec/RE1' });
  });

  it('refuses unsigned dial results and recordings', async () => {
    expect((await post(h, dialActionPath(ON_CALL), { CallSid: 'CA9', DialCallStatus: 'busy' }, false)).status).toBe(403);
    expect((await post(h, '/twilio/recording', { CallSid: 'CA9', RecordingUrl: 'x' }, false)).status).toBe(403);
  });
});
