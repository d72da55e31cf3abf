// A warm transfer from a ConversationRelay call: the session parks the conversation (as on Media Streams) before it
// sends `end`, so the attorney's whisper has the caller's details, and <Connect action> answers the warm <Dial>.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';
import { FakeRelayCaller } from '../fakes/relay-caller.js';
import { signedForm } from '../fakes/twilio-caller.js';
import { placeRelayCall } from './relay-harness.js';

const FLOW = resolve('test/telephony/fixtures/warm-transfer.yaml');

describe('a warm transfer on ConversationRelay', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ deepgram: null, config: { defaultFlow: FLOW, channel: 'conversation-relay', relaySpeechMsPerChar: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('ends with handoffData naming a warm transfer; the parked call holds the whisper; the action rings the first number', async () => {
    const c = await placeRelayCall(h, { from: '+13125550123' });
    for (const said of ['Denise Carter', 'my son was arrested tonight', 'yes']) {
      await c.waitForQuiet(150, 15000);
      const replied = c.cycles.filter((x) => x.closed).length;
      c.prompt(said);
      await c.waitForCycle(replied, 15000);
    }
    await c.waitFor(() => c.ends.length === 1 && c.actionTwiml !== null, 15000, 'end and action');
    expect(JSON.parse(c.ends[0]!.handoffData)).toMatchObject({ reason: 'transfer', warm: true, to: '+13125550199' });
    const parked = h.services.callRuntime.parkedCall(c.callSid);
    expect(parked?.warm.whisper).toBe('Emergency call for Rivera & Associates: Denise Carter, my son was arrested tonight. Press 1 to take the call.');
    expect(c.actionTwiml).toContain('+13125550199');
    await c.waitFor(() => !h.services.callRuntime.sessions.has(c.callSid), 5000, 'session released');
    // Parked, not ended: the intake and call row wait for the transfer's result.
    expect((await h.calls.get(c.callSid))?.outcome).toBeNull();
  });

  it('nobody accepts: the call comes back on a new ConversationRelay session where the same conversation goes on', async () => {
    const c = await placeRelayCall(h, { from: '+13125550123' });
    for (const said of ['Denise Carter', 'my son was arrested tonight', 'yes']) {
      await c.waitForQuiet(150, 15000);
      const replied = c.cycles.filter((x) => x.closed).length;
      c.prompt(said);
      await c.waitForCycle(replied, 15000);
    }
    await c.waitFor(() => c.ends.length === 1, 15000, 'end');
    await c.waitFor(() => !h.services.callRuntime.sessions.has(c.callSid), 5000, 'first session released');
    const numbers = h.services.callRuntime.parkedCall(c.callSid)!.warm.numbers;
    // Twilio reports the last on-call number unanswered (<Dial action>).
    const params = { CallSid: c.callSid, AccountSid: ACCOUNT_SID, From: '+13125550123', To: '+13125550100', CallStatus: 'in-progress', DialCallStatus: 'no-answer' };
    const path = `/twilio/warm-result?i=${numbers.length - 1}&lang=en`;
    const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}${path}`, params);
    const res = await h.app.inject({ method: 'POST', url: path, headers: f.headers, payload: f.body });
    expect(res.body).toContain('<ConversationRelay url="wss://hermes.example.com/twilio/relay"');
    const back: Record<string, string> = {};
    for (const m of res.body.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)) back[m[1]!] = m[2]!;
    const again = new FakeRelayCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: c.callSid, params: back, action: '/twilio/after-stream' });
    await again.connect();
    const first = await again.waitForCycle(0, 10000);
    expect(first.text).toBe("The attorney on call didn't pick up, so I'm paging them now with your number.");
    await again.waitFor(() => again.ends.length === 1, 15000, 'end after paging');
    expect(again.cycles.at(-1)!.text).toMatch(/^An attorney will call you back/);
    await again.waitFor(() => !h.services.callRuntime.sessions.has(c.callSid), 5000, 'session released');
    expect((await h.calls.get(c.callSid))?.outcome).toBe('message');
    // One transcript across both sessions, numbered on.
    const seqs = (await h.calls.turns(c.callSid)).map((t) => t.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
