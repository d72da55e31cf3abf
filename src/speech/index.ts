// Builds the speech providers from the configuration. Without DEEPGRAM_API_KEY there is no STT/TTS (null): the call
// layer then apologises and takes the flow's fallback, and the prompt cache serves only what is already on disk.
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SttProvider, TtsProvider } from './types.js';
import { createDeepgramStt } from './deepgram-stt.js';
import { createDeepgramTts } from './deepgram-tts.js';
import { PromptCache } from './prompt-cache.js';
import type { DeepgramSttSettings, DeepgramTtsSettings } from './deepgram-settings.js';

export interface Speech {
  stt: SttProvider | null;
  tts: TtsProvider | null;
  promptCache: PromptCache;
}

export interface SpeechOverrides {
  stt?: Partial<DeepgramSttSettings>;
  tts?: Partial<DeepgramTtsSettings>;
  /** Warm-up concurrency of the prompt cache. */
  promptConcurrency?: number;
}

export function createSpeech(config: Config, log: Logger, metrics?: Metrics, overrides: SpeechOverrides = {}): Speech {
  const key = config.deepgramApiKey;
  const stt = key
    ? createDeepgramStt({ apiKey: key, baseUrl: config.deepgramBaseUrl, model: config.deepgramSttModel, log, metrics, settings: overrides.stt })
    : null;
  const tts = key ? createDeepgramTts({ apiKey: key, baseUrl: config.deepgramBaseUrl, log, metrics, settings: overrides.tts }) : null;
  const promptCache = new PromptCache({ dir: config.promptCacheDir || null, tts, log, concurrency: overrides.promptConcurrency });
  return { stt, tts, promptCache };
}

export type { SttProvider, SttStream, TtsProvider, TtsStream, SttOptions, TtsStreamOptions } from './types.js';
export { PromptCache, promptKey, type WarmReport } from './prompt-cache.js';
export { SentenceSplitter, splitSentences } from './sentence-splitter.js';
export { ProviderError } from './deepgram-settings.js';
