// Produces the audio of HERMES's turns, one at a time and in order, into Playback: fixed prompts from the prompt cache
// (no provider call), other text through the call's streaming TTS with REST racing it under a watchdog (synthesis.ts),
// and LLM replies as tokens -> sentences -> TTS so the first sentence plays while the rest is written. cancel() is the
// barge-in path: it aborts the LLM request and drops the TTS stream so no audio of the old reply can arrive after
// `clear`; abandon() stops only the job in progress (the caller waited too long on it) and goes on with the next.
import type { TtsProvider, TtsStream } from '../speech/types.js';
import type { CallFacts } from '../flows/core.js';
import type { Playback } from './playback.js';
import type { GenerateCommand, PromptAudio, ReplyStreamer, SentenceSplitter } from './ports.js';
import type { TurnSettings } from './turn-settings.js';
import { Cancelled, synthesize } from './synthesis.js';
import { raceFirstToken } from './first-token.js';

export type SpeakJob =
  | { kind: 'say'; id: string; text: string; promptId?: string; interruptible: boolean; voice: string }
  | { kind: 'generate'; id: string; cmd: GenerateCommand; voice: string };

export interface SpeakTiming {
  /** performance.now() of the first LLM token, null for scripted text. */
  llmFirstTokenAt: number | null;
  /** performance.now() of the first TTS byte (the cache lookup time for a cached prompt). */
  ttsFirstByteAt: number | null;
  /** Milliseconds spent waiting on providers before the first audio existed. */
  providerWaitMs: number;
  cached: boolean;
}

export interface SpeakerHooks {
  /** Text of a say once known (a generated reply is known only at its end). */
  text(sayId: string, text: string): void;
  timing(sayId: string, t: SpeakTiming): void;
  /** Speech for this job could not be produced; the session tells the conversation (providerFailure). */
  failure(provider: 'tts', err: Error, sayId: string): void;
  /** A provider misbehaved but the job recovered (fallback text, REST instead of stream): metrics and logs only. */
  degraded(provider: 'tts' | 'llm', err: Error): void;
}

export interface SpeakerDeps {
  tts: TtsProvider | null;
  prompts: PromptAudio | null;
  reply: ReplyStreamer | null;
  splitter: () => SentenceSplitter;
  playback: Playback;
  settings: TurnSettings;
  facts: CallFacts;
  hooks: SpeakerHooks;
}

export class Speaker {
  private queue: SpeakJob[] = [];
  private running = false;
  private abort = new AbortController();
  private stream: TtsStream | null = null;
  private streamVoice = '';
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** The job producing audio now; abandon() aborts only it. */
  private current: { abort: AbortController; abandoned: boolean } | null = null;

  constructor(private readonly d: SpeakerDeps) {}

  get busy(): boolean {
    return this.running || this.queue.length > 0;
  }

  enqueue(job: SpeakJob): void {
    if (this.closed) return;
    const interruptible = job.kind === 'say' ? job.interruptible : job.cmd.interruptible;
    const text = job.kind === 'say' ? job.text : job.cmd.fallbackText;
    this.d.playback.beginSay(job.id, text, interruptible);
    this.queue.push(job);
    if (!this.running) void this.drain();
  }

  /** Resolves when every queued job has produced its audio (not necessarily played). */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Barge-in: abandon every job, abort the LLM, drop the TTS stream (a fresh one opens for the next reply). */
  cancel(): void {
    this.queue = [];
    this.abort.abort();
    this.abort = new AbortController();
    this.dropStream();
  }

  /** Forgets the jobs not started yet (after a failure the caller hears the apology next); returns their ids. */
  dropQueued(): string[] {
    const ids = this.queue.map((j) => j.id);
    this.queue = [];
    return ids;
  }

  /**
   * The caller has waited too long on the job in progress: stop it where it is (what it already produced still plays)
   * and go on with the next one. Returns false when no job is in progress.
   */
  abandon(): boolean {
    const c = this.current;
    if (!c || c.abandoned) return false;
    c.abandoned = true;
    c.abort.abort();
    this.dropStream();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancel();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0 && !this.closed) {
      const job = this.queue.shift()!;
      const all = this.abort.signal;
      const current = { abort: new AbortController(), abandoned: false };
      this.current = current;
      const signal = AbortSignal.any([all, current.abort.signal]);
      try {
        if (job.kind === 'say') await this.runSay(job, signal);
        else await this.runGenerate(job, signal);
        // Abandoned: the say ends with what it produced; barge-in (all aborted): Playback has already forgotten it.
        if (!all.aborted) this.d.playback.endSay(job.id);
      } catch (err) {
        if (current.abandoned && !all.aborted) this.d.playback.endSay(job.id);
        if (signal.aborted || err instanceof Cancelled) continue;
        // The say is over as far as audio goes; the session decides what the caller hears next.
        this.d.playback.endSay(job.id);
        this.d.hooks.failure('tts', err as Error, job.id);
      }
    }
    this.current = null;
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async runSay(job: Extract<SpeakJob, { kind: 'say' }>, signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const cached = job.promptId ? this.d.prompts?.get(job.voice, job.text) : undefined;
    if (cached) {
      this.d.hooks.timing(job.id, { llmFirstTokenAt: null, ttsFirstByteAt: t0, providerWaitMs: 0, cached: true });
      this.playCached(job.id, job.text, cached);
      return;
    }
    await this.synthesize(job.id, job.voice, listOf(splitSentences(job.text)), signal, null, 0);
  }

  private async runGenerate(job: Extract<SpeakJob, { kind: 'generate' }>, signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const { cmd } = job;
    if (!this.d.reply) {
      this.d.hooks.text(job.id, cmd.fallbackText);
      await this.synthesize(job.id, job.voice, listOf(splitSentences(cmd.fallbackText)), signal, null, 0);
      return;
    }
    const llmAbort = new AbortController();
    const onAbort = () => llmAbort.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const splitter = this.d.splitter();
    const written: string[] = [];
    let firstTokenAt: number | null = null;
    const iterator = this.d.reply(cmd, this.d.facts, llmAbort.signal)[Symbol.asyncIterator]();
    // The first token races a deadline; a late or failed model gives way to the fallback text, never to silence.
    const first = await raceFirstToken(iterator, this.d.settings.generateFirstTokenTimeoutMs, llmAbort);
    if (signal.aborted) throw new Cancelled();
    if (first.kind !== 'token') {
      signal.removeEventListener('abort', onAbort);
      if (first.kind === 'error') this.d.hooks.degraded('llm', first.err);
      if (first.kind === 'timeout') this.d.hooks.degraded('llm', new Error('no first token before the deadline'));
      this.d.hooks.text(job.id, cmd.fallbackText);
      // The time lost on the model counts as provider wait, not as HERMES's own latency.
      await this.synthesize(job.id, job.voice, listOf(splitSentences(cmd.fallbackText)), signal, null, performance.now() - t0);
      return;
    }
    firstTokenAt = performance.now();
    const llmWait = firstTokenAt - t0;
    const self = this;
    async function* sentences(): AsyncGenerator<string> {
      written.push(first.kind === 'token' ? first.value : '');
      for (const s of splitter.push(written[0]!)) yield s;
      try {
        for (;;) {
          const r = await iterator.next();
          if (r.done) break;
          written.push(r.value);
          for (const s of splitter.push(r.value)) yield s;
        }
      } catch (err) {
        if (signal.aborted) throw new Cancelled();
        // Mid-reply model failure: speak what was written; the conversation goes on.
        self.d.hooks.degraded('llm', err as Error);
      }
      for (const s of splitter.end()) yield s;
    }
    try {
      await this.synthesize(job.id, job.voice, sentences(), signal, firstTokenAt, llmWait);
    } finally {
      // What the model wrote is what this turn meant to say, even when its voice failed or it was cut short.
      this.d.hooks.text(job.id, written.join('').trim() || cmd.fallbackText);
      signal.removeEventListener('abort', onAbort);
      // A reply that failed or was abandoned must not keep the model writing in the background.
      llmAbort.abort();
    }
  }

  /** Cached audio of a multi-sentence prompt gets a mark per sentence, placed proportionally to sentence length. */
  private playCached(id: string, text: string, audio: Buffer): void {
    const sentences = splitSentences(text);
    const total = sentences.reduce((n, s) => n + s.length, 0) || 1;
    let at = 0;
    let chars = 0;
    sentences.forEach((s, i) => {
      chars += s.length;
      const end = i === sentences.length - 1 ? audio.length : Math.round((audio.length * chars) / total);
      // All of it is there: it may go out well ahead of playback (Playback sends it in large messages).
      this.d.playback.audio(id, audio.subarray(at, end), true);
      this.d.playback.sentenceDone(id, s);
      at = end;
    });
  }

  /** Speaks sentences through the call's stream, REST racing it (see synthesis.ts); a failure fails the job. */
  private async synthesize(
    id: string,
    voice: string,
    sentences: AsyncIterable<string>,
    signal: AbortSignal,
    llmFirstTokenAt: number | null,
    llmWaitMs: number,
  ): Promise<void> {
    const tts = this.d.tts;
    if (!tts) throw new Error('no text-to-speech provider configured');
    const playback = this.d.playback;
    await synthesize(
      {
        tts,
        voice,
        signal,
        settings: this.d.settings,
        stream: () => this.ttsStream(voice),
        dropStream: () => this.dropStream(),
        sink: {
          audio: (buf) => playback.audio(id, buf),
          sentenceDone: (s) => playback.sentenceDone(id, s),
          firstAudio: (at, requestedAt) =>
            this.d.hooks.timing(id, { llmFirstTokenAt, ttsFirstByteAt: at, providerWaitMs: llmWaitMs + (at - requestedAt), cached: false }),
          degraded: (err) => this.d.hooks.degraded('tts', err),
        },
      },
      sentences,
    );
  }

  private ttsStream(voice: string): TtsStream {
    if (this.stream && this.streamVoice === voice) return this.stream;
    this.dropStream();
    this.stream = this.d.tts!.stream(voice);
    this.streamVoice = voice;
    // A failure with no job listening must not become an unhandled 'error'-like crash; the next job reopens.
    this.stream.on('failed', () => this.dropStream());
    return this.stream;
  }

  private dropStream(): void {
    const s = this.stream;
    this.stream = null;
    if (s) {
      s.clear();
      void s.close().catch(() => undefined);
    }
  }
}


async function* listOf(items: string[]): AsyncGenerator<string> {
  for (const s of items) yield s;
}

/** Sentence boundaries for fixed text (not streamed): split after . ! ? followed by space. */
export function splitSentences(text: string): string[] {
  const out = text.match(/[^.!?]+(?:[.!?]+["')\]]*|$)\s*/g)?.map((s) => s.trim()).filter(Boolean) ?? [];
  return out.length ? out : text.trim() ? [text.trim()] : [];
}
