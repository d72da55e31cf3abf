// Warm transfer end to end over the real protocols: the fake Twilio caller talks to HERMES over a signed media
// stream; the flow's warm transfer reaches Twilio as a REST call update, and the fake Twilio voice engine plays it
// like Twilio: hold line, <Dial> of each on-call number, the attorney's leg (whisper via <Number url>, <Gather>,
// key), <Dial action>. Nobody accepting brings the caller back to a new <Connect><Stream> where the same conversation
// runs the flow's on_no_answer: the caller hears its lines (English and Spanish) and both numbers are paged by SMS
// with the callback number through the outbox.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, startHarness, statusCallback, type Harness } from './harness.js';
import type { FakeTwilioCaller } from '../fakes/twilio-caller.js';
import { FakeTwilioVoice, type Attorney } from '../fakes/twilio-voice.js';

const FLOW = resolve('test/telephony/fixtures/warm-transfer.yaml');
const FIRST = '+13125550199';
const SECOND = '+13125550198';
const CALLER = '+13125550123';

let h: Harness;
const scripts = new Map<string, string[]>();

beforeAll(async () => {
  h = await startHarness({
    config: { defaultFlow: FLOW, twilioSmsFrom: '+13125550000' },
    deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex] },
  });
});
afterAll(async () => {
  await h.close();
});

async function answer(caller: FakeTwilioCaller): Promise<void> {
  await caller.waitForPrompt(15000, 400);
  await caller.speak(800);
  await caller.silence(800);
}

/** Places a call whose REST updates the fake Twilio voice engine carries out, with these attorneys on call. */
async function call(said: string[], attorneys: Record<string, Attorney>): Promise<{ caller: FakeTwilioCaller; voice: FakeTwilioVoice }> {
  const caller = await h.placeCall({ speed: 2, from: CALLER });
  scripts.set(caller.callSid, said);
  const voice = new FakeTwilioVoice(caller.callSid, {
    publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID, serverUrl: h.url.replace('http', 'ws'), from: CALLER, to: '+13125550100', attorneys,
    post: async (url, headers, payload) => {
      const res = await h.app.inject({ method: 'POST', url, headers, payload });
      return { status: res.statusCode, body: res.body };
    },
  });
  h.rest.onUpdate.push((u) => {
    if (u.callSid !== caller.callSid) return;
    if (u.params.Twiml) void voice.run(u.params.Twiml);
    else if (u.params.Status === 'completed') voice.hangUp();
  });
  for (let i = 0; i < said.length; i++) await answer(caller);
  return { caller, voice };
}

const agentLines = async (callSid: string) => (await h.calls.turns(callSid)).filter((t) => t.speaker === 'agent').map((t) => t.text);

describe('warm transfer to the on-call attorney', () => {
  it('the first number does not answer, the second rings, hears the whisper, presses 1 and is connected', async () => {
    const { caller, voice } = await call(['Denise Carter', 'my son was arrested tonight', 'yes'], {
      [FIRST]: { answers: false },
      [SECOND]: { answers: true, presses: '1' },
    });
    await caller.waitFor(() => caller.closedAt !== null, 15000, 'stream left for the transfer');
    await voice.idle();
    await caller.waitFor(() => voice.ended, 10000, 'transfer finished');

    expect(voice.dials.map((d) => [d.number, d.status, d.timeoutS, d.answerOnBridge])).toEqual([
      [FIRST, 'no-answer', 15, true],
      [SECOND, 'completed', 15, true],
    ]);
    expect(voice.bridged).toBe(SECOND);
    const whisper = voice.heard.filter((x) => x.leg === 'attorney' && x.number === SECOND).map((x) => x.text);
    expect(whisper[0]).toBe('Emergency call for Rivera & Associates: Denise Carter, my son was arrested tonight. Press 1 to take the call.');
    expect(voice.heard.some((x) => x.leg === 'attorney' && x.number === FIRST)).toBe(false);
    // The caller heard a hold line before each number, never silence, and no second stream was opened.
    expect(voice.callerLines()).toEqual([
      'Please stay on the line while I reach the attorney on call.',
      "I'm still trying to reach someone. Please stay on the line.",
    ]);
    expect(voice.streams).toHaveLength(0);
    expect(voice.requests.map((r) => r.split('?')[0])).toEqual(['/twilio/warm-result', '/twilio/whisper', '/twilio/whisper-key', '/twilio/warm-result']);

    await caller.waitFor(() => !h.services.callRuntime.parkedCall(caller.callSid), 5000, 'call released');
    expect(await statusCallback(h, caller.callSid, 'completed', 60)).toBe(204);
    expect(await h.calls.get(caller.callSid)).toMatchObject({ outcome: 'transferred', status: 'completed' });
    const intake = await h.db.db('intakes').where({ call_sid: caller.callSid }).first();
    expect(intake.caller_name).toBe('Denise Carter');
    expect(h.rest.messages.filter((m) => m.Body?.includes('Denise Carter'))).toHaveLength(0);
  }, 60_000);

  for (const c of [
    {
      language: 'en',
      said: ['Denise Carter', 'my son was arrested tonight', 'yes'],
      sayLanguage: 'en-US',
      hold: 'Please stay on the line while I reach the attorney on call.',
      lines: ["The attorney on call didn't pick up, so I'm paging them now with your number.", 'An attorney will call you back as soon as possible. If anyone is in danger, hang up and call 911. Goodbye.'],
    },
    {
      language: 'es',
      said: ['español', 'Denise Carter', 'arrestaron a mi hijo esta noche', 'sí'],
      sayLanguage: 'es-US',
      hold: 'Por favor, no cuelgue mientras me comunico con el abogado de guardia.',
      lines: ['El abogado de guardia no contestó, así que le envío un aviso ahora con su número.', 'Un abogado le devolverá la llamada lo antes posible. Si alguien está en peligro, cuelgue y llame al 911. Adiós.'],
    },
  ] as const) {
    it(`nobody answers (${c.language}): the live call runs on_no_answer, the caller hears the flow's lines, both numbers are paged`, async () => {
      const { caller, voice } = await call([...c.said], {
        [FIRST]: { answers: false },
        [SECOND]: { answers: true, presses: null }, // picks up, never presses 1: not connected
      });
      await caller.waitFor(() => caller.closedAt !== null, 15000, 'stream left for the transfer');
      await caller.waitFor(() => voice.streams.length === 1, 10000, 'the call back on a new stream');
      const back = voice.streams[0]!;
      expect(back.callSid).toBe(caller.callSid);
      await back.waitFor(() => back.closedAt !== null, 20000, 'the flow ended the call');
      await back.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
      await caller.waitFor(() => voice.ended, 5000, 'Twilio hung up after the stream');

      expect(voice.dials.map((d) => [d.number, d.status])).toEqual([
        [FIRST, 'no-answer'],
        [SECOND, 'completed'],
      ]);
      expect(voice.bridged).toBeNull();
      // Every line Twilio spoke to the caller is in the caller's language.
      const callerSays = voice.heard.filter((x) => x.leg === 'caller');
      expect(callerSays[0]!.text).toBe(c.hold);
      expect(callerSays.every((x) => x.language === c.sayLanguage)).toBe(true);

      const lines = await agentLines(caller.callSid);
      expect(lines.slice(-2)).toEqual(c.lines);
      // One conversation across both streams: turn numbers go on, nothing is said twice, no second greeting.
      const turns = await h.calls.turns(caller.callSid);
      expect(new Set(turns.map((t) => t.seq)).size).toBe(turns.length);
      expect(turns.map((t) => t.seq)).toEqual(turns.map((_, i) => i + 1));
      expect(lines.filter((l) => l.startsWith('Rivera and Associates') || l.startsWith('Línea de emergencias'))).toHaveLength(1);

      expect(await h.calls.get(caller.callSid)).toMatchObject({ outcome: 'message' });
      await h.services.worker.runOnce();
      const pages = h.rest.messages.filter((m) => m.Body?.includes('Denise Carter'));
      expect(pages.map((m) => m.To).sort()).toEqual([SECOND, FIRST].sort());
      for (const p of pages) {
        expect(p.Body).toContain(CALLER);
        expect(p.Body).toContain('EMERGENCY');
        expect(p.From).toBe('+13125550000');
      }
      h.rest.messages.length = 0;
    }, 90_000);
  }
});
