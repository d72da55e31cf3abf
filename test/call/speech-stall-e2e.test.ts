// A voice that stalls mid-reply, over real sockets: fake Twilio caller -> HERMES (generate flow, online reasoner on the
// fake OpenAI server) -> the fake Deepgram speak socket, set to send 400 ms of a sentence and then nothing (socket
// open, no Flushed). With REST alive the caller hears the rest of the reply from REST within 2 s, no part of it twice,
// and the call goes on to the next question; with REST stalled too, the caller hears one apology (the cached one)
// within 2 s and is transferred. The stored transcript keeps as heard only what the marks prove played.
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../telephony/harness.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/bench/fakes/openai-server.js';
import { fakeAudioFor } from '../../src/bench/fakes/deepgram-server.js';
import type { FakeTwilioCaller, ReceivedFrame } from '../fakes/twilio-caller.js';
import { APOLOGY_TEXT } from '../../src/call/ports.js';
import { PHRASES } from '../../src/flows/phrases.js';

const GENERATE_FLOW = resolve('test/call/fixtures/generate.yaml');
const MS_PER_CHAR = 20;
const STALL_AFTER_BYTES = 3200; // 400 ms of 8 kHz mu-law
const REPLY = [
  "I'm sorry to hear your landlord kept your deposit.",
  'That must be frustrating after moving out.',
  'A lawyer at the firm will go over the details with you.',
];
const NEXT_QUESTION = 'When is the best time to call you back?';

let h: Harness;
let llm: FakeOpenAI;
const scripts = new Map<string, string[]>();

beforeAll(async () => {
  llm = await startFakeOpenAI({ chunkDelayMs: 20, responder: (req) => (req.stream ? REPLY.join(' ') : '{"slot": null}') });
  h = await startHarness({
    config: { defaultFlow: GENERATE_FLOW, openaiApiKey: 'sk-test-key', openaiBaseUrl: llm.baseURL },
    deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex], speak: { msPerChar: MS_PER_CHAR } },
  });
});
afterAll(async () => {
  await h?.close();
  await llm?.close();
});
beforeEach(() => {
  h.deepgram!.configure({ speak: { socketStallAfterBytes: null, restStall: false } });
});

/** 20 ms frames the fake plays for `text` (each sentence's last frame is padded). */
const framesOf = (text: string) => Math.ceil(fakeAudioFor(text, MS_PER_CHAR).length / 160);

/** The longest stretch between two frames (the caller hears it as silence), and the frame that ended it. */
function longestGap(frames: ReceivedFrame[]): { ms: number; resumedAt: number; before: number } {
  let best = { ms: 0, resumedAt: 0, before: 0 };
  for (let i = 1; i < frames.length; i++) {
    const ms = frames[i]!.at - frames[i - 1]!.at;
    if (ms > best.ms) best = { ms, resumedAt: frames[i]!.at, before: i };
  }
  return best;
}

async function answerTopic(caller: FakeTwilioCaller): Promise<number> {
  await caller.waitForPrompt(15000, 400); // "What is your call about?"
  const before = caller.frames.length;
  await caller.speak(800);
  await caller.silence(800);
  await caller.waitFor(() => caller.frames.length > before, 8000, 'reply audio');
  return before;
}

describe('a voice that stalls in the middle of a reply', () => {
  it('after 400 ms of audio and then nothing, REST carries the rest within 2 s, nothing twice, and the call goes on', async () => {
    const caller = await h.placeCall({ speed: 2 });
    scripts.set(caller.callSid, ['my landlord kept my deposit', 'mornings are best']);
    h.deepgram!.configure({ speak: { socketStallAfterBytes: STALL_AFTER_BYTES } });
    const restBefore = h.deepgram!.speak.restRequests;
    const before = await answerTopic(caller);
    await caller.waitForPrompt(15000, 600); // the rest of the reply, then the next question
    h.deepgram!.configure({ speak: { socketStallAfterBytes: null } });

    const reply = caller.frames.slice(before);
    // What the caller heard: 400 ms from the socket, one gap, then the rest from REST, well within 2 s.
    const gap = longestGap(reply);
    expect(gap.before).toBe(STALL_AFTER_BYTES / 160);
    // frames leave in real time, so the gap between two of them is what the caller hears as silence
    expect(gap.ms).toBeLessThan(2000);
    console.log(`stall -> REST audio: ${Math.round(gap.ms)} ms between frames (400 ms played before it)`);
    // Nothing twice: the reply and the next question are exactly their own audio, the 400 ms not repeated.
    const expected = REPLY.reduce((n, s) => n + framesOf(s), 0) + framesOf(NEXT_QUESTION);
    expect(Math.abs(reply.length - expected)).toBeLessThanOrEqual(2);
    expect(h.deepgram!.speak.restRequests - restBefore).toBe(REPLY.length);

    // The call goes on: the next question is answered and the flow ends normally.
    await caller.speak(800);
    await caller.silence(800);
    await caller.waitFor(() => caller.closedAt !== null, 15000, 'server hang-up');
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
    const turns = await h.calls.turns(caller.callSid);
    expect(turns.map((t) => [t.speaker, t.text, t.heardText])).toEqual([
      ['agent', 'What is your call about?', 'What is your call about?'],
      ['caller', 'my landlord kept my deposit', null],
      ['agent', REPLY.join(' '), REPLY.join(' ')],
      ['agent', NEXT_QUESTION, NEXT_QUESTION],
      ['caller', 'mornings are best', null],
      ['agent', 'Thank you, we will call you back. Goodbye.', 'Thank you, we will call you back. Goodbye.'],
    ]);
    expect(caller.clears.length).toBe(0);
    expect((await h.calls.get(caller.callSid))?.outcome).toBe('completed');
  });

  it('with REST stalled too, the caller hears exactly one apology within 2 s and is transferred', async () => {
    const caller = await h.placeCall({ speed: 2 });
    scripts.set(caller.callSid, ['my landlord kept my deposit']);
    h.deepgram!.configure({ speak: { socketStallAfterBytes: STALL_AFTER_BYTES, restStall: true } });
    const before = await answerTopic(caller);
    const firstReplyFrameAt = caller.frames[before]!.at;
    const transfer = await h.rest.waitForUpdate(caller.callSid, 10000);
    h.deepgram!.configure({ speak: { socketStallAfterBytes: null, restStall: false } });
    expect(transfer.params.Twiml).toContain('<Dial');

    const heard = caller.frames.slice(before);
    const gap = longestGap(heard);
    // 400 ms of the reply, silence, then the apology and nothing else: one apology's worth of audio.
    expect(gap.before).toBe(STALL_AFTER_BYTES / 160);
    expect(heard.length - gap.before).toBe(framesOf(APOLOGY_TEXT));
    const apologyAt = gap.resumedAt;
    expect(apologyAt - firstReplyFrameAt).toBeLessThan(2000 + 400);
    expect(gap.ms).toBeLessThan(2000);
    console.log(`stall with REST dead -> apology: ${Math.round(apologyAt - firstReplyFrameAt)} ms after the reply's first frame, ${Math.round(gap.ms)} ms gap`);

    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 8000, 'session released');
    const turns = await h.calls.turns(caller.callSid);
    const agent = turns.filter((t) => t.speaker === 'agent');
    // Exactly one apology, and not the flow's own on top of ours.
    expect(agent.filter((t) => /sorry/i.test(t.text) && !t.text.startsWith("I'm sorry to hear")).map((t) => t.text)).toEqual([APOLOGY_TEXT]);
    expect(agent.some((t) => t.text === PHRASES.trouble.en)).toBe(false);
    // The reply's partial sentence has no mark back: nothing of it is stored as heard.
    const reply = agent.find((t) => t.text.startsWith("I'm sorry to hear"))!;
    expect(reply.heardText).toBe('');
    expect(agent.find((t) => t.text === APOLOGY_TEXT)?.heardText).toBe(APOLOGY_TEXT);
    expect((await h.calls.get(caller.callSid))?.outcome).toBe('transferred');
  });

  it('a socket that never speaks and a REST that never answers: one apology within 2 s of the request, not 4.5 s', async () => {
    const caller = await h.placeCall({ speed: 2 });
    scripts.set(caller.callSid, ['my landlord kept my deposit']);
    h.deepgram!.configure({ speak: { socketStallAfterBytes: 0, restStall: true } });
    const received = h.deepgram!.speak.received.length;
    const before = await answerTopic(caller);
    const apologyAt = caller.frames[before]!.at;
    await h.rest.waitForUpdate(caller.callSid, 10000);
    h.deepgram!.configure({ speak: { socketStallAfterBytes: null, restStall: false } });

    const asked = h.deepgram!.speak.received.slice(received);
    // The first sentence went to the socket, then (raced, not after the socket's deadline) to REST, once.
    expect([asked[0]!.via, asked[0]!.text]).toEqual(['socket', REPLY[0]]);
    const rest = asked.filter((r) => r.via === 'rest');
    expect(rest.map((r) => r.text)).toEqual([REPLY[0]]);
    expect(rest[0]!.at - asked[0]!.at).toBeLessThan(1000);
    expect(apologyAt - asked[0]!.at).toBeLessThan(2000);
    console.log(`socket and REST silent -> apology ${Math.round(apologyAt - asked[0]!.at)} ms after the text reached the socket (REST raced from +${Math.round(rest[0]!.at - asked[0]!.at)} ms)`);
    // All the caller heard after their answer is the one apology.
    expect(caller.frames.length - before).toBe(framesOf(APOLOGY_TEXT));
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 8000, 'session released');
    const agent = (await h.calls.turns(caller.callSid)).filter((t) => t.speaker === 'agent');
    expect(agent.map((t) => t.heardText)).toEqual(['What is your call about?', '', APOLOGY_TEXT]);
  });
});
