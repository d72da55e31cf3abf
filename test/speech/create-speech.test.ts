import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSpeech } from '../../src/speech/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startFakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { finals, play, record, waitFor } from './helpers.js';
import { makeSilence, makeSpeech } from '../../src/audio/tones.js';

describe('createSpeech', () => {
  it('has no providers without DEEPGRAM_API_KEY, but still a prompt cache', () => {
    const speech = createSpeech(loadConfig({}), silentLogger());
    expect(speech.stt).toBeNull();
    expect(speech.tts).toBeNull();
    expect(speech.promptCache.get('aura-2-thalia-en', 'Hello')).toBeUndefined();
  });

  it('points both providers at DEEPGRAM_BASE_URL with the configured models', async () => {
    const fake = await startFakeDeepgram({ script: ['configured'] });
    try {
      const cfg = loadConfig({
        DEEPGRAM_API_KEY: fake.apiKey, DEEPGRAM_BASE_URL: fake.url, DEEPGRAM_STT_MODEL: 'nova-2-phonecall', DEEPGRAM_TTS_MODEL: 'aura-2-orion-en',
        PROMPT_CACHE_DIR: '',
      });
      const speech = createSpeech(cfg, silentLogger());
      const s = speech.stt!.open({ keyterms: [], language: 'en' });
      const log = record(s);
      await play(s, Buffer.concat([makeSpeech(500), makeSilence(1200)]));
      await waitFor(() => finals(log).length === 1);
      expect(fake.listens[0]!.params.get('model')).toBe('nova-2-phonecall');
      expect(fake.listens[0]!.params.has('keyterm')).toBe(false);
      await s.close();
      const audio = await speech.tts!.synthesize('Hi.', cfg.deepgramTtsModel);
      expect(audio.length).toBe(3 * 60 * 8);
      expect(fake.speak.queries[0]!.get('model')).toBe('aura-2-orion-en');
    } finally {
      await fake.close();
    }
  });
});
