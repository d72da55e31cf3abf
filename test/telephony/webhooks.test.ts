import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import twilio from 'twilio';
import { describeEachDb } from '../helpers/db.js';
import { AUTH_TOKEN, PUBLIC_URL, startHarness, statusCallback, type Harness } from './harness.js';
import { signedForm } from '../fakes/twilio-caller.js';

const rejected = async (h: Harness, route: string) =>
  (await h.metrics.webhookRejected.get()).values.find((v) => v.labels.route === route)?.value ?? 0;

function upgrade(h: Harness, headers: Record<string, string>, path = '/twilio/media'): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(h.url.replace('http', 'ws') + path, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode });
      res.resume();
    });
    ws.once('error', () => resolve({ opened: false }));
  });
}

describeEachDb('Twilio webhooks (%s)', (db) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db, deepgram: null });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses an unsigned voice webhook with 403, no TwiML, a log line and a metric', async () => {
    const res = await fetch(`${h.url}/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'CallSid=CA1&From=%2B13125550123&To=%2B13125550100',
    });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain('<Response');
    expect(await rejected(h, 'voice')).toBe(1);
    expect(h.logLines.some((l) => l.includes('Twilio request refused'))).toBe(true);
    expect(Number((await h.db.db('calls').count({ n: '*' }).first())!.n)).toBe(0);
  });

  it('refuses a voice webhook signed with another token or for another URL', async () => {
    const params = { CallSid: 'CA2', From: '+13125550123', To: '+13125550100' };
    const wrongToken = signedForm('not-the-token', `${PUBLIC_URL}/twilio/voice`, params);
    expect((await fetch(`${h.url}/twilio/voice`, { method: 'POST', headers: wrongToken.headers, body: wrongToken.body })).status).toBe(403);
    const wrongUrl = signedForm(AUTH_TOKEN, `https://evil.example.com/twilio/voice`, params);
    expect((await fetch(`${h.url}/twilio/voice`, { method: 'POST', headers: wrongUrl.headers, body: wrongUrl.body })).status).toBe(403);
    // a parameter changed after signing
    const tampered = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/voice`, params);
    const res = await fetch(`${h.url}/twilio/voice`, { method: 'POST', headers: tampered.headers, body: tampered.body.replace('CA2', 'CA3') });
    expect(res.status).toBe(403);
  });

  it('answers a signed voice webhook with <Connect><Stream> on the public wss URL, parameters and no query string, and stores the call', async () => {
    const hook = await h.voiceWebhook({ from: '+13125550123', to: '+13125550100' });
    expect(hook.status).toBe(200);
    expect(hook.twiml).toContain(
      '<Connect action="https://hermes.example.com/twilio/after-stream" method="POST"><Stream url="wss://hermes.example.com/twilio/media">',
    );
    expect(hook.twiml).not.toMatch(/url="[^"]*\?/);
    expect(hook.params).toMatchObject({ callSid: hook.callSid, from: '+13125550123', to: '+13125550100' });
    expect(hook.params.flow).toContain('phone.yaml');
    const call = await h.calls.get(hook.callSid);
    expect(call).toMatchObject({ from: '+13125550123', to: '+13125550100', flowId: 'phone_test', flowVersion: '7', status: 'in-progress', tenantId: null });
    // a retried webhook (Twilio retries on timeouts) does not fail or duplicate the row
    const again = await h.voiceWebhook({ callSid: hook.callSid });
    expect(again.status).toBe(200);
    // the caller's number never reaches the logs in full
    expect(h.logLines.join('\n')).not.toContain('+13125550123');
  });

  it('routes a number mapped in phone_numbers to its tenant and flow', async () => {
    const [tenant] = await h.db.db('tenants').insert({ name: 'Firm B', slug: `firm-b-${Date.now()}` }).returning('id');
    const tenantId = typeof tenant === 'object' ? (tenant as { id: number }).id : (tenant as number);
    await h.db.db('phone_numbers').insert({ e164: '+13125550777', tenant_id: tenantId, flow: h.config.defaultFlow });
    const hook = await h.voiceWebhook({ to: '+13125550777' });
    expect(hook.params.tenant).toBe(String(tenantId));
    expect((await h.calls.get(hook.callSid))?.tenantId).toBe(Number(tenantId));
  });

  it('records the final status and duration from a signed status callback, and refuses an unsigned one', async () => {
    const hook = await h.voiceWebhook({});
    const unsigned = await fetch(`${h.url}/twilio/status`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `CallSid=${hook.callSid}&CallStatus=completed&CallDuration=9`,
    });
    expect(unsigned.status).toBe(403);
    expect(await statusCallback(h, hook.callSid, 'completed', 42)).toBe(204);
    const call = await h.calls.get(hook.callSid);
    expect(call).toMatchObject({ status: 'completed', durationS: 42 });
    expect(call?.endedAt).toBeInstanceOf(Date);
  });

  it('without a Deepgram key a call is still answered: Twilio speaks the apology and the call goes to the firm', async () => {
    const caller = await h.placeCall();
    const upd = await h.rest.waitForUpdate(caller.callSid, 5000);
    // only the apology is spoken before the transfer (not the greeting and a question nobody can answer)
    expect(upd.params.Twiml).toMatch(/<Response><Say language="en-US">[^<]+<\/Say><Dial/);
    expect(upd.params.Twiml).not.toContain('May I have your full name');
    // The <Dial> reports how it ended, so an unanswered transfer becomes a voicemail.
    expect(upd.params.Twiml).toContain(
      '<Dial answerOnBridge="true" action="https://hermes.example.com/twilio/dial-result?to=%2B13125550100" method="POST" timeout="25"><Number>+13125550100</Number></Dial>',
    );
    await caller.waitFor(() => caller.closedAt !== null, 5000, 'stream closed');
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
    expect((await h.calls.get(caller.callSid))?.outcome).toBe('transferred');
  });

  it('refuses an unsigned or wrongly signed media stream upgrade with 403 before the handshake', async () => {
    const wsUrl = `${PUBLIC_URL.replace('https', 'wss')}/twilio/media`;
    expect(await upgrade(h, {})).toEqual({ opened: false, status: 403 });
    expect(await upgrade(h, { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature('wrong', wsUrl, {}) })).toEqual({ opened: false, status: 403 });
    expect(await rejected(h, 'media')).toBe(2);
    expect(await upgrade(h, { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, wsUrl, {}) })).toEqual({ opened: true });
    // Twilio's documented variant: the URL signed with a trailing slash
    expect(await upgrade(h, { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${wsUrl}/`, {}) })).toEqual({ opened: true });
  });
});

describe('without Twilio REST credentials', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ deepgram: null, config: { twilioAccountSid: null } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a transfer still happens: <Connect action> answers with the apology in Twilio\'s voice and the <Dial>', async () => {
    const caller = await h.placeCall();
    await caller.waitFor(() => caller.closedAt !== null, 5000, 'stream closed by HERMES');
    expect(h.rest.updates.length).toBe(0);
    const unsigned = await h.app.inject({ method: 'POST', url: '/twilio/after-stream', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `CallSid=${caller.callSid}` });
    expect(unsigned.statusCode).toBe(403);
    const params = { CallSid: caller.callSid, AccountSid: 'AC' + '0'.repeat(32), CallStatus: 'in-progress' };
    const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/after-stream`, params);
    const res = await h.app.inject({ method: 'POST', url: '/twilio/after-stream', headers: f.headers, payload: f.body });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<Say language="en-US">[^<]+<\/Say><Dial answerOnBridge="true" action="[^"]+\/twilio\/dial-result\?to=%2B13125550100" method="POST" timeout="25"><Number>\+13125550100<\/Number><\/Dial>/);
    // asked again (or for an unknown call) the answer is a plain hang-up
    const again = await h.app.inject({ method: 'POST', url: '/twilio/after-stream', headers: f.headers, payload: f.body });
    expect(again.body).toContain('<Hangup/>');
  });
});
