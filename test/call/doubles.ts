// Small doubles for CallSession unit tests: a scripted conversation core, STT/TTS providers driven by the test, and a
// MediaOut that records what would go to Twilio and echoes marks after the audio before them "played".
import { EventEmitter } from 'node:events';
import type { Command } from '../../src/flows/commands.js';
import type { ConversationEvent } from '../../src/flows/events.js';
import type { ConversationCore, LoadedFlow } from '../../src/flows/core.js';
import type { SttEvents, SttOptions, SttProvider, SttStream, TtsEvents, TtsProvider, TtsStream } from '../../src/speech/types.js';
import type { MediaOut } from '../../src/call/ports.js';
import { makeSpeech } from '../../src/audio/tones.js';

export class ScriptedCore implements ConversationCore {
  readonly events: ConversationEvent[] = [];
  done = false;
  outcome: ConversationCore['outcome'] = null;
  constructor(
    private readonly greet: Command[],
    private readonly onEvent: (e: ConversationEvent, core: ScriptedCore) => Command[] = () => [],
  ) {}
  async start(): Promise<Command[]> {
    return this.greet;
  }
  async handle(e: ConversationEvent): Promise<Command[]> {
    this.events.push(e);
    const cmds = this.onEvent(e, this);
    for (const c of cmds) {
      if (c.type === 'end') {
        this.done = true;
        this.outcome = c.outcome;
      }
      if (c.type === 'transfer') {
        this.done = true;
        this.outcome = 'transferred';
      }
    }
    return cmds;
  }
  slots(): Record<string, unknown> {
    return {};
  }
  snapshot(): unknown {
    return {};
  }
}

export function staticFlow(timing = { silenceRepromptMs: 0, silenceEndMs: 0 }): LoadedFlow {
  return {
    id: 'test-flow',
    version: '1',
    file: 'test.yaml',
    fixedPrompts: () => [],
    keyterms: () => ['Hermes'],
    voice: () => null,
    timing: () => timing,
  };
}

export class ControlledStt extends EventEmitter<SttEvents> implements SttStream {
  audioFrames = 0;
  audioBytes = 0;
  closed = false;
  constructor(readonly opts: SttOptions = { keyterms: [], language: 'en' }) {
    super();
  }
  sendAudio(muLaw: Buffer): void {
    this.audioFrames++;
    this.audioBytes += muLaw.length;
  }
  finalize(): void {}
  async close(): Promise<void> {
    this.closed = true;
  }
  say(text: string, opts: { final?: boolean; speechFinal?: boolean } = {}): void {
    const isFinal = opts.final ?? true;
    this.emit('transcript', { text, alternatives: [{ text, confidence: 0.9 }], confidence: 0.9, isFinal, speechFinal: opts.speechFinal ?? isFinal });
  }
}

export function sttProvider(): SttProvider & { streams: ControlledStt[] } {
  const streams: ControlledStt[] = [];
  return {
    streams,
    open(opts: SttOptions) {
      const s = new ControlledStt(opts);
      streams.push(s);
      return s;
    },
  };
}

/** TTS whose audio is `msPerChar` ms of speech per character, delivered after `delayMs`. */
export class TestTts implements TtsProvider {
  streams: TestTtsStream[] = [];
  rest: string[] = [];
  failStream = false;
  failRest = false;
  /** The stream sends this many bytes of a flush's audio and then nothing (no flushed): a stalled socket. */
  stallAfterBytes: number | null = null;
  /** REST never answers (until aborted). */
  hangRest = false;
  constructor(public msPerChar = 10, public delayMs = 5) {}
  stream(): TtsStream {
    const s = new TestTtsStream(this);
    this.streams.push(s);
    return s;
  }
  async synthesize(text: string, _voice?: string, signal?: AbortSignal): Promise<Buffer> {
    this.rest.push(text);
    if (this.hangRest) {
      await new Promise((_r, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    }
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failRest) throw new Error('REST down');
    return makeSpeech(text.length * this.msPerChar);
  }
}

export class TestTtsStream extends EventEmitter<TtsEvents> implements TtsStream {
  texts: string[] = [];
  private queue: string[] = [];
  closed = false;
  cleared = 0;
  private timers = new Set<NodeJS.Timeout>();
  constructor(private readonly p: TestTts) {
    super();
  }
  speak(text: string): void {
    this.texts.push(text);
    this.queue.push(text);
  }
  flush(): void {
    const batch = this.queue.splice(0);
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.closed) return;
      if (this.p.failStream) {
        this.emit('failed', new Error('TTS stream down'));
        return;
      }
      const stall = this.p.stallAfterBytes;
      if (stall !== null) {
        const audio = Buffer.concat(batch.map((text) => makeSpeech(text.length * this.p.msPerChar)));
        if (stall > 0) this.emit('audio', audio.subarray(0, stall));
        return;
      }
      for (const text of batch) this.emit('audio', makeSpeech(text.length * this.p.msPerChar));
      this.emit('flushed');
    }, this.p.delayMs);
    this.timers.add(t);
  }
  clear(): void {
    this.cleared++;
    this.queue = [];
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
  async close(): Promise<void> {
    this.clear();
    this.closed = true;
  }
}

/** Records outbound messages; echoes each mark after the audio sent before it would have played. */
export class RecordingOut implements MediaOut {
  frames: { at: number; clears: number }[] = [];
  marks: string[] = [];
  clears: number[] = [];
  closed = false;
  private playEnd = 0;
  private timers = new Set<NodeJS.Timeout>();
  onMarkEcho: ((name: string) => void) | null = null;
  /** Sizes of the media messages, in bytes (fixed prompts go ahead in large ones). */
  messages: number[] = [];
  /** `lateEchoMs`: marks come back this long after their audio played (a busy network or Twilio edge). */
  constructor(private readonly echo = true, private readonly lateEchoMs = 0) {}
  sendMedia(audio: Buffer): void {
    const now = performance.now();
    this.messages.push(audio.length);
    for (let i = 0; i < audio.length; i += 160) {
      this.frames.push({ at: now, clears: this.clears.length });
      this.playEnd = Math.max(this.playEnd, now) + 20;
    }
  }
  sendMark(name: string): void {
    this.marks.push(name);
    if (!this.echo) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.onMarkEcho?.(name);
    }, Math.max(0, this.playEnd - performance.now()) + this.lateEchoMs);
    this.timers.add(t);
  }
  sendClear(): void {
    this.clears.push(performance.now());
    this.playEnd = performance.now();
    // Twilio returns pending marks on clear; HERMES must ignore them as "not heard".
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(pred: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
