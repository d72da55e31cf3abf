// The warm transfer's webhooks one by one, signed like Twilio signs them: what a call this instance does not hold
// gets (a voicemail in the caller's language, a generic whisper), that only 1 connects, that the blind transfer's
// voicemail speaks Spanish in a Spanish call, and that unsigned or malformed requests are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';
import { newCallSid, signedForm } from '../fakes/twilio-caller.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ deepgram: null });
});
afterAll(async () => {
  await h.close();
});

async function post(path: string, params: Record<string, string>, sign = true): Promise<{ status: number; body: string }> {
  const f = signedForm(sign ? AUTH_TOKEN : 'wrong-token', `${PUBLIC_URL}${path}`, params);
  const res = await h.app.inject({ method: 'POST', url: path, headers: f.headers, payload: f.body });
  return { status: res.statusCode, body: res.body };
}

const base = () => ({ AccountSid: ACCOUNT_SID, CallSid: newCallSid(), From: '+13125550123', To: '+13125550100', CallStatus: 'in-progress' });

describe('warm transfer webhooks', () => {
  it('a warm result for a call this instance does not hold takes a voicemail in the caller\'s language', async () => {
    const r = await post('/twilio/warm-result?i=1&lang=es', { ...base(), DialCallStatus: 'no-answer' });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<Say language="es-US">No pudimos comunicarnos con el abogado de guardia.');
    expect(r.body).toMatch(/<Record action="https:\/\/hermes\.example\.com\/twilio\/recording\?to=&amp;lang=es"/);
    expect(r.body).not.toMatch(/<Say[^>]*>[^<]*(Please|attorney on call could)/);
  });

  it('a warm result after the caller hung up answers a hang-up and dials nobody', async () => {
    const r = await post('/twilio/warm-result?i=0&lang=en', { ...base(), CallStatus: 'completed', DialCallStatus: 'no-answer' });
    expect(r.body).toMatch(/<Response><Hangup\/><\/Response>/);
  });

  it('the whisper for an unknown call is generic, and only 1 connects', async () => {
    const parent = newCallSid();
    const w = await post('/twilio/whisper?i=0&lang=en', { ...base(), ParentCallSid: parent });
    expect(w.body).toMatch(/<Gather numDigits="1" timeout="8" action="https:\/\/hermes\.example\.com\/twilio\/whisper-key\?i=0&amp;lang=en" method="POST" actionOnEmptyResult="false"><Say language="en-US">You have a call from HERMES\. Press 1 to take the call\.<\/Say>/);
    expect(w.body).toMatch(/<\/Gather><Say[^>]*>[^<]+<\/Say><Hangup\/>/);
    const yes = await post('/twilio/whisper-key?i=0&lang=en', { ...base(), ParentCallSid: parent, Digits: '1' });
    expect(yes.body).toMatch(/<Response\/>/);
    const no = await post('/twilio/whisper-key?i=0&lang=en', { ...base(), ParentCallSid: parent, Digits: '2' });
    expect(no.body).toMatch(/<Hangup\/><\/Response>/);
  });

  it('a blind transfer nobody answers takes the voicemail in Spanish for a Spanish call, and thanks in Spanish', async () => {
    const r = await post('/twilio/dial-result?to=%2B13125550199&lang=es', { ...base(), DialCallStatus: 'no-answer' });
    expect(r.body).toContain('<Say language="es-US">');
    expect(r.body).toContain('recording?to=%2B13125550199&amp;lang=es');
    const done = await post('/twilio/recording?to=%2B13125550199&lang=es', { ...base(), RecordingUrl: '', RecordingDuration: '0' });
    expect(done.body).toContain('<Say language="es-US">Gracias.');
  });

  it('refuses unsigned requests with 403 and a malformed step with 400', async () => {
    expect((await post('/twilio/whisper?i=0&lang=en', base(), false)).status).toBe(403);
    expect((await post('/twilio/warm-result?i=0&lang=en', base(), false)).status).toBe(403);
    const bad = await post('/twilio/warm-result?i=x&lang=en', { ...base(), DialCallStatus: 'no-answer' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('query parameter i');
    expect((await post('/twilio/whisper-key?i=0&lang=fr', { ...base(), Digits: '1' })).status).toBe(400);
  });
});

describe('the stream of a call back from a transfer', () => {
  it('takes only a token minted after the call was sent back, not the first stream\'s', async () => {
    const { createStreamGate } = await import('../../src/telephony/stream-gate.js');
    const { mintStreamToken, streamTokenKey, STREAM_TOKEN_PARAM } = await import('../../src/telephony/stream-token.js');
    const callSid = newCallSid();
    await h.calls.create({ callSid, tenantId: null, from: '+13125550123', to: '+13125550100', flowId: 'f', flowVersion: '1', flowRef: null, startedAt: new Date() });
    const key = streamTokenKey(null, AUTH_TOKEN)!;
    const returnedAt = Date.now();
    const gate = createStreamGate({ key, calls: h.calls, mintedNotBefore: (sid) => (sid === callSid ? returnedAt : undefined) });
    const old = mintStreamToken(key, callSid, 'media', returnedAt - 30_000);
    expect(await gate.admit(callSid, 'MZ1', { [STREAM_TOKEN_PARAM]: old })).toEqual({ ok: false, reason: 'expired_token' });
    const fresh = mintStreamToken(key, callSid, 'media', returnedAt);
    expect(await gate.admit(callSid, 'MZ2', { [STREAM_TOKEN_PARAM]: fresh })).toMatchObject({ ok: true });
  });
});
