// The call's speech recognition: one STT stream at a time, in the language the conversation is in. When the flow
// switches language (a caller who says "español"), the stream is re-opened in the new language with the same
// keyterms; the old one is closed cleanly (CloseStream) in the background and its late events are ignored. Caller
// audio is never lost across the switch: from the switch on it goes to the new stream (which buffers it until its
// socket opens), and audio already sent to the old stream since the caller's last turn ended is replayed into the new
// one, so words begun just before the switch are heard in the right language. Only the current stream's events reach
// the session. close() resolves once every stream this call opened has been released.
import { FRAME_MS, rmsDbfs } from '../audio/energy.js';
import type { Language } from '../flows/commands.js';
import type { SttEvents, SttProvider, SttStream } from '../speech/types.js';

export interface RecognitionHandlers {
  speechStarted(): void;
  transcript(t: SttEvents['transcript'][0]): void;
  utteranceEnd(): void;
  reconnecting(attempt: number): void;
  failed(err: Error): void;
  /** The stream now listens in `to` (for logs). */
  switched?(from: Language, to: Language): void;
}

export interface RecognitionOptions {
  keyterms: string[];
  /** Deepgram `tag` (the CallSid). */
  tag: string;
  /** Inbound 20 ms frames forwarded together. */
  chunkFrames: number;
  /** Frames forwarded together once the caller has been quiet for QUIET_AFTER_MS (larger, fewer socket writes);
   * the first voiced frame after that goes at once with what is held. Absent or <= chunkFrames: always chunkFrames. */
  idleChunkFrames?: number;
  /** Most audio kept since the caller's last turn for replay into a re-opened stream (8 bytes per ms). */
  replayMaxBytes?: number;
}

/** 3 s: a language switch follows the caller's turn within the flow's reaction time, well inside this. */
const DEFAULT_REPLAY_MAX_BYTES = 3000 * 8;
/** A frame at or above this level counts as the caller's voice (phone speech -30..-15 dBFS, line noise below -50). */
export const VOICED_DBFS = -50;
/** Quiet this long before larger chunks: past Deepgram's endpointing (300 ms) and utterance end (1,000 ms), whose
 * timing depends on the silence after the last word arriving promptly. */
export const QUIET_AFTER_MS = 1200;
const QUIET_AFTER_FRAMES = QUIET_AFTER_MS / FRAME_MS;

export class Recognition {
  private stream: SttStream | null = null;
  private lang: Language;
  private readonly inbound: Buffer[] = [];
  /** Chunks sent since the caller's last turn ended (bounded), replayed into a re-opened stream. */
  private readonly sinceTurn: Buffer[] = [];
  private sinceTurnBytes = 0;
  /** Streams being closed (switched away from, or failed); close() waits for them. */
  private readonly retiring = new Set<Promise<void>>();
  private readonly replayMaxBytes: number;
  private readonly idleChunkFrames: number;
  /** Frames since the last voiced one (starts quiet: the call opens with the greeting). */
  private quietFrames = QUIET_AFTER_FRAMES;
  private closed = false;

  constructor(
    private readonly provider: SttProvider,
    language: Language,
    private readonly o: RecognitionOptions,
    private readonly h: RecognitionHandlers,
  ) {
    this.lang = language;
    this.replayMaxBytes = o.replayMaxBytes ?? DEFAULT_REPLAY_MAX_BYTES;
    this.idleChunkFrames = Math.max(o.chunkFrames, o.idleChunkFrames ?? 0);
  }

  /** The language the current stream recognises. */
  get language(): Language {
    return this.lang;
  }

  /** Whether a stream is listening (false after a failure or close). */
  get active(): boolean {
    return this.stream !== null;
  }

  /** Opens the first stream. Throws when the provider refuses synchronously (the session apologises). */
  open(): void {
    this.stream = this.openStream(this.lang);
  }

  /**
   * One inbound 20 ms mu-law frame (the hot path: batch, forward, keep for a possible replay). While the caller is
   * quiet (most of a call: they listen), frames go in idle chunks; a voiced frame flushes at once, so the start of
   * speech (and barge-in, which waits for the provider's speechStarted) is never held back.
   */
  audio(frame: Buffer): void {
    const s = this.stream;
    if (s === null) return;
    let want = this.o.chunkFrames;
    let now = false;
    if (this.idleChunkFrames > want) {
      const wasQuiet = this.quietFrames >= QUIET_AFTER_FRAMES;
      if (rmsDbfs(frame) >= VOICED_DBFS) {
        this.quietFrames = 0;
        now = wasQuiet;
      } else if (++this.quietFrames >= QUIET_AFTER_FRAMES) want = this.idleChunkFrames;
    }
    if (want <= 1) return this.send(s, frame);
    this.inbound.push(frame);
    if (now || this.inbound.length >= want) {
      const chunk = Buffer.concat(this.inbound);
      this.inbound.length = 0;
      this.send(s, chunk);
    }
  }

  /** The caller's turn ended: audio before now belongs to a turn already taken and is never replayed. */
  turnEnded(): void {
    this.sinceTurn.length = 0;
    this.sinceTurnBytes = 0;
  }

  /**
   * Listen in `language` from now on: re-opens the stream when it differs. A refused re-open reports `failed`
   * (the session apologises and falls back) rather than throwing.
   */
  follow(language: Language): void {
    if (this.closed || language === this.lang || this.stream === null) return;
    const old = this.stream;
    const from = this.lang;
    let next: SttStream;
    try {
      next = this.openStream(language);
    } catch (err) {
      this.stream = null;
      this.retire(old);
      this.h.failed(err as Error);
      return;
    }
    this.stream = next;
    this.lang = language;
    // Audio the old stream got since the caller's last turn may hold the start of the next one: hear it again here.
    for (const chunk of this.sinceTurn) next.sendAudio(chunk);
    this.retire(old);
    this.h.switched?.(from, language);
  }

  /** Stops listening after a failure; the stream is released in the background (close() still waits for it). */
  drop(): void {
    const s = this.stream;
    this.stream = null;
    if (s) this.retire(s);
  }

  /** Releases every stream; idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.drop();
    this.inbound.length = 0;
    this.turnEnded();
    while (this.retiring.size > 0) await Promise.all(this.retiring);
  }

  private send(s: SttStream, chunk: Buffer): void {
    s.sendAudio(chunk);
    this.sinceTurn.push(chunk);
    this.sinceTurnBytes += chunk.length;
    while (this.sinceTurnBytes > this.replayMaxBytes && this.sinceTurn.length > 1) this.sinceTurnBytes -= this.sinceTurn.shift()!.length;
  }

  private openStream(language: Language): SttStream {
    const s = this.provider.open({ keyterms: this.o.keyterms, language, tag: this.o.tag });
    // Events of a stream that is no longer current (switched away from, or dropped) are stale and ignored.
    const current = () => this.stream === s;
    s.on('speechStarted', () => current() && this.h.speechStarted());
    s.on('transcript', (t) => current() && this.h.transcript(t));
    s.on('utteranceEnd', () => current() && this.h.utteranceEnd());
    s.on('reconnecting', (attempt) => current() && this.h.reconnecting(attempt));
    s.on('failed', (err) => current() && this.h.failed(err));
    return s;
  }

  private retire(s: SttStream): void {
    const p: Promise<void> = s.close().catch(() => undefined).finally(() => this.retiring.delete(p));
    this.retiring.add(p);
  }
}
