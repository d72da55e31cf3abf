// The ConversationRelay channel over real sockets: HERMES (webhook, /twilio/relay WebSocket, RelaySession, the real
// flow engine with offline reasoning) <-> the fake ConversationRelay (Twilio's side) -> database; transfers through
// the fake Twilio REST API and <Connect action>. No speech provider of ours: Twilio recognises and speaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';
import { placeRelayCall } from './relay-harness.js';
import { FakeRelayCaller } from '../fakes/relay-caller.js';
import { FakeTwilioCaller } from '../fakes/twilio-caller.js';

describe('ConversationRelay channel', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ deepgram: null, config: { channel: 'conversation-relay', relayVoices: { en: 'en-voice-1' }, relaySpeechMsPerChar: 10 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const released = (c: FakeRelayCaller) => c.waitFor(() => !h.services.callRuntime.sessions.has(c.callSid), 5000, 'session released');

  it('answers <Connect action><ConversationRelay> with explicit providers, both languages and a relay token', async () => {
    const hook = await h.voiceWebhook({});
    expect(hook.twiml).toMatch(/<Connect action="https:\/\/hermes\.example\.com\/twilio\/after-stream" method="POST"><ConversationRelay /);
    expect(hook.twiml).toContain('ttsProvider="ElevenLabs"');
    expect(hook.twiml).toContain('transcriptionProvider="Deepgram"');
    expect(hook.twiml).toContain('voice="en-voice-1"');
    expect(hook.twiml).toContain('dtmfDetection="true"');
    expect(hook.twiml).toContain('<Language code="es-US"');
    expect(hook.params.hermesStreamToken).toMatch(/^v1\./);
    expect(hook.twiml).not.toContain('<Stream');
  });

  it('greets, takes a spoken and a keypad answer, ends with `end`, and stores every turn and the intake', async () => {
    const c = await placeRelayCall(h);
    const greeting = await c.waitForCycle(0);
    expect(greeting.text).toMatch(/^Hello from Test Law\./);
    expect(greeting.lang).toBe('en-US');
    expect((await c.waitForCycle(1)).text).toBe('May I have your full name, please?');
    await c.waitForQuiet();
    c.prompt('Jane Doe', { partials: true });
    expect((await c.waitForCycle(2)).text).toMatch(/^Press 1 for family/);
    await c.waitForQuiet();
    c.dtmf('1');
    await c.waitFor(() => c.ends.length === 1 && c.actionTwiml !== null, 8000, 'end and action');
    expect(JSON.parse(c.ends[0]!.handoffData)).toMatchObject({ reason: 'end', outcome: 'completed' });
    expect(c.cycles.at(-1)!.text).toBe('Thank you, we will call you back. Goodbye.');
    expect(c.actionTwiml).toContain('<Hangup/>');
    await released(c);
    const turns = await h.calls.turns(c.callSid);
    expect(turns.map((t) => [t.speaker, t.text.slice(0, 18)])).toEqual([
      ['agent', 'Hello from Test La'],
      ['agent', 'May I have your fu'],
      ['caller', 'Jane Doe'],
      ['agent', 'Press 1 for family'],
      ['caller', '(pressed 1)'],
      ['agent', 'Thank you, we will'],
    ]);
    for (const t of turns.filter((x) => x.speaker === 'agent')) expect([t.interrupted, t.heardText]).toEqual([false, t.text]);
    expect(await h.calls.get(c.callSid)).toMatchObject({ outcome: 'completed' });
    const intake = await h.db.db('intakes').where({ call_sid: c.callSid }).first();
    expect(JSON.stringify(intake)).toContain('Jane');
    expect(JSON.stringify(intake)).toContain('family');
  });

  it('barge-in: the interrupted line is stored with what Twilio said it had spoken, and the flow goes on', async () => {
    const c = await placeRelayCall(h, { msPerChar: 10 });
    const greeting = await c.waitForCycle(0);
    const question = await c.waitForCycle(1);
    // The fake voice is on the question once the greeting's characters are spoken.
    const questionStarts = greeting.firstAt + greeting.text.length * 10;
    await new Promise((r) => setTimeout(r, Math.max(0, questionStarts + 150 - performance.now())));
    const heard = c.interrupt();
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.length).toBeLessThan(question.text.length);
    c.prompt('Jane Doe');
    expect((await c.waitForCycle(2)).text).toMatch(/^Press 1 for family/);
    await c.waitForQuiet();
    c.hangup();
    await released(c);
    const turns = await h.calls.turns(c.callSid);
    const agent = turns.filter((t) => t.speaker === 'agent');
    expect(agent[0]).toMatchObject({ interrupted: false, heardText: greeting.text });
    expect(agent[1]).toMatchObject({ text: question.text, interrupted: true, heardText: heard });
    expect(turns.map((t) => t.speaker)).toEqual(['agent', 'agent', 'caller', 'agent']);
    expect((await h.metrics.bargeIns.get()).values[0]!.value).toBeGreaterThanOrEqual(1);
  });

  it('a transfer ends the session with `end` and handoffData; <Connect action> and REST both dial the number', async () => {
    const c = await placeRelayCall(h);
    await c.waitForCycle(1);
    await c.waitForQuiet();
    c.dtmf('0'); // the flow's global "human" key
    await c.waitFor(() => c.ends.length === 1 && c.actionTwiml !== null, 8000, 'end and action');
    expect(JSON.parse(c.ends[0]!.handoffData)).toMatchObject({ reason: 'transfer', to: '+13125550100', outcome: 'transferred' });
    expect(c.actionTwiml).toMatch(/<Dial[^>]*><Number>\+13125550100<\/Number><\/Dial>/);
    const upd = await h.rest.waitForUpdate(c.callSid);
    expect(upd.params.Twiml).toContain('<Dial');
    await released(c);
    expect(await h.calls.get(c.callSid)).toMatchObject({ outcome: 'transferred' });
  });

  it('refuses an unsigned or wrongly signed upgrade before the handshake', async () => {
    const hook = await h.voiceWebhook({});
    for (const signWith of [null, 'not-the-auth-token']) {
      const c = new FakeRelayCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: hook.callSid, params: hook.params, signWith });
      await expect(c.connect()).rejects.toThrow(/403/);
    }
    expect(h.services.callRuntime.sessions.has(hook.callSid)).toBe(false);
  });

  it('refuses a setup whose callSid is not the call its token was minted for, and a media-stream token', async () => {
    const a = await h.voiceWebhook({});
    const b = await h.voiceWebhook({});
    // b's token presented for a's callSid: signed upgrade, but the token proves nothing about call a.
    const wrong = new FakeRelayCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: a.callSid, params: b.params });
    await wrong.connect();
    await wrong.waitFor(() => wrong.closedAt !== null, 3000, 'refusal');
    expect(wrong.closeCode).toBe(1008);
    expect(wrong.cycles).toHaveLength(0);
    // A relay token does not open a Media Stream either (purpose is inside the MAC).
    const m = new FakeTwilioCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: a.callSid, params: a.params });
    await m.connect();
    await m.waitFor(() => m.closedAt !== null, 3000, 'media refusal');
    expect(m.closeCode).toBe(1008);
    const rejected = (await h.metrics.mediaRejected.get()).values.map((v) => v.labels.reason);
    expect(rejected).toContain('relay_setup_bad_signature');
    expect(rejected).toContain('start_bad_signature');
    // The call a is still unclaimed: its own token opens it.
    const right = await placeRelayCall(h, { callSid: a.callSid });
    await right.waitForCycle(0);
    right.hangup();
    await released(right);
  });
});
