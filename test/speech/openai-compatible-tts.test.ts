import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiCompatibleTts, resolveVoice, type OpenAiTtsConfig } from '../../src/speech/openai-compatible-tts.js';
import { ProviderError } from '../../src/speech/deepgram-settings.js';
import { silentLogger } from '../../src/observability/logger.js';
import { rmsDbfs } from '../../src/audio/energy.js';
import { startFakeOpenAIAudio, type FakeAudioOptions, type FakeAudioServer } from '../../src/bench/fakes/openai-audio-server.js';
import { waitFor } from './helpers.js';

let fake: FakeAudioServer | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(o: FakeAudioOptions = {}, cfg: Partial<OpenAiTtsConfig> = {}) {
  fake = await startFakeOpenAIAudio({ speechMsPerChar: 60, ...o });
  const tts = new OpenAiCompatibleTts({
    apiKey: 'local', baseUrl: fake.url, model: 'kokoro', voices: { en: 'af_heart', es: 'ef_dora' }, log: silentLogger(), ...cfg,
  });
  return { fake, tts };
}

/** 8 kHz mu-law bytes for `chars` characters at 60 ms each: 24 kHz samples / 3. */
const expectedBytes = (chars: number) => Math.round((chars * 60 * 24_000) / 1000 / 3);

describe('OpenAI-compatible TTS', () => {
  it('synthesizes pcm into 8 kHz mu-law of exactly the spoken duration', async () => {
    const { fake, tts } = await setup();
    const audio = await tts.synthesize('Hello there.', 'af_bella');
    expect(audio.length).toBe(expectedBytes(12)); // 720 ms = 5760 bytes at 8 bytes/ms
    // Speech, not silence or noise: the fake's tone at about -17 dBFS survives resampling and mu-law.
    expect(rmsDbfs(audio)).toBeGreaterThan(-25);
    expect(fake.speeches[0]).toMatchObject({ model: 'kokoro', voice: 'af_bella', input: 'Hello there.', responseFormat: 'pcm', speed: 1 });
    expect(fake.speeches[0]!.authorization).toBe('Bearer local');
  });

  it('reads the rate from a streamed wav header and gives the same audio as pcm', async () => {
    const { tts } = await setup();
    const pcm = await tts.synthesize('One two three.', 'af_heart');
    const wavTts = new OpenAiCompatibleTts({ ...tts.cfg, settings: { responseFormat: 'wav' } });
    const wav = await wavTts.synthesize('One two three.', 'af_heart');
    expect(wav.length).toBe(expectedBytes(14));
    expect(wav.equals(pcm)).toBe(true);
  });

  it('maps a flow\'s Deepgram Aura voice to the configured voice of its language', async () => {
    expect(resolveVoice('aura-2-thalia-en', { en: 'af_heart', es: 'ef_dora' })).toBe('af_heart');
    expect(resolveVoice('aura-2-celeste-es', { en: 'af_heart', es: 'ef_dora' })).toBe('ef_dora');
    expect(resolveVoice('aura-asteria-en', { en: 'af_heart' })).toBe('af_heart');
    expect(resolveVoice('af_bella(2)+af_sky(1)', { en: 'af_heart' })).toBe('af_bella(2)+af_sky(1)');
    expect(() => resolveVoice('aura-2-thalia-en', {})).toThrow(/OPENAI_TTS_VOICES/);
    const { fake, tts } = await setup();
    await tts.synthesize('Hola.', 'aura-2-celeste-es');
    expect(fake.speeches[0]!.voice).toBe('ef_dora');
  });

  it('streams each flushed sentence in order, audio arriving in several chunks before each flushed', async () => {
    const { fake, tts } = await setup({ speechChunkBytes: 4800, speechChunkIntervalMs: 5 });
    const s = tts.stream('aura-2-thalia-en');
    const events: string[] = [];
    const bytes: number[] = [0];
    s.on('audio', (b) => {
      events.push('audio');
      bytes[bytes.length - 1]! += b.length;
    });
    s.on('flushed', () => {
      events.push('flushed');
      bytes.push(0);
    });
    s.speak('First sentence.');
    s.flush();
    s.speak('And the second one.');
    s.flush();
    await waitFor(() => events.filter((e) => e === 'flushed').length === 2);
    expect(bytes.slice(0, 2)).toEqual([expectedBytes(15), expectedBytes(19)]);
    const firstFlush = events.indexOf('flushed');
    expect(firstFlush).toBeGreaterThan(2);
    expect(fake.speeches.map((r) => r.input)).toEqual(['First sentence.', 'And the second one.']);
    await s.close();
  });

  it('clear() drops the sentence in flight and what was queued; the next sentence plays', async () => {
    const { fake, tts } = await setup({ speechChunkBytes: 2400, speechChunkIntervalMs: 20 });
    const s = tts.stream('af_heart');
    let audio = 0;
    let flushed = 0;
    s.on('audio', (b) => { audio += b.length; });
    s.on('flushed', () => { flushed++; });
    s.speak('A long sentence that is still being synthesized when the caller talks.');
    s.flush();
    s.speak('Queued behind it.');
    s.flush();
    await waitFor(() => audio > 0);
    s.clear();
    const atClear = audio;
    await new Promise((r) => setTimeout(r, 150));
    expect(audio).toBe(atClear);
    expect(flushed).toBe(0);
    s.speak('Fresh.');
    s.flush();
    await waitFor(() => flushed === 1);
    expect(audio - atClear).toBe(expectedBytes(6));
    expect(fake.speeches.map((r) => r.input)).not.toContain('Queued behind it.');
    await s.close();
  });

  it('retries a 5xx once, then reports failed with a retryable ProviderError (the speaker falls back)', async () => {
    const { fake, tts } = await setup({ failSpeech: () => ({ status: 503, message: 'model loading' }) });
    const s = tts.stream('af_heart');
    const failed: Error[] = [];
    s.on('failed', (e) => failed.push(e));
    s.speak('Hello.');
    s.flush();
    await waitFor(() => failed.length === 1);
    expect(failed[0]).toBeInstanceOf(ProviderError);
    expect(failed[0]).toMatchObject({ provider: 'openai_tts', retryable: true, status: 503 });
    expect(fake.speeches).toHaveLength(2);
    await expect(tts.synthesize('Hello.', 'af_heart')).rejects.toMatchObject({ provider: 'openai_tts', status: 503 });
    await s.close();
  });

  it('does not retry a refusal (401)', async () => {
    const { fake, tts } = await setup({ failSpeech: () => ({ status: 401, message: 'bad key' }) });
    await expect(tts.synthesize('Hello.', 'af_heart')).rejects.toMatchObject({ provider: 'openai_tts', retryable: false, status: 401 });
    expect(fake.speeches).toHaveLength(1);
  });

  it('a server that never sends audio fails after the first-byte timeout, per attempt', async () => {
    const { fake, tts } = await setup({ failSpeech: () => ({ hang: true }) }, { settings: { firstByteTimeoutMs: 150 } });
    const t0 = Date.now();
    await expect(tts.synthesize('Hello.', 'af_heart')).rejects.toThrow(/no audio within 150 ms/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(fake.speeches).toHaveLength(2);
  });

  it('a cancelled synthesis stops at once and says so', async () => {
    const { tts } = await setup({ speechFirstByteMs: 2000 });
    const ac = new AbortController();
    const p = tts.synthesize('Hello.', 'af_heart', ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toThrow(/cancelled/);
  });
});
