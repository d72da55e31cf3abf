// Deepgram tuning in one place, each with its default and why. Milliseconds everywhere, the unit in the name.

export interface DeepgramSttSettings {
  /** Silence that ends a turn (Deepgram `endpointing`); speech_final arrives after it. */
  endpointingMs: number;
  /** Fallback end of turn when noise defeats endpointing (Deepgram `utterance_end_ms`, needs interim results). */
  utteranceEndMs: number;
  /** A KeepAlive goes out once no audio has been sent for this long (Deepgram closes idle streams after 10 s). */
  keepAliveMs: number;
  /** Retries after a drop or a refused connection before the stream is declared failed. */
  maxReconnectAttempts: number;
  /** All retries of one outage must fit in this window. */
  reconnectWindowMs: number;
  /** Wait before retry 1, 2, 3... (the last entry repeats). Sums to ~1.1 s so a dead provider is known well within 2 s. */
  reconnectBackoffMs: readonly number[];
  /** Give up on one connection attempt after this long. */
  connectTimeoutMs: number;
  /** A connection that stays up this long ends the outage (its retry budget is restored). */
  stableAfterMs: number;
  /** Most audio kept for replay (since the last final) and for buffering before the socket opens. 8 bytes per ms. */
  replayMaxMs: number;
  /** A replay skips leading silence but keeps this much before the first voiced frame. */
  replayPreRollMs: number;
}

export const DEFAULT_STT_SETTINGS = {
  endpointingMs: 300,
  utteranceEndMs: 1000,
  keepAliveMs: 4000,
  maxReconnectAttempts: 3,
  reconnectWindowMs: 5000,
  reconnectBackoffMs: [100, 300, 700],
  connectTimeoutMs: 2000,
  stableAfterMs: 5000,
  replayMaxMs: 10_000,
  replayPreRollMs: 300,
} as const satisfies DeepgramSttSettings;

export interface DeepgramTtsSettings {
  /** Flushes Deepgram allows per WebSocket in flushWindowMs; past that, text goes over REST. */
  flushLimit: number;
  flushWindowMs: number;
  /** Give up on the speak WebSocket opening after this long (then REST carries the text). */
  connectTimeoutMs: number;
  /** Whole-text REST synthesis timeout. */
  restTimeoutMs: number;
  /** REST attempts for 429/5xx/network errors. */
  restAttempts: number;
}

export const DEFAULT_TTS_SETTINGS = {
  flushLimit: 20,
  flushWindowMs: 60_000,
  connectTimeoutMs: 2000,
  restTimeoutMs: 10_000,
  restAttempts: 2,
} as const satisfies DeepgramTtsSettings;

/** Deepgram's public endpoint, used when DEEPGRAM_BASE_URL is not set. */
export const DEEPGRAM_DEFAULT_BASE_URL = 'https://api.deepgram.com';

/** http(s) base -> ws(s) base, as the SDK does for its sockets. */
export function toWsBase(httpBase: string): string {
  return httpBase.replace(/^http/, 'ws').replace(/\/$/, '');
}

/** An error from a speech provider, with whether trying again may help. */
export class ProviderError extends Error {
  constructor(readonly provider: string, message: string, readonly retryable: boolean, readonly status?: number) {
    super(`${provider}: ${message}`);
    this.name = 'ProviderError';
  }
}
