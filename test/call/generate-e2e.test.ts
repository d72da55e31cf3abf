// LLM-written replies over real sockets: fake Twilio caller -> HERMES (the real flow engine with the ONLINE reasoner,
// built by createReasoner from OPENAI_API_KEY/OPENAI_BASE_URL) -> the fake OpenAI server streaming SSE through the
// real `openai` SDK -> sentences -> the fake Deepgram speak socket -> frames to the caller. A TCP tap in front of the
// fake shows on the wire when the stream finished and when HERMES hung up on it.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../telephony/harness.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/bench/fakes/openai-server.js';
import { startLlmTap, type LlmTap, type TappedConnection } from './llm-tap.js';

const GENERATE_FLOW = resolve('test/call/fixtures/generate.yaml');
const TOKEN_DELAY_MS = 60;

const SHORT_REPLY = [
  "I'm sorry to hear your landlord kept your deposit.",
  'That must be frustrating after moving out.',
  'A lawyer at the firm will go over the details with you.',
];
const LONG_REPLY = [
  'Thank you for explaining all of that to me today.',
  'It sounds like a very difficult few months for you and your family.',
  'I will make sure the team has every detail you have shared.',
  'A lawyer at the firm will review your situation carefully.',
  'They will call you back to talk it through with you.',
  'You do not need to prepare anything special before then.',
];

let h: Harness;
let llm: FakeOpenAI;
let tap: LlmTap;
let reply = SHORT_REPLY;
const scripts = new Map<string, string[]>();

beforeAll(async () => {
  llm = await startFakeOpenAI({ chunkDelayMs: TOKEN_DELAY_MS, responder: (req) => (req.stream ? reply.join(' ') : '{"slot": null}') });
  tap = await startLlmTap(llm.baseURL);
  h = await startHarness({
    config: { defaultFlow: GENERATE_FLOW, openaiApiKey: 'sk-test-key', openaiBaseUrl: tap.baseURL },
    deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex], speak: { msPerChar: 20 } },
  });
});
afterAll(async () => {
  await h?.close();
  await tap?.close();
  await llm?.close();
});

/** The connection that carried the reply stream requested after `since`. */
function streamConnection(since: number): TappedConnection | undefined {
  return tap.connections.find((c) => c.streaming && c.requestAt !== null && c.requestAt >= since);
}

describe('an LLM-written reply on a live call', () => {
  it('starts playing its first sentence before the model has finished writing the reply', async () => {
    reply = SHORT_REPLY;
    const caller = await h.placeCall({ speed: 2 });
    scripts.set(caller.callSid, ['my landlord kept my deposit', 'mornings are best']);
    await caller.waitForPrompt(15000, 400);
    const asked = performance.now();
    const before = caller.frames.length;
    await caller.speak(800);
    await caller.silence(800);
    await caller.waitFor(() => caller.frames.length > before, 8000, 'generated reply audio');
    const firstReplyFrameAt = caller.frames[before]!.at;
    await caller.waitFor(() => streamConnection(asked)?.doneAt != null, 8000, 'LLM stream finished');
    const conn = streamConnection(asked)!;
    // tokens -> sentences -> TTS -> frames: the caller hears the first sentence while the model is still writing.
    expect(conn.firstContentAt).not.toBeNull();
    expect(firstReplyFrameAt).toBeGreaterThan(conn.firstContentAt!);
    expect(firstReplyFrameAt).toBeLessThan(conn.doneAt!);
    // The request went through the real SDK to the configured server, streaming, with the step's instruction.
    const req = llm.requests.find((r) => r.body.stream === true)!;
    expect(req.headers.authorization).toBe('Bearer sk-test-key');
    expect(req.body.messages.map((m) => m.content).join('\n')).toContain('Acknowledge the caller');
    // Each sentence went to the speak socket on its own, as soon as it was complete.
    const texts = h.deepgram!.speak.texts;
    // The last sentence can only be cut once the model's stream has ended: give it a moment to reach the socket.
    await caller.waitFor(() => texts.includes(SHORT_REPLY[2]!), 2000, 'last sentence sent');
    const i = texts.indexOf(SHORT_REPLY[0]!);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(texts.slice(i, i + 3)).toEqual(SHORT_REPLY);

    await caller.waitForPrompt(15000, 400); // the rest of the reply and the next question
    await caller.hangup();
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
    const turns = await h.calls.turns(caller.callSid);
    const generated = turns.find((t) => t.speaker === 'agent' && t.text.startsWith("I'm sorry to hear"))!;
    expect(generated).toMatchObject({ text: SHORT_REPLY.join(' '), heardText: SHORT_REPLY.join(' '), interrupted: false });
    expect(generated.timings?.llmFirstTokenMs).toBeGreaterThan(0);
    expect(generated.timings!.firstFrameMs!).toBeGreaterThanOrEqual(generated.timings!.llmFirstTokenMs!);
    expect(caller.clears.length).toBe(0);
  });

  it('barge-in during a generated reply aborts the LLM request, clears Twilio and keeps only what was heard', async () => {
    reply = LONG_REPLY;
    const caller = await h.placeCall({ speed: 2 });
    scripts.set(caller.callSid, ['my neighbour flooded my apartment', 'please call me after five in the evening']);
    await caller.waitForPrompt(15000, 400);
    const asked = performance.now();
    const before = caller.frames.length;
    await caller.speak(800);
    await caller.silence(800);
    // Talk over the reply once it has played a little, while the model is still writing.
    await caller.waitFor(() => caller.frames.length >= before + 25, 8000, '0.5 s of the generated reply');
    expect(streamConnection(asked)?.doneAt).toBeNull();
    const talking = caller.speak(1200).then(() => caller.silence(800));
    await caller.waitFor(() => caller.clears.length > 0, 4000, 'clear');
    const clearAt = caller.clears[0]!;
    // HERMES hangs up on the model: the connection closes from our side before the stream's [DONE].
    await caller.waitFor(() => streamConnection(asked)?.clientGoneAt != null, 3000, 'LLM request aborted');
    const conn = streamConnection(asked)!;
    expect(conn.doneAt).toBeNull();
    expect(conn.clientGoneAt! - clearAt).toBeLessThan(1000);
    // Nothing of the old reply follows the clear (the caller is still talking, so nothing new either).
    await new Promise((r) => setTimeout(r, 400));
    expect(caller.frames.filter((f) => f.at > clearAt && f.at < clearAt + 400).length).toBe(0);
    await talking;
    // The caller's words reach the flow, which says goodbye and hangs up.
    await caller.waitFor(() => caller.closedAt !== null, 15000, 'server hang-up');
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
    expect(conn.doneAt).toBeNull(); // the fake noticed the disconnect and never finished the stream

    const turns = await h.calls.turns(caller.callSid);
    const generated = turns.find((t) => t.speaker === 'agent' && t.interrupted)!;
    expect(generated).toBeTruthy();
    expect(LONG_REPLY.join(' ').startsWith(generated.heardText ?? '')).toBe(true);
    expect((generated.heardText ?? '').length).toBeLessThan(LONG_REPLY.join(' ').length);
    expect(turns.filter((t) => t.speaker === 'caller').map((t) => t.text)).toEqual(['my neighbour flooded my apartment', 'please call me after five in the evening']);
    expect(turns.at(-1)?.text).toBe('Thank you, we will call you back. Goodbye.');
  });
});
