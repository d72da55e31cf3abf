// End to end over real sockets: fake Twilio caller -> HERMES (webhook, media stream, CallSession, the real flow
// engine with offline reasoning) -> fake Deepgram (real SDK) -> database; hang-up through the fake Twilio REST API.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { startHarness, statusCallback, type Harness } from '../telephony/harness.js';

describeEachDb('a phone call end to end (%s)', (db) => {
  let h: Harness;
  const scripts = new Map<string, string[]>();

  beforeAll(async () => {
    h = await startHarness({ db, deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex] } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('greets, takes a spoken and a keypad answer, hangs up, and stores every turn with timings', async () => {
    const caller = await h.placeCall({ speed: 2 });
    scripts.set(caller.callSid, ['Jane Doe']);
    // greeting + name question
    await caller.waitForPrompt(15000, 400);
    const greetingFrames = caller.frames.length;
    expect(greetingFrames).toBeGreaterThan(50);
    await caller.speak(800);
    await caller.silence(800);
    await caller.waitFor(() => caller.frames.length > greetingFrames, 8000, 'area question');
    await caller.waitForPrompt(8000, 400);
    caller.dtmf('1');
    // goodbye then the server hangs up: stream closed and the call completed over REST
    await caller.waitFor(() => caller.closedAt !== null, 10000, 'server hang-up');
    const upd = await h.rest.waitForUpdate(caller.callSid);
    expect(upd.params.Status).toBe('completed');
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
    expect(caller.clears.length).toBe(0);

    expect(await statusCallback(h, caller.callSid, 'completed', 14)).toBe(204);
    const call = await h.calls.get(caller.callSid);
    expect(call).toMatchObject({ status: 'completed', durationS: 14, outcome: 'completed', flowId: 'phone_test', flowVersion: '7' });
    const turns = await h.calls.turns(caller.callSid);
    expect(turns.map((t) => [t.speaker, t.text.slice(0, 18)])).toEqual([
      ['agent', 'Hello from Test La'],
      ['agent', 'May I have your fu'],
      ['caller', 'Jane Doe'],
      ['agent', 'Press 1 for family'],
      ['caller', '(pressed 1)'],
      ['agent', 'Thank you, we will'],
    ]);
    for (const t of turns) {
      expect(t.endedAt.getTime()).toBeGreaterThanOrEqual(t.startedAt.getTime());
      if (t.speaker === 'agent') {
        expect(t.interrupted).toBe(false);
        expect(t.heardText).toBe(t.text);
        expect(t.timings?.firstFrameMs).toBeGreaterThanOrEqual(0);
        expect(t.timings?.ttsFirstByteMs).toBe(0); // every line of this flow is a cached prompt
      }
    }
    const intake = await h.db.db('intakes').where({ call_sid: caller.callSid }).first();
    expect(intake).toBeTruthy();
    // no provider socket left behind by the ended call
    await caller.waitFor(() => h.deepgram!.openListens() === 0, 3000, 'STT socket closed');
  });
});
