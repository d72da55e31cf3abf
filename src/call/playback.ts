// Outbound audio of one call: frames out at real time through the pacer, a mark after every sentence, and the record of
// what the caller has actually heard (Twilio echoes a mark once the audio before it has played). interrupt() is the
// barge-in priority path: it drops everything queued, sends `clear` at once, and returns what was heard of each say.
// Fixed (cached) prompts are sent ahead of playback in large messages (Twilio buffers them; `clear` flushes them and
// marks still prove what was heard); live TTS goes out just ahead of playback as it arrives. Because audio may have
// left long before it plays, "quiet" and "audible" follow the estimated playout end, not the last send, and a late
// mark echo after the audio has played does not make HERMES count as still talking (no barge-in on an echo).
// Never logs and allocates little per frame: this is the media path.
import { FramePacer, type PacerClock, realClock } from '../audio/pacer.js';
import { FRAME_BYTES } from '../audio/energy.js';
import { MULAW_SILENCE } from '../audio/mulaw.js';
import type { MediaOut } from './ports.js';

export interface PlaybackHooks {
  /** The first frame of a say left for Twilio. */
  firstFrame(sayId: string, at: number): void;
  /** Every sentence of a finished say has been played (its last mark came back). */
  sayPlayed(sayId: string, heard: string): void;
  /** Nothing is left to play (the queue ran dry, or was cleared). */
  quiet?(): void;
  /** Audio is queued again after quiet. */
  sounding?(): void;
}

export interface CutSay {
  sayId: string;
  text: string;
  heard: string;
}

interface SayState {
  id: string;
  text: string;
  interruptible: boolean;
  heard: string[];
  marksOut: number;
  ended: boolean;
  framesQueued: number;
  started: boolean;
  remainder: Buffer | null;
  /** Its audio is fixed and may go out ahead of playback (a cached prompt). */
  ahead: boolean;
}

interface MarkInfo {
  say: SayState;
  sentence: string;
}

export interface PlaybackOptions {
  leadMs: number;
  markGraceMs: number;
  /** Frames per outbound media message after a reply's first frame (see TurnSettings.outboundChunkFrames). */
  chunkFrames?: number;
  /** Fixed prompts: released this far ahead of playback (see TurnSettings.promptLeadMs); 0 = like live audio. */
  promptLeadMs?: number;
  /** Fixed prompts: frames per media message when sent ahead (see TurnSettings.promptChunkFrames). */
  promptChunkFrames?: number;
  /** Audio counts as still audible this long after its estimated playout end (network and buffer slack). */
  playoutSlackMs?: number;
  clock?: PacerClock;
}

export class Playback {
  private readonly pacer: FramePacer;
  private readonly says: SayState[] = [];
  private readonly byId = new Map<string, SayState>();
  private readonly marks = new Map<string, MarkInfo>();
  /** Frames queued per say in release order: [say, count] pairs, consumed as frames leave. */
  private fifo: [SayState, number][] = [];
  private fifoHead = 0;
  private markSeq = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;
  /** Frames released but held to go out together in one message. */
  private held: Buffer[] = [];
  private readonly chunkFrames: number;
  /** 20 ms frames handed to Twilio (held frames dropped by a clear or close are not counted). */
  private framesOut = 0;
  /** No audio queued or being released (the caller hears nothing from us). */
  private isQuiet = true;
  /** Everything is released but still playing at Twilio: quiet comes at the playout end. */
  private quietTimer: NodeJS.Timeout | null = null;
  private readonly promptChunkFrames: number;
  private readonly playoutSlackMs: number;
  private readonly clock: PacerClock;

  constructor(
    private readonly out: MediaOut,
    private readonly hooks: PlaybackHooks,
    private readonly opts: PlaybackOptions,
  ) {
    const clock = opts.clock ?? realClock;
    this.clock = clock;
    this.chunkFrames = Math.max(1, opts.chunkFrames ?? 1);
    this.promptChunkFrames = Math.max(1, opts.promptChunkFrames ?? this.chunkFrames);
    this.playoutSlackMs = opts.playoutSlackMs ?? 300;
    this.pacer = new FramePacer({
      clock,
      leadMs: opts.leadMs,
      aheadLeadMs: opts.promptLeadMs ?? 0,
      onFrame: (f, ahead) => this.frameOut(f, ahead),
      onMark: (name) => {
        this.sendHeld();
        this.out.sendMark(name);
      },
      onIdle: () => {
        this.sendHeld();
        this.armWatchdog();
        // Audio sent ahead is still playing: the caller hears silence only once it has played out.
        const left = this.pacer.playoutEndAt - clock.now();
        if (this.quietTimer) clearTimeout(this.quietTimer);
        this.quietTimer = null;
        if (left <= 0) return this.becomeQuiet();
        this.quietTimer = setTimeout(() => this.becomeQuiet(), left);
      },
    });
  }

  /** True while any say is producing or playing audio. */
  get speaking(): boolean {
    return this.says.length > 0;
  }

  /** True while no audio of ours is queued or playing. */
  get quiet(): boolean {
    return this.isQuiet;
  }

  /**
   * True while the caller may be hearing HERMES, or soon will: a say is producing audio, audio is queued, or released
   * audio has not yet played out (with slack). A say waiting only for a late mark echo after its audio played is not
   * audible, so caller speech then is a turn, not a barge-in.
   */
  get audible(): boolean {
    if (this.says.length === 0) return false;
    if (this.pacer.busy && this.pacer.queuedMs > 0) return true;
    if (this.says.some((s) => !s.ended)) return true;
    return this.clock.now() < this.pacer.playoutEndAt + this.playoutSlackMs;
  }

  /** True when the say the caller is hearing (or about to hear) may be interrupted. */
  get interruptible(): boolean {
    const s = this.says[0];
    return s !== undefined && s.interruptible;
  }

  beginSay(id: string, text: string, interruptible: boolean): void {
    if (this.closed) return;
    const s: SayState = { id, text, interruptible, heard: [], marksOut: 0, ended: false, framesQueued: 0, started: false, remainder: null, ahead: false };
    this.says.push(s);
    this.byId.set(id, s);
  }

  /** Audio of the say being produced, any chunking. `ahead`: fixed audio that may be sent well before it plays. */
  audio(id: string, muLaw: Buffer, ahead = false): void {
    const s = this.byId.get(id);
    if (!s || this.closed || muLaw.length === 0) return;
    if (ahead) s.ahead = true;
    let buf = muLaw;
    if (s.remainder) {
      buf = Buffer.concat([s.remainder, muLaw]);
      s.remainder = null;
    }
    const whole = buf.length - (buf.length % FRAME_BYTES);
    if (whole < buf.length) s.remainder = Buffer.from(buf.subarray(whole));
    if (whole === 0) return;
    this.queueFrames(s, whole === buf.length ? buf : buf.subarray(0, whole), whole / FRAME_BYTES, ahead);
  }

  /** The audio of `sentence` is complete: pad the last frame and put a mark after it. */
  sentenceDone(id: string, sentence: string): void {
    const s = this.byId.get(id);
    if (!s || this.closed) return;
    if (s.remainder) {
      const f = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE);
      s.remainder.copy(f);
      s.remainder = null;
      this.queueFrames(s, f, 1, s.ahead);
    }
    if (s.framesQueued === 0) {
      // Nothing audible was produced for this sentence; it cannot have been heard, nor does it need a mark.
      return;
    }
    const name = `m${++this.markSeq}`;
    this.marks.set(name, { say: s, sentence });
    s.marksOut++;
    this.pacer.mark(name);
  }

  /** No more audio will come for this say. */
  endSay(id: string): void {
    const s = this.byId.get(id);
    if (!s) return;
    s.ended = true;
    this.maybePlayed(s);
  }

  /** Twilio echoed a mark: the sentence before it has been played. Unknown names (cleared or foreign) are ignored. */
  markEcho(name: string): void {
    const m = this.marks.get(name);
    if (!m) return;
    this.marks.delete(name);
    m.say.heard.push(m.sentence);
    m.say.marksOut--;
    this.maybePlayed(m.say);
  }

  /**
   * Barge-in: drop all queued audio, send `clear` before anything else, forget outstanding marks (Twilio returns them
   * on clear; they were not heard) and report what was heard of every say that had not finished playing.
   */
  interrupt(): CutSay[] {
    this.pacer.clear();
    this.out.sendClear();
    const cut = this.says.map((s) => ({ sayId: s.id, text: s.text, heard: s.heard.join(' ') }));
    this.resetState();
    return cut;
  }

  /** Stops for good; timers and queues released. */
  close(): void {
    this.closed = true;
    this.pacer.close();
    this.resetState();
  }

  stats() {
    return { ...this.pacer.stats(), framesOut: this.framesOut, lateness: this.pacer.latenessHistogram() };
  }

  private resetState(): void {
    this.held = [];
    this.says.length = 0;
    this.byId.clear();
    this.marks.clear();
    this.fifo = [];
    this.fifoHead = 0;
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    this.isQuiet = true;
  }

  private becomeQuiet(): void {
    this.quietTimer = null;
    if (this.isQuiet || this.closed) return;
    this.isQuiet = true;
    this.hooks.quiet?.();
  }

  private queueFrames(s: SayState, buf: Buffer, frames: number, ahead = false): void {
    s.framesQueued += frames;
    const tail = this.fifo[this.fifo.length - 1];
    if (tail && tail[0] === s && this.fifo.length > this.fifoHead) tail[1] += frames;
    else this.fifo.push([s, frames]);
    if (this.watchdog) {
      clearTimeout(this.watchdog);
      this.watchdog = null;
    }
    if (this.quietTimer) {
      clearTimeout(this.quietTimer);
      this.quietTimer = null;
    }
    this.pacer.push(buf, ahead);
    if (this.isQuiet) {
      this.isQuiet = false;
      this.hooks.sounding?.();
    }
  }

  private frameOut(frame: Buffer, ahead: boolean): void {
    const head = this.fifo[this.fifoHead];
    let first = false;
    if (head) {
      const s = head[0];
      if (!s.started) {
        s.started = true;
        first = true;
        this.hooks.firstFrame(s.id, performance.now());
      }
      if (--head[1] === 0) {
        this.fifoHead++;
        if (this.fifoHead > 64) {
          this.fifo = this.fifo.slice(this.fifoHead);
          this.fifoHead = 0;
        }
      }
    }
    // The first frame of a reply goes at once (latency); later ones go in chunks (fewer writes). Marks and idle
    // flush what is held, so a mark never overtakes its audio.
    const chunk = ahead ? this.promptChunkFrames : this.chunkFrames;
    if (first || chunk === 1) {
      this.sendHeld();
      this.framesOut++;
      this.out.sendMedia(frame);
      return;
    }
    this.held.push(frame);
    if (this.held.length >= chunk) this.sendHeld();
  }

  private sendHeld(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.framesOut += held.length;
    this.held = [];
    this.out.sendMedia(held.length === 1 ? held[0]! : joined(held));
  }

  private maybePlayed(s: SayState): void {
    if (!s.ended || s.marksOut > 0 || this.closed) return;
    const i = this.says.indexOf(s);
    if (i < 0) return;
    this.says.splice(i, 1);
    this.byId.delete(s.id);
    this.hooks.sayPlayed(s.id, s.heard.join(' '));
  }

  /** All audio has left; if Twilio never echoes the outstanding marks, the says end after a grace period anyway. */
  private armWatchdog(): void {
    if (this.marks.size === 0 || this.closed) return;
    if (this.watchdog) clearTimeout(this.watchdog);
    // Audio sent ahead plays until playoutEndAt: the grace runs from there, not from the last send.
    const playing = Math.max(0, this.pacer.playoutEndAt - this.clock.now());
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      // The turn goes on, but a sentence whose mark never came back is not proven played: it is not counted as heard.
      for (const [name, m] of [...this.marks]) {
        this.marks.delete(name);
        m.say.marksOut--;
        this.maybePlayed(m.say);
      }
    }, playing + this.opts.markGraceMs + this.opts.leadMs);
  }
}

/** Frames cut from one buffer back to back (a cached prompt) go out as one view of it; others are copied together. */
function joined(frames: Buffer[]): Buffer {
  const a = frames[0]!;
  let end = a.byteOffset + a.length;
  for (let i = 1; i < frames.length; i++) {
    const f = frames[i]!;
    if (f.buffer !== a.buffer || f.byteOffset !== end) return Buffer.concat(frames);
    end += f.length;
  }
  return Buffer.from(a.buffer, a.byteOffset, end - a.byteOffset);
}
