// Builds the speech providers from the configuration: Deepgram (the default) or an OpenAI-compatible audio server
// (STT_PROVIDER / TTS_PROVIDER = openai-compatible), chosen separately for recognition and voice. A Deepgram
// provider without DEEPGRAM_API_KEY is absent (null): the call layer then apologises and takes the flow's fallback,
// and the prompt cache serves only what is already on disk.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SttProvider, TtsProvider } from './types.js';
import { createDeepgramStt } from './deepgram-stt.js';
import { createDeepgramTts } from './deepgram-tts.js';
import { PromptCache } from './prompt-cache.js';
import type { DeepgramSttSettings, DeepgramTtsSettings } from './deepgram-settings.js';
import { createOpenAiCompatibleStt } from './openai-compatible-stt.js';
import { OpenAiCompatibleTts } from './openai-compatible-tts.js';
import type { OpenAiSttSettings, OpenAiTtsSettings } from './openai-audio-settings.js';

export interface Speech {
  stt: SttProvider | null;
  tts: TtsProvider | null;
  promptCache: PromptCache;
}

export interface SpeechOverrides {
  stt?: Partial<DeepgramSttSettings>;
  tts?: Partial<DeepgramTtsSettings>;
  /** Tuning of the OpenAI-compatible providers (tests, the benchmark). */
  openaiStt?: Partial<OpenAiSttSettings>;
  openaiTts?: Partial<OpenAiTtsSettings>;
  /** Warm-up concurrency of the prompt cache. */
  promptConcurrency?: number;
}

export function createSpeech(config: Config, log: Logger, metrics?: Metrics, overrides: SpeechOverrides = {}): Speech {
  const stt = createStt(config, log, metrics, overrides);
  const tts = createTts(config, log, metrics, overrides);
  const promptCache = new PromptCache({ dir: promptDir(config), tts, log, concurrency: overrides.promptConcurrency });
  return { stt, tts, promptCache };
}

function createStt(config: Config, log: Logger, metrics: Metrics | undefined, o: SpeechOverrides): SttProvider | null {
  if (config.sttProvider === 'openai-compatible') {
    return createOpenAiCompatibleStt({
      apiKey: config.openaiSttApiKey, baseUrl: config.openaiSttBaseUrl!, model: config.openaiSttModel, modelsByLanguage: config.openaiSttModels,
      stream: config.openaiSttStream, log, metrics,
      settings: { sampleRateHz: config.openaiSttSampleRate, responseFormat: config.openaiSttResponseFormat, endpointingMs: config.openaiSttEndpointingMs, ...o.openaiStt },
    });
  }
  const key = config.deepgramApiKey;
  return key ? createDeepgramStt({ apiKey: key, baseUrl: config.deepgramBaseUrl, model: config.deepgramSttModel, log, metrics, settings: o.stt }) : null;
}

function createTts(config: Config, log: Logger, metrics: Metrics | undefined, o: SpeechOverrides): TtsProvider | null {
  if (config.ttsProvider === 'openai-compatible') {
    return new OpenAiCompatibleTts({
      apiKey: config.openaiTtsApiKey, baseUrl: config.openaiTtsBaseUrl!, model: config.openaiTtsModel, voices: config.openaiTtsVoices, log, metrics,
      settings: { responseFormat: config.openaiTtsFormat, ...o.openaiTts },
    });
  }
  const key = config.deepgramApiKey;
  return key ? createDeepgramTts({ apiKey: key, baseUrl: config.deepgramBaseUrl, log, metrics, settings: o.tts }) : null;
}

/**
 * Prompts are cached by (voice, text), and a flow names the same voice whichever server speaks it: audio of another
 * server (or model, or voice map) must not be served from disk, so each OpenAI-compatible setup has its own folder.
 * Deepgram keeps the top folder, so existing caches stay warm.
 */
function promptDir(config: Config): string | null {
  if (!config.promptCacheDir) return null;
  if (config.ttsProvider === 'deepgram') return config.promptCacheDir;
  const id = createHash('sha256')
    .update(JSON.stringify([config.openaiTtsBaseUrl, config.openaiTtsModel, config.openaiTtsVoices]))
    .digest('hex')
    .slice(0, 16);
  return join(config.promptCacheDir, `openai-compatible-${id}`);
}

export type { SttProvider, SttStream, TtsProvider, TtsStream, SttOptions, TtsStreamOptions } from './types.js';
export { PromptCache, promptKey, type WarmReport } from './prompt-cache.js';
export { SentenceSplitter, splitSentences } from './sentence-splitter.js';
export { ProviderError } from './deepgram-settings.js';
