// Produces the audio of HERMES's turns, one at a time and in order, into Playback: fixed prompts from the prompt cache
// (no provider call), other text through the call's streaming TTS (REST when the stream fails), and LLM replies as
// tokens -> sentences -> TTS so the first sentence plays while the rest is written. cancel() is the barge-in path:
// it aborts the LLM request and drops the TTS stream so no audio of the old reply can arrive after `clear`.
import type { TtsProvider, TtsStream } from '../speech/types.js';
import type { CallFacts } from '../flows/core.js';
import type { Playback } from './playback.js';
import type { GenerateCommand, PromptAudio, ReplyStreamer, SentenceSplitter } from './ports.js';
import type { TurnSettings } from './turn-settings.js';

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

class Cancelled extends Error {}

export class Speaker {
  private queue: SpeakJob[] = [];
  private running = false;
  private abort = new AbortController();
  private stream: TtsStream | null = null;
  private streamVoice = '';
  private closed = false;
  private idleWaiters: (() => void)[] = [];

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

  async close(): Promise<void> {
    this.closed = true;
    this.cancel();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0 && !this.closed) {
      const job = this.queue.shift()!;
      const signal = this.abort.signal;
      try {
        if (job.kind === 'say') await this.runSay(job, signal);
        else await this.runGenerate(job, signal);
        if (!signal.aborted) this.d.playback.endSay(job.id);
      } catch (err) {
        if (signal.aborted || err instanceof Cancelled) continue;
        // The say is over as far as audio goes; the session decides what the caller hears next.
        this.d.playback.endSay(job.id);
        this.d.hooks.failure('tts', err as Error, job.id);
      }
    }
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
    await this.synthesize(job.id, job.voice, listOf(splitSentences(job.text)), signal, null, t0, 0);
  }

  private async runGenerate(job: Extract<SpeakJob, { kind: 'generate' }>, signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const { cmd } = job;
    if (!this.d.reply) {
      this.d.hooks.text(job.id, cmd.fallbackText);
      await this.synthesize(job.id, job.voice, listOf(splitSentences(cmd.fallbackText)), signal, null, t0, 0);
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
    const first = await raceFirst(iterator, this.d.settings.generateFirstTokenTimeoutMs, llmAbort);
    if (signal.aborted) throw new Cancelled();
    if (first.kind !== 'token') {
      signal.removeEventListener('abort', onAbort);
      if (first.kind === 'error') this.d.hooks.degraded('llm', first.err);
      if (first.kind === 'timeout') this.d.hooks.degraded('llm', new Error('no first token before the deadline'));
      this.d.hooks.text(job.id, cmd.fallbackText);
      // The time lost on the model counts as provider wait, not as HERMES's own latency.
      await this.synthesize(job.id, job.voice, listOf(splitSentences(cmd.fallbackText)), signal, null, t0, performance.now() - t0);
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
      await this.synthesize(job.id, job.voice, sentences(), signal, firstTokenAt, t0, llmWait);
      this.d.hooks.text(job.id, written.join('').trim() || cmd.fallbackText);
    } finally {
      signal.removeEventListener('abort', onAbort);
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
      this.d.playback.audio(id, audio.subarray(at, end));
      this.d.playback.sentenceDone(id, s);
      at = end;
    });
  }

  /**
   * Speaks sentences through the streaming TTS, one Speak+Flush per sentence so every sentence ends in a mark. On a
   * stream failure the remaining sentences go through REST; if that fails too, the job fails (providerFailure).
   */
  private async synthesize(
    id: string,
    voice: string,
    sentences: AsyncIterable<string>,
    signal: AbortSignal,
    llmFirstTokenAt: number | null,
    t0: number,
    llmWaitMs: number,
  ): Promise<void> {
    const tts = this.d.tts;
    if (!tts) throw new Error('no text-to-speech provider configured');
    let stream: TtsStream;
    try {
      stream = this.ttsStream(voice);
    } catch (err) {
      return this.synthesizeRest(id, voice, sentences, signal, llmFirstTokenAt, 'rest', llmWaitMs, err as Error);
    }
    const pending: string[] = [];
    const leftover: string[] = [];
    let firstByte = false;
    let requestedAt = 0;
    let producerDone = false;
    let settle!: (err?: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (err) => (err ? reject(err) : resolve());
    });
    let firstByteTimer: NodeJS.Timeout | null = null;
    const onAudio = (buf: Buffer) => {
      if (signal.aborted) return;
      if (!firstByte) {
        firstByte = true;
        if (firstByteTimer) clearTimeout(firstByteTimer);
        const now = performance.now();
        this.d.hooks.timing(id, { llmFirstTokenAt, ttsFirstByteAt: now, providerWaitMs: llmWaitMs + (now - requestedAt), cached: false });
      }
      this.d.playback.audio(id, buf);
    };
    const onFlushed = () => {
      const s = pending.shift();
      if (s !== undefined) this.d.playback.sentenceDone(id, s);
      if (producerDone && pending.length === 0) settle();
    };
    const onFailed = (err: Error) => settle(err);
    const onAbort = () => settle(new Cancelled());
    stream.on('audio', onAudio);
    stream.on('flushed', onFlushed);
    stream.on('failed', onFailed);
    signal.addEventListener('abort', onAbort, { once: true });
    const produce = async () => {
      for await (const s of sentences) {
        if (signal.aborted) return;
        if (!s.trim()) continue;
        if (pending.length === 0 && !firstByte) {
          requestedAt = performance.now();
          firstByteTimer ??= setTimeout(() => settle(new Error('text-to-speech produced no audio in time')), this.d.settings.ttsFirstByteTimeoutMs);
        }
        pending.push(s);
        stream.speak(s);
        stream.flush();
      }
      producerDone = true;
      if (pending.length === 0) settle();
    };
    produce().catch((err) => settle(err as Error));
    try {
      await done;
    } catch (err) {
      if (err instanceof Cancelled || signal.aborted) throw err;
      // Stream failed: the sentences not yet flushed (and the rest of a generated reply) go through REST.
      this.dropStream();
      this.d.hooks.degraded('tts', err as Error);
      leftover.push(...pending);
      if (!producerDone) for await (const s of sentences) leftover.push(s);
      // The time already spent waiting on the stream is provider time too (unless it did deliver some audio).
      const waitingSince = firstByte ? null : requestedAt > 0 ? requestedAt : 'rest';
      return this.synthesizeRest(id, voice, listOf(leftover), signal, llmFirstTokenAt, waitingSince, llmWaitMs, err as Error);
    } finally {
      if (firstByteTimer) clearTimeout(firstByteTimer);
      stream.off('audio', onAudio);
      stream.off('flushed', onFlushed);
      stream.off('failed', onFailed);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async synthesizeRest(
    id: string,
    voice: string,
    sentences: AsyncIterable<string>,
    signal: AbortSignal,
    llmFirstTokenAt: number | null,
    /** When the wait for this job's first audio began; 'rest' = at the first REST request; null = already timed. */
    waitingSince: number | 'rest' | null,
    llmWaitMs: number,
    cause: Error,
  ): Promise<void> {
    const tts = this.d.tts!;
    let first = waitingSince !== null;
    for await (const s of sentences) {
      if (!s.trim()) continue;
      const req = performance.now();
      let audio: Buffer;
      try {
        audio = await withTimeout(tts.synthesize(s, voice, signal), this.d.settings.ttsFirstByteTimeoutMs * 2);
      } catch (err) {
        if (signal.aborted) throw new Cancelled();
        throw new Error(`text-to-speech failed (stream: ${cause.message}; REST: ${(err as Error).message})`);
      }
      if (signal.aborted) throw new Cancelled();
      if (first) {
        first = false;
        const now = performance.now();
        const since = waitingSince === 'rest' || waitingSince === null ? req : waitingSince;
        this.d.hooks.timing(id, { llmFirstTokenAt, ttsFirstByteAt: now, providerWaitMs: llmWaitMs + (now - since), cached: false });
      }
      this.d.playback.audio(id, audio);
      this.d.playback.sentenceDone(id, s);
    }
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

type First = { kind: 'token'; value: string } | { kind: 'end' } | { kind: 'error'; err: Error } | { kind: 'timeout' };

async function raceFirst(it: AsyncIterator<string>, timeoutMs: number, abort: AbortController): Promise<First> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<First>((r) => {
    timer = setTimeout(() => r({ kind: 'timeout' }), timeoutMs);
  });
  const next = (async (): Promise<First> => {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return { kind: 'end' };
        if (r.value) return { kind: 'token', value: r.value };
      }
    } catch (err) {
      return { kind: 'error', err: err as Error };
    }
  })();
  const res = await Promise.race([next, timeout]);
  clearTimeout(timer);
  if (res.kind !== 'token') abort.abort();
  return res;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    }),
  ]);
}

async function* listOf(items: string[]): AsyncGenerator<string> {
  for (const s of items) yield s;
}

/** Sentence boundaries for fixed text (not streamed): split after . ! ? followed by space. */
export function splitSentences(text: string): string[] {
  const out = text.match(/[^.!?]+(?:[.!?]+["')\]]*|$)\s*/g)?.map((s) => s.trim()).filter(Boolean) ?? [];
  return out.length ? out : text.trim() ? [text.trim()] : [];
}
