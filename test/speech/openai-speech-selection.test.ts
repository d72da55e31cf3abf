import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig, settingsHelp } from '../../src/config.js';
import { createSpeech } from '../../src/speech/index.js';
import { OpenAiCompatibleTts } from '../../src/speech/openai-compatible-tts.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeNoise, makeSpeech } from '../../src/audio/tones.js';
import { startFakeOpenAIAudio, type FakeAudioServer } from '../../src/bench/fakes/openai-audio-server.js';
import { finals, play, record, waitFor } from './helpers.js';

let fake: FakeAudioServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await fake?.close();
  fake = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('choosing OpenAI-compatible speech by configuration', () => {
  it('reads the settings, with defaults, and refuses a provider without its server', () => {
    const cfg = loadConfig({
      STT_PROVIDER: 'openai-compatible', TTS_PROVIDER: 'OpenAI-Compatible', OPENAI_STT_BASE_URL: 'http://whisper:8000/v1/',
      OPENAI_TTS_BASE_URL: 'http://kokoro:8880/v1', OPENAI_TTS_VOICES: 'en=af_bella, es = em_alex', OPENAI_STT_MODELS: 'en=distil-small.en',
      OPENAI_STT_SAMPLE_RATE: '16000',
    });
    expect(cfg).toMatchObject({
      sttProvider: 'openai-compatible', ttsProvider: 'openai-compatible', openaiSttBaseUrl: 'http://whisper:8000/v1', openaiSttModel: 'whisper-1',
      openaiSttModels: { en: 'distil-small.en' }, openaiSttSampleRate: 16000, openaiSttResponseFormat: 'verbose_json', openaiSttEndpointingMs: 500,
      openaiTtsModel: 'kokoro', openaiTtsVoices: { en: 'af_bella', es: 'em_alex' }, openaiTtsFormat: 'pcm',
    });
    expect(loadConfig({})).toMatchObject({ sttProvider: 'deepgram', openaiSttSampleRate: 8000 });
    expect(() => loadConfig({ STT_PROVIDER: 'openai-compatible' })).toThrow(/OPENAI_STT_BASE_URL: required/);
    expect(() => loadConfig({ TTS_PROVIDER: 'kokoro' })).toThrow(ConfigError);
    expect(() => loadConfig({ OPENAI_TTS_VOICES: 'af_heart' })).toThrow(/language=value pairs/);
    expect(() => loadConfig({ OPENAI_STT_SAMPLE_RATE: '22050' })).toThrow(/8000 or 16000/);
    // No Deepgram key needed when neither side uses Deepgram; only the side that does is warned about.
    expect(configWarnings(cfg).join('\n')).not.toMatch(/DEEPGRAM_API_KEY/);
    expect(configWarnings({ ...cfg, ttsProvider: 'deepgram' }).join('\n')).toMatch(/DEEPGRAM_API_KEY is not set: calls will have no synthesized voice;/);
    expect(settingsHelp()).toMatch(/OPENAI_TTS_VOICES\s+.*\(default: en=af_heart,es=ef_dora\)/);
  });

  it('createSpeech builds both providers against the configured servers; Spanish recognition uses its own model', async () => {
    fake = await startFakeOpenAIAudio({ transcripts: ['hola'], speechMsPerChar: 10 });
    const cfg = loadConfig({
      STT_PROVIDER: 'openai-compatible', TTS_PROVIDER: 'openai-compatible', OPENAI_STT_BASE_URL: fake.url, OPENAI_TTS_BASE_URL: fake.url,
      OPENAI_STT_MODEL: 'large-v3', OPENAI_STT_MODELS: 'en=distil-small.en', OPENAI_TTS_VOICES: 'en=af_heart,es=ef_dora', OPENAI_STT_API_KEY: 'k1',
      PROMPT_CACHE_DIR: '',
    });
    const speech = createSpeech(cfg, silentLogger());
    expect(speech.tts).toBeInstanceOf(OpenAiCompatibleTts);
    const s = speech.stt!.open({ keyterms: ['Ortega'], language: 'es' });
    const log = record(s);
    await play(s, Buffer.concat([makeNoise(300), makeSpeech(600), makeNoise(800)]));
    await waitFor(() => finals(log).length === 1);
    expect(fake.transcriptions[0]).toMatchObject({ model: 'large-v3', language: 'es', prompt: 'Ortega', authorization: 'Bearer k1' });
    await s.close();
    const audio = await speech.tts!.synthesize('Hola.', 'aura-2-celeste-es');
    expect(audio.length).toBe(50 * 8);
    expect(fake.speeches[0]).toMatchObject({ voice: 'ef_dora', model: 'kokoro' });
  });

  it('keeps OpenAI-compatible prompt audio apart from Deepgram\'s on disk', async () => {
    fake = await startFakeOpenAIAudio({ speechMsPerChar: 10 });
    const dir = mkdtempSync(join(tmpdir(), 'hermes-oai-prompts-'));
    dirs.push(dir);
    const cfg = loadConfig({ TTS_PROVIDER: 'openai-compatible', OPENAI_TTS_BASE_URL: fake.url, PROMPT_CACHE_DIR: dir });
    const speech = createSpeech(cfg, silentLogger());
    await speech.promptCache.warm([{ promptId: 'p1', text: 'Hello.', language: 'en' }], () => 'aura-2-thalia-en');
    expect(speech.promptCache.get('aura-2-thalia-en', 'Hello.')?.length).toBe(60 * 8);
    const top = readdirSync(dir);
    expect(top).toHaveLength(1);
    expect(top[0]).toMatch(/^openai-compatible-[0-9a-f]{16}$/);
    expect(readdirSync(join(dir, top[0]!))).toHaveLength(1);
  });
});
