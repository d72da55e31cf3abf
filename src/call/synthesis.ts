// Voices one reply's sentences in order, with a watchdog on every one: each sentence goes to the call's streaming TTS
// as soon as it exists, and REST races the stream whenever it goes quiet while audio is owed (before a sentence's
// first byte and mid-sentence alike).
// After ttsRestHedgeMs of quiet a REST request for the sentence in hand starts; whichever side speaks first keeps the
// sentence (the loser is cut off before it can reach the caller), and once REST has won, the stream is dropped and
// REST carries the rest of the reply. If neither speaks within ttsFirstByteTimeoutMs (first audio of the reply) or
// ttsStallTimeoutMs (a later chunk) of the last audio, the reply fails and the session plays the cached apology: the
// two providers' deadlines run side by side, never one after the other. Audio the stream already delivered for a
// sentence is skipped in the REST audio of that sentence, so no part of it is heard twice.
// Never touches Playback itself: audio and sentence ends go to the sink, in order.
import type { TtsProvider, TtsStream } from '../speech/types.js';
import type { TurnSettings } from './turn-settings.js';

/** The reply was cancelled (barge-in, hang-up, abandoned): not a provider failure. */
export class Cancelled extends Error {}

export interface SynthesisSink {
  audio(muLaw: Buffer): void;
  sentenceDone(sentence: string): void;
  /** The reply's first audio exists; `requestedAt` is when its first sentence was asked for. */
  firstAudio(at: number, requestedAt: number): void;
  /** The stream failed or fell behind and REST took over: metrics and logs only. */
  degraded(err: Error): void;
}

export interface SynthesisDeps {
  tts: TtsProvider;
  /** The call's stream for this voice, opened on demand; may throw (REST then carries the reply). */
  stream(): TtsStream;
  /** Closes the call's stream (it failed or fell behind); the next reply opens a fresh one. */
  dropStream(): void;
  voice: string;
  settings: Pick<TurnSettings, 'ttsFirstByteTimeoutMs' | 'ttsStallTimeoutMs' | 'ttsRestHedgeMs'>;
  signal: AbortSignal;
  sink: SynthesisSink;
}

/** Speaks every sentence; rejects with Cancelled on abort, or with the provider error when no audio came in time. */
export function synthesize(d: SynthesisDeps, sentences: AsyncIterable<string>): Promise<void> {
  return new ReplyVoice(d).run(sentences);
}

/** Timers may fire a hair early against performance.now(). */
const TIMER_SLACK_MS = 2;

class ReplyVoice {
  /** Sentences whose audio is not complete yet, oldest first; audio owed is the head's. */
  private readonly queue: string[] = [];
  /** The call's stream while it carries this reply; null once it failed or lost a race (REST speaks the rest). */
  private stream: TtsStream | null = null;
  private useStream = true;
  private producerDone = false;
  private over = false;
  private firstAudioAt: number | null = null;
  private requestedAt: number | null = null;
  // The head sentence: bytes handed to the sink for it, its REST request (racing or carrying it), last progress.
  private delivered = 0;
  private rest: AbortController | null = null;
  private restTried = false;
  private restWon = false;
  private lastAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private settle!: (err?: Error) => void;

  constructor(private readonly d: SynthesisDeps) {}

  run(sentences: AsyncIterable<string>): Promise<void> {
    const d = this.d;
    const done = new Promise<void>((resolve, reject) => {
      this.settle = (err) => (err ? reject(err) : resolve());
    });
    if (d.signal.aborted) this.end(new Cancelled());
    else {
      d.signal.addEventListener('abort', this.onAbort, { once: true });
      void (async () => {
        for await (const s of sentences) {
          if (this.over) return;
          if (s.trim()) this.push(s);
        }
        this.producerDone = true;
        if (this.queue.length === 0) this.end();
      })().catch((err: Error) => this.end(d.signal.aborted ? new Cancelled() : err));
    }
    return done;
  }

  private push(text: string): void {
    const now = performance.now();
    this.requestedAt ??= now;
    this.queue.push(text);
    const isHead = this.queue.length === 1;
    if (isHead) this.newHead(now);
    if (this.useStream && !this.stream) {
      try {
        this.stream = this.d.stream();
        this.stream.on('audio', this.onAudio);
        this.stream.on('flushed', this.onFlushed);
        this.stream.on('failed', this.onFailed);
      } catch (err) {
        this.loseStream(err as Error);
      }
    }
    if (this.stream) {
      this.stream.speak(text);
      this.stream.flush();
    } else if (isHead) this.startRest();
    if (isHead) this.arm();
  }

  private newHead(now: number): void {
    this.delivered = 0;
    this.rest?.abort(); // a racer for the previous head that the stream beat to the end
    this.rest = null;
    this.restTried = false;
    this.restWon = false;
    this.lastAt = now;
  }

  /** The head sentence's audio is complete: report it and move on to the next one. */
  private headDone(): void {
    const s = this.queue.shift()!;
    this.d.sink.sentenceDone(s);
    if (this.over) return;
    this.newHead(performance.now());
    if (this.queue.length === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      if (this.producerDone) this.end();
      return;
    }
    if (!this.stream) this.startRest();
    this.arm();
  }

  private deliver(buf: Buffer): void {
    const now = performance.now();
    if (this.firstAudioAt === null) {
      this.firstAudioAt = now;
      this.d.sink.firstAudio(now, this.requestedAt!);
    }
    this.delivered += buf.length;
    this.lastAt = now;
    this.d.sink.audio(buf);
    this.arm();
  }

  private readonly onAudio = (buf: Buffer): void => {
    if (this.over || this.queue.length === 0) return;
    if (this.rest) {
      // The stream answered before REST did: it keeps the sentence.
      this.rest.abort();
      this.rest = null;
    }
    this.deliver(buf);
  };

  private readonly onFlushed = (): void => {
    if (!this.over && this.queue.length > 0) this.headDone();
  };

  private readonly onFailed = (err: Error): void => {
    if (this.over) return;
    this.loseStream(err);
    if (this.queue.length === 0 || this.rest) return;
    if (this.restTried) this.end(new Error(`text-to-speech failed: stream ${err.message}; REST gave nothing`));
    else this.startRest();
  };

  private readonly onAbort = (): void => this.end(new Cancelled());

  /** REST for the head sentence: a racer while the stream is there, its only voice once the stream is gone. */
  private startRest(): void {
    const text = this.queue[0]!;
    this.restTried = true;
    const ac = new AbortController();
    this.rest = ac;
    let skip = this.delivered;
    const mine = () => !this.over && this.rest === ac && !ac.signal.aborted;
    restSynthesis(this.d.tts, text, this.d.voice, AbortSignal.any([ac.signal, this.d.signal]), (chunk) => {
      if (!mine()) return;
      if (!this.restWon) {
        this.restWon = true;
        if (this.stream) this.loseStream(new Error(`speech stream gave no audio for ${Math.round(performance.now() - this.lastAt)} ms; REST took over`));
      }
      const part = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
      skip = Math.max(0, skip - chunk.length);
      if (part.length > 0) this.deliver(part);
      else {
        this.lastAt = performance.now();
        this.arm();
      }
    }).then(
      () => {
        if (mine() && (this.restWon || !this.stream)) {
          this.rest = null;
          this.headDone();
        }
      },
      (err: Error) => {
        if (!mine()) return;
        this.rest = null;
        // With the stream still there it may yet answer before the deadline; otherwise nothing is left to wait for.
        if (this.restWon || !this.stream) this.end(new Error(`text-to-speech failed (REST: ${err.message})`));
      },
    );
  }

  private limit(): number {
    return this.firstAudioAt === null ? this.d.settings.ttsFirstByteTimeoutMs : this.d.settings.ttsStallTimeoutMs;
  }

  private arm(): void {
    if (this.over) return;
    if (this.timer) clearTimeout(this.timer);
    // REST always gets a real chance before the deadline, even with a short stall setting.
    const hedgeMs = Math.min(this.d.settings.ttsRestHedgeMs, this.limit() / 2);
    const hedgeAt = this.stream && !this.restTried ? this.lastAt + hedgeMs : Infinity;
    const next = Math.min(this.lastAt + this.limit(), hedgeAt);
    this.timer = setTimeout(this.tick, Math.max(0, next - performance.now()));
  }

  private readonly tick = (): void => {
    this.timer = null;
    if (this.over || this.queue.length === 0) return;
    if (performance.now() + TIMER_SLACK_MS >= this.lastAt + this.limit()) {
      const what = this.firstAudioAt === null ? 'produced no audio' : 'stalled';
      this.end(new Error(`text-to-speech ${what} for ${this.limit()} ms (stream${this.restTried ? ' and REST' : ''})`));
      return;
    }
    if (this.stream && !this.restTried) this.startRest();
    this.arm();
  };

  /** The stream failed or fell behind: it is dropped (cleared, closed) and REST speaks the rest of this reply. */
  private loseStream(err: Error): void {
    this.detach();
    if (!this.useStream) return;
    this.useStream = false;
    this.d.dropStream();
    this.d.sink.degraded(err);
  }

  private detach(): void {
    const s = this.stream;
    if (!s) return;
    s.off('audio', this.onAudio);
    s.off('flushed', this.onFlushed);
    s.off('failed', this.onFailed);
    this.stream = null;
  }

  private end(err?: Error): void {
    if (this.over) return;
    this.over = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A stream that let the reply fail may still owe old audio: the next reply must not get it (it opens a fresh one).
    if (err && !(err instanceof Cancelled) && this.stream) this.d.dropStream();
    this.detach();
    this.rest?.abort();
    this.rest = null;
    this.d.signal.removeEventListener('abort', this.onAbort);
    this.settle(err);
  }
}

/** REST synthesis, streamed when the provider can (the watchdog then sees the first byte, not the whole body). */
function restSynthesis(tts: TtsProvider, text: string, voice: string, signal: AbortSignal, onChunk: (c: Buffer) => void): Promise<void> {
  if (tts.synthesizeStream) return tts.synthesizeStream(text, voice, signal, onChunk);
  return tts.synthesize(text, voice, signal).then((audio) => {
    if (!signal.aborted) onChunk(audio);
  });
}
