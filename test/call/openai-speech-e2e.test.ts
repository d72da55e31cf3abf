// A phone call end to end with the on-premises providers: fake Twilio caller -> HERMES (webhook, media stream,
// CallSession, the flow engine) -> local endpointing -> fake OpenAI-compatible audio server (real SDK, multipart
// transcriptions, streamed pcm speech) -> database. No Deepgram at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../telephony/harness.js';
import { startFakeOpenAIAudio, type FakeAudioServer } from '../../src/bench/fakes/openai-audio-server.js';

const MS_PER_CHAR = 8;

describe('a phone call with OpenAI-compatible speech (Whisper + Kokoro servers)', () => {
  let h: Harness;
  let fake: FakeAudioServer;
  /** Until set, every speech request is refused, so the prompt cache warms nothing and each line streams live. */
  let live = false;
  /** Speech requests made during the (refused) warm-up. */
  let warmRequests = 0;

  beforeAll(async () => {
    fake = await startFakeOpenAIAudio({
      transcripts: ['Jane Doe'],
      transcribeDelayMs: 40,
      speechMsPerChar: MS_PER_CHAR,
      speechFirstByteMs: 20,
      failSpeech: () => (live ? null : { status: 400, message: 'warm-up refused by the test' }),
    });
    h = await startHarness({
      deepgram: null,
      config: {
        sttProvider: 'openai-compatible', ttsProvider: 'openai-compatible',
        openaiSttBaseUrl: fake.url, openaiTtsBaseUrl: fake.url, openaiSttModel: 'Systran/faster-whisper-small',
        openaiTtsVoices: { en: 'af_heart' },
      },
    });
    live = true;
    warmRequests = fake.speeches.length;
    expect(warmRequests).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('greets in the Kokoro voice, hears the caller through Whisper, takes a keypad answer and stores the intake', async () => {
    const caller = await h.placeCall({ speed: 2 });
    await caller.waitForPrompt(15000, 400);
    const greeting = fake.speeches.slice(warmRequests).map((s) => s.input);
    expect(greeting.join(' ')).toMatch(/^Hello from Test Law\./);
    expect(fake.speeches.every((s) => s.voice === 'af_heart' && s.model === 'kokoro' && s.responseFormat === 'pcm')).toBe(true);
    // Audio length follows the text the server spoke (8 ms per character), resampled to 8 kHz 20 ms frames.
    const spokenMs = greeting.join('').length * MS_PER_CHAR;
    expect(caller.frames.length * 20).toBeGreaterThanOrEqual(spokenMs * 0.9);
    const greetingFrames = caller.frames.length;
    await caller.speak(800);
    await caller.silence(900);
    await caller.waitFor(() => caller.frames.length > greetingFrames, 8000, 'area question');
    await caller.waitForPrompt(8000, 400);
    caller.dtmf('1');
    await caller.waitFor(() => caller.closedAt !== null, 10000, 'server hang-up');
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');

    expect(fake.transcriptions).toHaveLength(1);
    expect(fake.transcriptions[0]).toMatchObject({ model: 'Systran/faster-whisper-small', language: 'en' });
    expect(fake.transcriptions[0]!.wav.durationMs).toBeGreaterThanOrEqual(800);
    const turns = await h.calls.turns(caller.callSid);
    expect(turns.map((t) => [t.speaker, t.text.slice(0, 18)])).toEqual([
      ['agent', 'Hello from Test La'],
      ['agent', 'May I have your fu'],
      ['caller', 'Jane Doe'],
      ['agent', 'Press 1 for family'],
      ['caller', '(pressed 1)'],
      ['agent', 'Thank you, we will'],
    ]);
    for (const t of turns.filter((x) => x.speaker === 'agent')) {
      expect(t.interrupted).toBe(false);
      expect(t.timings?.ttsFirstByteMs).toBeGreaterThan(0); // streamed live, not from the cache
    }
    const intake = await h.db.db('intakes').where({ call_sid: caller.callSid }).first();
    expect(intake).toBeTruthy();
    expect(JSON.stringify(intake)).toContain('Jane');
  });
});

describe('the Whisper server failing mid-call', () => {
  let h: Harness;
  let fake: FakeAudioServer;
  let down = false;

  beforeAll(async () => {
    fake = await startFakeOpenAIAudio({
      transcripts: ['Jane Doe'], speechMsPerChar: MS_PER_CHAR,
      failTranscription: () => (down ? { status: 503, message: 'model unloaded' } : null),
    });
    h = await startHarness({
      deepgram: null,
      config: { sttProvider: 'openai-compatible', ttsProvider: 'openai-compatible', openaiSttBaseUrl: fake.url, openaiTtsBaseUrl: fake.url },
    });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('the caller hears the cached apology within 2 s of finishing the utterance and is transferred, as with Deepgram', async () => {
    const caller = await h.placeCall({ speed: 1 });
    await caller.waitForPrompt(15000, 400);
    down = true;
    const before = caller.frames.length;
    await caller.speak(700);
    const spokeAt = performance.now();
    void caller.silence(3000);
    await caller.waitFor(() => caller.frames.length > before, 4000, 'apology audio');
    expect(caller.frames[before]!.at - spokeAt).toBeLessThan(2000);
    const transfer = await h.rest.waitForUpdate(caller.callSid, 8000);
    expect(transfer.params.Twiml).toContain('<Dial');
    // One utterance, tried three times (two retries), then the stream failed.
    expect(fake.transcriptions).toHaveLength(3);
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
    expect((await h.calls.get(caller.callSid))?.outcome).toBe('transferred');
    expect((await h.metrics.providerErrors.get()).values.some((v) => v.labels.provider === 'openai_stt' && v.labels.kind === 'failed')).toBe(true);
  });
});
