// Latency of the OpenAI-compatible providers against the fake server with realistic delays (faster-whisper small on
// a GPU: ~150 ms + 50 ms per second of audio; Kokoro-FastAPI: first chunk after ~120 ms, then 200 ms chunks about
// 6x faster than real time). What is measured is what HERMES adds on top of the server: the endpointing decision ->
// final transcript (WAV encoding, 8->16 kHz resampling, multipart upload, SDK, parsing), and flush() -> first mu-law
// byte (SDK, request, resampling, encoding). Figures are printed (docs/benchmarks.md keeps them); the assertions are
// generous bounds for a contended CI machine, there to catch a regression such as a resampler compiled per request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleStt } from '../../src/speech/openai-compatible-stt.js';
import { OpenAiCompatibleTts } from '../../src/speech/openai-compatible-tts.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeNoise, makeSpeech, toFrames } from '../../src/audio/tones.js';
import { startFakeOpenAIAudio, type FakeAudioServer } from '../../src/bench/fakes/openai-audio-server.js';
import { startFakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { createDeepgramTts } from '../../src/speech/deepgram-tts.js';
import type { TtsStream } from '../../src/speech/types.js';

const STT_FIXED_MS = 150;
const STT_PER_AUDIO_S = 50;
const TTS_FIRST_BYTE_MS = 120;
const ROUNDS = 30;
/** First rounds warm the JIT, the WebAssembly resampler and the keep-alive connection; not counted. */
const WARMUP = 3;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
};
const summary = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: pct(xs, 100) });

describe('OpenAI-compatible speech latency against the fake with realistic delays', () => {
  let fake: FakeAudioServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIAudio({
      transcripts: ['my name is Jane Doe'], transcribeDelayMs: STT_FIXED_MS, transcribeMsPerAudioSecond: STT_PER_AUDIO_S,
      speechFirstByteMs: TTS_FIRST_BYTE_MS, speechMsPerChar: 60, speechChunkBytes: 9600, speechChunkIntervalMs: 30,
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  it.each([16_000, 8000] as const)('end of utterance -> final transcript (%i Hz WAV): server time plus a few milliseconds', async (rate) => {
    const stt = createOpenAiCompatibleStt({
      apiKey: 'local', baseUrl: fake.url, model: 'Systran/faster-whisper-small', log: silentLogger(), settings: { sampleRateHz: rate },
    });
    const total: number[] = [];
    const overhead: number[] = [];
    const speech = toFrames(Buffer.concat([makeNoise(300), makeSpeech(1200)]));
    const tail = toFrames(makeNoise(600));
    for (let i = 0; i < ROUNDS + WARMUP; i++) {
      const s = stt.open({ keyterms: ['Doe'], language: 'en' });
      const before = fake.transcriptions.length;
      for (const f of speech) s.sendAudio(f);
      // The endpointing decision happens inside this loop (500 ms of quiet); frames after it cost microseconds.
      let decidedAt = 0;
      for (const f of tail) {
        s.sendAudio(f);
        if (!decidedAt && fake.transcriptions.length === before) decidedAt = performance.now();
      }
      const final = await new Promise<number>((resolve) => s.once('transcript', () => resolve(performance.now())));
      const audioS = fake.transcriptions.at(-1)!.wav.durationMs / 1000;
      await s.close();
      if (i < WARMUP) continue;
      total.push(final - decidedAt);
      overhead.push(final - decidedAt - STT_FIXED_MS - STT_PER_AUDIO_S * audioS);
    }
    const figures = { endOfUtteranceToFinalMs: summary(total), overheadMs: summary(overhead) };
    console.log(`openai-compatible STT ${rate} Hz`, JSON.stringify(figures));
    expect(figures.overheadMs.p50).toBeLessThan(40);
  });

  it('flush -> first 8 kHz mu-law byte: server first-chunk time plus a few milliseconds (Deepgram Aura beside it)', async () => {
    const tts = new OpenAiCompatibleTts({ apiKey: 'local', baseUrl: fake.url, model: 'kokoro', voices: { en: 'af_heart' }, log: silentLogger() });
    const oai = await measureTts(tts.stream('aura-2-thalia-en'));
    console.log('openai-compatible TTS', JSON.stringify(oai));
    // The same sentences through the Deepgram Aura WebSocket against its fake with the same first-byte delay.
    const dg = await startFakeDeepgram({ speak: { firstByteDelayMs: TTS_FIRST_BYTE_MS, msPerChar: 60 } });
    try {
      const dgTts = createDeepgramTts({ apiKey: dg.apiKey, baseUrl: dg.url, log: silentLogger() });
      const aura = await measureTts(dgTts.stream('aura-2-thalia-en'));
      console.log('deepgram TTS', JSON.stringify(aura));
    } finally {
      await dg.close();
    }
    expect(oai.firstByteOverheadMs.p50).toBeLessThan(40);
  });
});

async function measureTts(s: TtsStream) {
  const firstByte: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    const t0 = performance.now();
    let first = 0;
    const onAudio = () => { if (!first) first = performance.now(); };
    s.on('audio', onAudio);
    const done = new Promise<number>((resolve) => s.once('flushed', () => resolve(performance.now())));
    s.speak('Thank you. May I have your full name, please?');
    s.flush();
    const end = await done;
    s.off('audio', onAudio);
    if (i < WARMUP) continue;
    firstByte.push(first - t0 - TTS_FIRST_BYTE_MS);
    whole.push(end - t0);
  }
  await s.close();
  return { firstByteOverheadMs: summary(firstByte), sentenceDoneMs: summary(whole) };
}
