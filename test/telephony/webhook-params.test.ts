// Typed Twilio webhook parameters: a signed webhook whose CallSid (or any parameter) is repeated arrives as an array;
// it is refused with 400 naming the parameter, after the signature check, and no call row is written or changed.
import type { RouteOptions } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialActionPath } from '../../src/telephony/transfer-fallback.js';
import { typeWebhookParams } from '../../src/telephony/webhook-params.js';
import { newCallSid } from '../fakes/twilio-caller.js';
import { AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';

type Params = Record<string, string | string[]>;

/** A form body as Twilio's signature covers it: a repeated name is signed with each of its values. */
function signed(path: string, params: Params, token = AUTH_TOKEN) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) form.append(k, one);
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${PUBLIC_URL}${path}`, params) },
    payload: form.toString(),
  };
}

describe('typed Twilio webhook parameters', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ db: 'sqlite', deepgram: null }); });
  afterAll(async () => { await h?.close(); });

  const post = (path: string, params: Params, token?: string) => h.app.inject({ method: 'POST', url: path, ...signed(path, params, token) });
  const callCount = async () => Number(((await h.db.db('calls').count({ n: '*' })) as [{ n: number | string }])[0].n);

  it('refuses a signed voice webhook with two CallSid values with 400 naming CallSid, and stores no call', async () => {
    const [a, b] = [newCallSid(), newCallSid()];
    const before = await callCount();
    const r = await post('/twilio/voice', { CallSid: [a, b], From: '+13125550123', To: '+13125550100' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toBe('parameter CallSid is repeated (2 values); Twilio sends each parameter once');
    expect(r.body).not.toContain('<Response');
    expect(await callCount()).toBe(before);
    expect(await h.calls.get(a)).toBeNull();
    expect(await h.calls.get(b)).toBeNull();
    // The same value twice is still two values.
    expect((await post('/twilio/voice', { CallSid: [a, a], From: '+13125550123', To: '+13125550100' })).statusCode).toBe(400);
  });

  it('checks the signature first: an unsigned or wrongly signed repeated CallSid is 403, not 400', async () => {
    const r = await post('/twilio/voice', { CallSid: [newCallSid(), newCallSid()] }, 'wrong-token');
    expect(r.statusCode).toBe(403);
    expect(r.body).toBe('Forbidden');
  });

  it('accepts the parameters Twilio sends that HERMES does not read', async () => {
    const r = await post('/twilio/voice', {
      CallSid: newCallSid(), AccountSid: `AC${'a'.repeat(32)}`, From: '+13125550123', To: '+13125550100', CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<Connect');
  });

  it('names a missing or malformed CallSid', async () => {
    const missing = await post('/twilio/voice', { From: '+13125550123', To: '+13125550100' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toBe('parameter CallSid is missing');
    const odd = await post('/twilio/voice', { CallSid: "CA1' OR 1=1 --" });
    expect(odd.statusCode).toBe(400);
    expect(odd.body).toContain('parameter CallSid is not in the form Twilio sends (CA followed by letters and digits)');
    const before = await callCount();
    const nul = await post('/twilio/voice', { CallSid: newCallSid(), From: '+1312555\u00000123', To: '+13125550100' });
    expect(nul.statusCode).toBe(400);
    expect(nul.body).toBe('parameter From is not in the form Twilio sends (text without NUL characters)');
    expect(await callCount()).toBe(before);
  });

  it('refuses a status callback with a repeated CallStatus or a non-numeric duration and leaves the call as it was', async () => {
    const hook = await h.voiceWebhook({});
    const twice = await post('/twilio/status', { CallSid: hook.callSid, CallStatus: ['completed', 'failed'], CallDuration: '9' });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('parameter CallStatus is repeated');
    const duration = await post('/twilio/status', { CallSid: hook.callSid, CallStatus: 'completed', CallDuration: '9; DROP' });
    expect(duration.statusCode).toBe(400);
    expect(duration.body).toContain('parameter CallDuration');
    const sids = await post('/twilio/status', { CallSid: [hook.callSid, newCallSid()], CallStatus: 'completed' });
    expect(sids.statusCode).toBe(400);
    expect((await h.calls.get(hook.callSid))?.status).toBe('in-progress');
    // An empty duration is unknown, not malformed: the final status still lands.
    expect((await post('/twilio/status', { CallSid: hook.callSid, CallStatus: 'completed', CallDuration: '' })).statusCode).toBe(204);
    expect((await h.calls.get(hook.callSid))?.status).toBe('completed');
  });

  it('types the query string too: a dial result with the dialled number twice is 400', async () => {
    const hook = await h.voiceWebhook({});
    const path = `${dialActionPath('+13125550199')}&to=%2B13125550000`;
    const r = await post(path, { CallSid: hook.callSid, DialCallStatus: 'no-answer' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('query parameter to is repeated');
    const after = await post('/twilio/after-stream', { CallSid: [hook.callSid, hook.callSid] });
    expect(after.statusCode).toBe(400);
  });

  it('refuses at startup a Twilio webhook route that has no parameter schema', () => {
    const route = (url: string, method = 'POST') => ({ method, url, handler: () => null }) as unknown as RouteOptions;
    expect(() => typeWebhookParams(route('/twilio/new-hook'))).toThrow(/parameter schema/);
    const voice = route('/twilio/voice');
    typeWebhookParams(voice);
    expect(voice.attachValidation).toBe(true);
    expect(voice.schema?.body).toBeDefined();
    expect(() => typeWebhookParams(route('/healthz', 'GET'))).not.toThrow();
  });
});
