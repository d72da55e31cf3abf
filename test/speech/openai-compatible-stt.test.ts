import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleStt, keytermPrompt, segmentConfidence, type OpenAiSttConfig } from '../../src/speech/openai-compatible-stt.js';
import { ProviderError } from '../../src/speech/deepgram-settings.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeNoise, makeSilence, makeSpeech } from '../../src/audio/tones.js';
import { startFakeOpenAIAudio, type FakeAudioOptions, type FakeAudioServer } from '../../src/bench/fakes/openai-audio-server.js';
import { finals, play, record, waitFor } from './helpers.js';
import { UtteranceEndpointer } from '../../src/speech/vad-endpointing.js';
import { DEFAULT_OPENAI_STT_SETTINGS } from '../../src/speech/openai-audio-settings.js';
import { resampleAll } from '../../src/speech/resample.js';
import { muLawToPcm16 } from '../../src/audio/mulaw.js';

let fake: FakeAudioServer | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(o: FakeAudioOptions = {}, cfg: Partial<OpenAiSttConfig> = {}) {
  fake = await startFakeOpenAIAudio(o);
  const stt = createOpenAiCompatibleStt({ apiKey: 'local', baseUrl: fake.url, model: 'Systran/faster-whisper-small', log: silentLogger(), ...cfg });
  return { fake, stt };
}

const utterance = (speechMs: number) => Buffer.concat([makeNoise(400), makeSpeech(speechMs), makeNoise(900)]);

describe('OpenAI-compatible STT with local endpointing', () => {
  it('one spoken utterance gives speechStarted, then one final ending the turn, with the fake\'s text', async () => {
    const { fake, stt } = await setup({ transcripts: ['I was in a car accident'] }, { settings: { sampleRateHz: 16_000 } });
    const s = stt.open({ keyterms: ['Hernandez', 'DUI'], language: 'es', tag: 'CA0123/../x' });
    const log = record(s);
    await play(s, utterance(800));
    await waitFor(() => finals(log).length === 1);
    expect(log.map((e) => e.e)).toEqual(['speechStarted', 'transcript']);
    expect(log[1]).toMatchObject({ text: 'I was in a car accident', isFinal: true, speechFinal: true, alternatives: 1 });
    // verbose_json's avg_logprob -0.15 and no_speech_prob 0.02 give a real confidence, not a constant.
    expect((log[1] as { confidence: number }).confidence).toBeCloseTo(Math.exp(-0.15) * 0.98, 5);
    expect(fake.transcriptions).toHaveLength(1);
    const r = fake.transcriptions[0]!;
    expect(r).toMatchObject({ model: 'Systran/faster-whisper-small', language: 'es', prompt: 'Hernandez, DUI', responseFormat: 'verbose_json', fileType: 'audio/wav' });
    expect(r.fileName).toBe('CA0123x-1.wav');
    expect(r.fields['timestamp_granularities[]']).toBe('segment');
    expect(r.authorization).toBe('Bearer local');
    // 16 kHz 16-bit mono: the speech plus pre-roll before the onset and a little of the closing silence, no more.
    expect(r.wav).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(r.wav.durationMs).toBeGreaterThanOrEqual(800);
    expect(r.wav.durationMs).toBeLessThanOrEqual(800 + 360 + 200 + 40);
    await s.close();
  });

  it('each upload is exactly its utterance converted to 16 kHz, however many utterances the stream has', async () => {
    const { fake, stt } = await setup({ transcripts: ['one', 'two', 'three'] }, { settings: { sampleRateHz: 16_000 } });
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    const audio = Buffer.concat([utterance(700), utterance(1100), utterance(400)]);
    await play(s, audio);
    await waitFor(() => finals(log).length === 3);
    const cuts = new UtteranceEndpointer(DEFAULT_OPENAI_STT_SETTINGS).push(audio).flatMap((e) => (e.type === 'utterance' ? [e.audio] : []));
    expect(cuts).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      const whole = await resampleAll(muLawToPcm16(cuts[i]!), 8000, 16_000);
      const sent = fake.transcriptions[i]!.wav.samples;
      expect(sent.length).toBe(cuts[i]!.length * 2);
      let maxDiff = 0;
      for (let j = 0; j < sent.length; j++) maxDiff = Math.max(maxDiff, Math.abs(sent[j]! - whole[j]!));
      // The shared converter is reset per utterance: nothing of the last one leaks into the next.
      expect(maxDiff).toBe(0);
    }
    await s.close();
  });

  it('by default sends 8 kHz audio as it came, and json when asked', async () => {
    const { fake, stt } = await setup({ transcripts: ['yes'] }, { settings: { responseFormat: 'json' } });
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, utterance(500));
    await waitFor(() => finals(log).length === 1);
    expect(fake.transcriptions[0]!.wav.sampleRate).toBe(8000);
    expect(fake.transcriptions[0]!.responseFormat).toBe('json');
    expect(fake.transcriptions[0]!.prompt).toBeNull();
    expect(finals(log)).toEqual(['yes']);
    await s.close();
  });

  it('line noise and silence alone send nothing', async () => {
    const { fake, stt } = await setup();
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, Buffer.concat([makeNoise(2000), makeSilence(1000)]));
    await new Promise((r) => setTimeout(r, 100));
    expect(log).toEqual([]);
    expect(fake.transcriptions).toHaveLength(0);
    await s.close();
  });

  it('two utterances come back in the order spoken even when the first takes longer to transcribe', async () => {
    const { fake, stt } = await setup({ transcripts: ['first answer', 'second'], transcribeMsPerAudioSecond: 300 });
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, Buffer.concat([utterance(1500), utterance(300)]));
    await waitFor(() => finals(log).length === 2);
    expect(finals(log)).toEqual(['first answer', 'second']);
    expect(fake.transcriptions).toHaveLength(2);
    expect(log.filter((e) => e.e === 'speechStarted')).toHaveLength(2);
    await s.close();
  });

  it('finalize() sends the utterance in progress at once', async () => {
    const { stt } = await setup({ transcripts: ['cut short'] });
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, Buffer.concat([makeNoise(200), makeSpeech(600)]));
    expect(finals(log)).toEqual([]);
    s.finalize();
    await waitFor(() => finals(log).length === 1);
    expect(log.at(-1)).toMatchObject({ text: 'cut short', speechFinal: true });
    await s.close();
  });

  it('partial text arrives as interim transcripts when the server streams', async () => {
    const { fake, stt } = await setup({ transcripts: ['my name is Ana'] }, { stream: true, model: 'gpt-4o-mini-transcribe' });
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, utterance(700));
    await waitFor(() => finals(log).length === 1);
    const interims = log.flatMap((e) => (e.e === 'transcript' && !e.isFinal ? [e.text] : []));
    expect(interims).toEqual(['my', 'my name', 'my name is', 'my name is Ana']);
    expect(finals(log)).toEqual(['my name is Ana']);
    expect(fake.transcriptions[0]!.stream).toBe(true);
    await s.close();
  });

  it('a server that keeps failing is retried, then the stream fails like Deepgram\'s (ProviderError, failed)', async () => {
    const { fake, stt } = await setup({ failTranscription: () => ({ status: 503 }) }, { settings: { retryBackoffMs: [20] } });
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    const errors: Error[] = [];
    s.on('failed', (e) => errors.push(e));
    await play(s, utterance(500));
    await waitFor(() => errors.length === 1);
    expect(log.map((e) => e.e)).toEqual(['speechStarted', 'reconnecting', 'reconnecting', 'failed']);
    expect(fake.transcriptions).toHaveLength(3);
    expect(errors[0]).toBeInstanceOf(ProviderError);
    expect(errors[0]).toMatchObject({ provider: 'openai_stt', status: 503 });
    // After failing, audio is ignored: the call has moved on to its fallback.
    await play(s, utterance(500));
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.transcriptions).toHaveLength(3);
    await s.close();
  });

  it('a refused key fails at once, without retries', async () => {
    const { fake, stt } = await setup({ failTranscription: () => ({ status: 401, message: 'Incorrect API key' }) });
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, utterance(500));
    await waitFor(() => log.some((e) => e.e === 'failed'));
    expect(log.filter((e) => e.e === 'reconnecting')).toHaveLength(0);
    expect(fake.transcriptions).toHaveLength(1);
    await s.close();
  });

  it('a hung server times out per request, and a retry that succeeds still delivers the final', async () => {
    const { fake, stt } = await setup(
      { transcripts: ['after the retry'], failTranscription: (n) => (n === 0 ? { hang: true } : null) },
      { settings: { requestTimeoutMs: 300, retryBackoffMs: [10] } },
    );
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, utterance(500));
    await waitFor(() => finals(log).length === 1);
    expect(finals(log)).toEqual(['after the retry']);
    expect(log.filter((e) => e.e === 'reconnecting')).toHaveLength(1);
    expect(fake.transcriptions).toHaveLength(2);
    await s.close();
  });

  it('a connection cut by the server is retried at once, without the backoff', async () => {
    const { fake, stt } = await setup(
      { transcripts: ['still here'], failTranscription: (n) => (n === 0 ? { reset: true } : null) },
      { settings: { retryBackoffMs: [2000] } },
    );
    const s = stt.open({ keyterms: [], language: 'en' });
    const log = record(s);
    await play(s, utterance(500));
    const t0 = Date.now();
    await waitFor(() => finals(log).length === 1, 1500);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(finals(log)).toEqual(['still here']);
    expect(log.filter((e) => e.e === 'reconnecting')).toHaveLength(1);
    expect(fake.transcriptions).toHaveLength(2);
    await s.close();
  });

  it('close() aborts a request in flight and emits nothing more', async () => {
    const { stt } = await setup({ transcribeDelayMs: 500 });
    const s = stt.open({ keyterms: [], language: 'en' });
    const seen: string[] = [];
    s.on('transcript', (t) => seen.push(t.text));
    await play(s, utterance(400));
    await s.close();
    await new Promise((r) => setTimeout(r, 600));
    expect(seen).toEqual([]);
  });

  it('builds the prompt from keyterms within Whisper\'s window and scores segments', () => {
    expect(keytermPrompt(['Clio', 'LawPay'])).toBe('Clio, LawPay');
    expect(keytermPrompt(Array.from({ length: 500 }, (_, i) => `term${i}`)).length).toBeLessThanOrEqual(800);
    expect(segmentConfidence([])).toBeNull();
    expect(segmentConfidence([{ avg_logprob: 0, no_speech_prob: 0 }])).toBe(1);
    expect(segmentConfidence([{ avg_logprob: -1, no_speech_prob: 0.5 }])).toBeCloseTo(Math.exp(-1) * 0.5, 6);
  });
});
