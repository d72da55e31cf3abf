// The two small interfaces the call layer uses for speech. Deepgram implements both; a firm could plug in an
// OpenAI-compatible server behind the same shapes. Providers never throw into the call: failures arrive as events.
import type { EventEmitter } from 'node:events';
import type { Logger } from '../observability/logger.js';

export interface TranscriptAlternative {
  text: string;
  confidence: number;
}

/** Events an STT stream emits (typed by SttEvents). */
export interface SttEvents {
  /** A transcript; `isFinal` marks a stable segment, `speechFinal` the end of the caller's turn by silence. */
  transcript: [t: { text: string; alternatives: TranscriptAlternative[]; confidence: number; isFinal: boolean; speechFinal: boolean }];
  /** The provider heard speech begin (voice activity). */
  speechStarted: [];
  /** The provider's fallback end-of-turn (no more words for utterance_end_ms). */
  utteranceEnd: [];
  /** The stream is reconnecting after a drop; audio of the utterance in progress will be replayed. */
  reconnecting: [attempt: number];
  /** Unrecoverable: retries exhausted or refused. The call must apologise and fall back. */
  failed: [err: Error];
}

export interface SttStream extends EventEmitter<SttEvents> {
  /** Sends one inbound mu-law frame; buffered while the socket is (re)connecting, never lost. */
  sendAudio(muLaw: Buffer): void;
  /** Asks the provider to flush what it has (Finalize). */
  finalize(): void;
  /** Closes the socket and releases timers and buffers; idempotent. */
  close(): Promise<void>;
}

export interface SttOptions {
  keyterms: string[];
  language: string;
  /** Label sent with the stream (Deepgram `tag`, e.g. the CallSid): shows in usage reports; the fake keys scripts by it. */
  tag?: string;
  /** The call's logger (carrying its CallSid); the provider's own logger otherwise. */
  log?: Logger;
}

export interface TtsStreamOptions {
  /** The call's logger (carrying its CallSid); the provider's own logger otherwise. */
  log?: Logger;
}

export interface SttProvider {
  open(opts: SttOptions): SttStream;
}

/** Streaming synthesis of one reply; audio arrives as mu-law 8 kHz chunks in order. */
export interface TtsEvents {
  audio: [muLaw: Buffer];
  /** All audio for the text sent so far has arrived (after flush). */
  flushed: [];
  failed: [err: Error];
}

export interface TtsStream extends EventEmitter<TtsEvents> {
  /** Queues text (a sentence or more). */
  speak(text: string): void;
  /** Asks for audio of everything queued. */
  flush(): void;
  /** Drops queued text and audio not yet delivered (barge-in). */
  clear(): void;
  close(): Promise<void>;
}

export interface TtsProvider {
  /** One streaming synthesis session for a call. */
  stream(voice: string, opts?: TtsStreamOptions): TtsStream;
  /** Whole-text synthesis (REST); used by the prompt cache and as a fallback when streaming fails. */
  synthesize(text: string, voice: string, signal?: AbortSignal): Promise<Buffer>;
  /** Whole-text synthesis handing audio over as it arrives (the call's fallback watches its first byte and stalls);
   * providers without it are used through synthesize(). */
  synthesizeStream?(text: string, voice: string, signal: AbortSignal | undefined, onChunk: (muLaw: Buffer) => void): Promise<void>;
}
