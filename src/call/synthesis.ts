// Voices one reply's sentences, one after another, with a watchdog on every one: the call's streaming TTS first, and
// REST racing it whenever the stream goes quiet while audio is owed (before its first byte and mid-sentence alike).
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
export async function synthesize(d: SynthesisDeps, sentences: AsyncIterable<string>): Promise<void> {
  const reply = new ReplyVoice(d);
  for await (const s of sentences) {
    if (d.signal.aborted) throw new Cancelled();
    if (!s.trim()) continue;
    await reply.sentence(s);
    d.sink.sentenceDone(s);
  }
  if (d.signal.aborted) throw new Cancelled();
}

/** Timers may fire a hair early against performance.now(). */
const TIMER_SLACK_MS = 2;

class ReplyVoice {
  /** False once the stream failed or lost a race: REST speaks the rest of this reply. */
  private useStream = true;
  private firstAudioAt: number | null = null;
  private requestedAt: number | null = null;

  constructor(private readonly d: SynthesisDeps) {}

  sentence(text: string): Promise<void> {
    const d = this.d;
    const requestedAt = performance.now();
    this.requestedAt ??= requestedAt;
    return new Promise<void>((resolve, reject) => {
      let stream: TtsStream | null = null;
      let rest: AbortController | null = null;
      let restTried = false;
      let restWon = false;
      /** Bytes of this sentence handed to the sink, from whichever side. */
      let delivered = 0;
      /** Last progress (request, or audio from either side): deadlines count from here. */
      let lastAt = requestedAt;
      let timer: NodeJS.Timeout | null = null;
      let over = false;

      const limit = () => (this.firstAudioAt === null ? d.settings.ttsFirstByteTimeoutMs : d.settings.ttsStallTimeoutMs);
      const end = (err?: Error) => {
        if (over) return;
        over = true;
        if (timer) clearTimeout(timer);
        detach();
        if (err || !restWon) rest?.abort();
        d.signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => end(new Cancelled());
      const deliver = (buf: Buffer) => {
        const now = performance.now();
        if (this.firstAudioAt === null) {
          this.firstAudioAt = now;
          d.sink.firstAudio(now, this.requestedAt!);
        }
        delivered += buf.length;
        lastAt = now;
        d.sink.audio(buf);
        arm();
      };
      const onAudio = (buf: Buffer) => {
        if (over) return;
        if (rest) {
          // The stream answered before REST did: it keeps the sentence.
          rest.abort();
          rest = null;
        }
        deliver(buf);
      };
      const onFlushed = () => end();
      const onFailed = (err: Error) => {
        detach();
        this.loseStream(err);
        if (!rest) {
          if (restTried) end(new Error(`text-to-speech failed: stream ${err.message}; REST gave nothing`));
          else startRest();
        }
      };
      const detach = () => {
        if (!stream) return;
        stream.off('audio', onAudio);
        stream.off('flushed', onFlushed);
        stream.off('failed', onFailed);
        stream = null;
      };
      const startRest = () => {
        restTried = true;
        const ac = new AbortController();
        rest = ac;
        let skip = delivered;
        const signal = AbortSignal.any([ac.signal, d.signal]);
        restSynthesis(d.tts, text, d.voice, signal, (chunk) => {
          if (over || ac.signal.aborted) return;
          if (!restWon) {
            restWon = true;
            if (stream) {
              detach();
              this.loseStream(new Error(`speech stream gave no audio for ${Math.round(performance.now() - lastAt)} ms; REST took over`));
            }
          }
          const part = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
          skip = Math.max(0, skip - chunk.length);
          if (part.length > 0) deliver(part);
          else {
            lastAt = performance.now();
            arm();
          }
        }).then(
          () => {
            if (!over && rest === ac && (restWon || !stream)) end();
          },
          (err: Error) => {
            if (over || ac.signal.aborted || rest !== ac) return;
            rest = null;
            // With the stream still there it may yet answer before the deadline; otherwise nothing is left to wait for.
            if (restWon || !stream) end(new Error(`text-to-speech failed (REST: ${err.message})`));
          },
        );
      };
      const tick = () => {
        timer = null;
        if (over) return;
        const now = performance.now();
        if (now + TIMER_SLACK_MS >= lastAt + limit()) {
          const what = this.firstAudioAt === null ? 'produced no audio' : 'stalled';
          end(new Error(`text-to-speech ${what} for ${limit()} ms (stream${restTried ? ' and REST' : ''})`));
          return;
        }
        if (stream && !restTried) startRest();
        arm();
      };
      const arm = () => {
        if (over) return;
        if (timer) clearTimeout(timer);
        const hedgeAt = stream && !restTried ? lastAt + d.settings.ttsRestHedgeMs : Infinity;
        const next = Math.min(lastAt + limit(), hedgeAt);
        timer = setTimeout(tick, Math.max(0, next - performance.now()));
      };

      if (d.signal.aborted) return end(new Cancelled());
      d.signal.addEventListener('abort', onAbort, { once: true });
      if (this.useStream) {
        try {
          stream = d.stream();
        } catch (err) {
          this.loseStream(err as Error);
        }
      }
      if (stream) {
        stream.on('audio', onAudio);
        stream.on('flushed', onFlushed);
        stream.on('failed', onFailed);
        stream.speak(text);
        stream.flush();
      } else startRest();
      arm();
    });
  }

  private loseStream(err: Error): void {
    if (!this.useStream) return;
    this.useStream = false;
    this.d.dropStream();
    this.d.sink.degraded(err);
  }
}

/** REST synthesis, streamed when the provider can (the watchdog then sees the first byte, not the whole body). */
function restSynthesis(tts: TtsProvider, text: string, voice: string, signal: AbortSignal, onChunk: (c: Buffer) => void): Promise<void> {
  if (tts.synthesizeStream) return tts.synthesizeStream(text, voice, signal, onChunk);
  return tts.synthesize(text, voice, signal).then((audio) => {
    if (!signal.aborted) onChunk(audio);
  });
}
