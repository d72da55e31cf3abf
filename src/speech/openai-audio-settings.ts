// Tuning of the OpenAI-compatible speech providers (Whisper-family servers for recognition, Kokoro/OpenAI for
// synthesis) in one place, each with its default and why. Milliseconds everywhere, the unit in the name.

export interface OpenAiSttSettings {
  /** Silence after speech that ends the utterance (the VAD hangover). Whisper servers transcribe whole utterances,
   * so this is the endpointing: longer waits out pauses, shorter answers sooner. */
  endpointingMs: number;
  /** Voiced audio needed before speech is declared (filters clicks and line pops). */
  onsetMs: number;
  /** A 20 ms frame at or above this level counts as voiced. Phone speech sits around -30..-15 dBFS. */
  thresholdDbfs: number;
  /** Audio kept from before the detected onset, so the first syllable is not clipped. */
  preRollMs: number;
  /** An utterance this long is sent even while the caller keeps talking (Whisper's window is 30 s). */
  maxUtteranceMs: number;
  /**
   * Sample rate of the WAV sent. 8000 sends the phone audio as it is: OpenAI, speaches and faster-whisper resample it
   * themselves (ffmpeg/PyAV). 16000 for whisper.cpp without --convert; converting costs ~2.6 ms of CPU per second of
   * speech (libsamplerate sinc), which under 200 simultaneous calls queues for seconds, so it is not the default.
   */
  sampleRateHz: 8000 | 16000;
  /** verbose_json carries per-segment log-probabilities (a real confidence); gpt-4o models accept json only. */
  responseFormat: 'json' | 'verbose_json';
  /** One transcription request may take this long before it counts as failed. */
  requestTimeoutMs: number;
  /** Attempts per utterance for timeouts, 429/5xx and network errors (400/401/403/404 are not retried). */
  attempts: number;
  /** Wait before retry 1, 2... (the last entry repeats). */
  retryBackoffMs: readonly number[];
}

export const DEFAULT_OPENAI_STT_SETTINGS = {
  endpointingMs: 500,
  onsetMs: 60,
  thresholdDbfs: -40,
  preRollMs: 300,
  maxUtteranceMs: 28_000,
  sampleRateHz: 8000,
  responseFormat: 'verbose_json',
  requestTimeoutMs: 8000,
  attempts: 3,
  retryBackoffMs: [100, 300],
} as const satisfies OpenAiSttSettings;

export interface OpenAiTtsSettings {
  /** pcm (raw 24 kHz s16le) or wav (the same behind a RIFF header; its rate is read from the header). */
  responseFormat: 'pcm' | 'wav';
  /** Speaking rate passed through (0.25-4.0). */
  speed: number;
  /** No first audio byte within this long: the request counts as failed (retried once, then `failed`). */
  firstByteTimeoutMs: number;
  /** Whole synthesis of one sentence may take this long. */
  requestTimeoutMs: number;
  /** Attempts for 429/5xx/network failures, only before the first byte (audio already played is never redone). */
  attempts: number;
}

export const DEFAULT_OPENAI_TTS_SETTINGS = {
  responseFormat: 'pcm',
  speed: 1,
  firstByteTimeoutMs: 3000,
  requestTimeoutMs: 15_000,
  attempts: 2,
} as const satisfies OpenAiTtsSettings;

/** Sample rate of `response_format: pcm` on OpenAI and Kokoro-FastAPI (no header says so). */
export const PCM_RESPONSE_RATE_HZ = 24_000;
