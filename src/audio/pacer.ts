// 20 ms frame pacer: turns mu-law audio of any chunking into 160-byte frames released at real time against a
// monotonic clock. Targets are absolute (start + n x 20 ms), so timer lateness never accumulates into drift; a stall
// longer than maxCatchUpMs re-bases the schedule instead of bursting a backlog. clear() drops everything queued at
// once (barge-in must not wait behind audio). Audio pushed `ahead` (fixed prompts whose audio is all there) may be
// released up to aheadLeadMs before it plays, in batches, so a long prompt costs a few wake-ups and messages instead of
// one per 20 ms; the grid still tracks when each frame will play (playoutEndAt). No I/O: the caller supplies
// onFrame/onMark; the clock is injectable.
import { FRAME_BYTES, FRAME_MS } from './energy.js';
import { MULAW_SILENCE } from './mulaw.js';

export interface PacerClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface PacerOptions {
  /** Receives each 160-byte frame at its due time (`ahead`: released early, see aheadLeadMs). Must not throw (errors
   * are swallowed to keep the pacer alive). */
  onFrame(frame: Buffer, ahead: boolean): void;
  /** A mark is released right after the last frame queued before it. */
  onMark?(name: string): void;
  /** The queue ran dry (everything queued so far has been released). */
  onIdle?(): void;
  clock?: PacerClock;
  /** Frames may be released this far ahead of real time (Twilio buffers them); 0 = strictly on time. */
  leadMs?: number;
  /** A frame released later than this after its due time counts as late. */
  lateThresholdMs?: number;
  /** Further behind than this, the schedule restarts from now instead of bursting the backlog. */
  maxCatchUpMs?: number;
  /** Audio pushed `ahead` may be released this far ahead of real time (0 = like any other audio). */
  aheadLeadMs?: number;
  /** While releasing ahead, wake at most this often (each wake releases everything within aheadLeadMs). */
  aheadBatchMs?: number;
}

export const DEFAULT_PACER_SETTINGS = {
  leadMs: 0,
  lateThresholdMs: 10,
  maxCatchUpMs: 200,
  aheadLeadMs: 0,
  aheadBatchMs: 1000,
} as const;

type Item = Buffer | { mark: string };

/** Lateness histogram resolution: 0.25 ms buckets up to 250 ms, the last bucket holds everything above. */
const BUCKET_MS = 0.25;
const BUCKETS = 1001;

export interface PacerStats {
  framesSent: number;
  lateFrames: number;
  maxLatenessMs: number;
  /** Times a stall exceeded maxCatchUpMs and the schedule was re-based. */
  rebases: number;
  /** Frames dropped by clear(). */
  droppedFrames: number;
}

export class FramePacer {
  private readonly o: Required<Omit<PacerOptions, 'onMark' | 'onIdle'>> & Pick<PacerOptions, 'onMark' | 'onIdle'>;
  private queue: Item[] = [];
  private head = 0;
  private remainder: Buffer | null = null;
  private timer: unknown = null;
  private base = 0;
  private n = 0;
  /** True while a schedule is running (first frame released, queue not yet dry). */
  private running = false;
  private closed = false;
  private ticking = false;
  private queuedFrames = 0;
  /** Queue index up to which items were pushed `ahead` (everything before it may go early too: order is kept). */
  private aheadEnd = 0;
  private readonly hist = new Uint32Array(BUCKETS);
  private readonly s: PacerStats = { framesSent: 0, lateFrames: 0, maxLatenessMs: 0, rebases: 0, droppedFrames: 0 };

  constructor(opts: PacerOptions) {
    this.o = { clock: realClock, ...DEFAULT_PACER_SETTINGS, ...opts };
  }

  /**
   * Queues audio; a trailing partial frame waits for more audio, or for mark()/flush() to pad it. `ahead`: the audio
   * (and everything queued before it) may be released up to aheadLeadMs before it plays.
   */
  push(muLaw: Buffer, ahead = false): void {
    if (this.closed || muLaw.length === 0) return;
    let buf = muLaw;
    if (this.remainder) {
      buf = Buffer.concat([this.remainder, muLaw]);
      this.remainder = null;
    }
    const whole = buf.length - (buf.length % FRAME_BYTES);
    for (let i = 0; i < whole; i += FRAME_BYTES) this.queue.push(buf.subarray(i, i + FRAME_BYTES));
    this.queuedFrames += whole / FRAME_BYTES;
    if (whole < buf.length) this.remainder = Buffer.from(buf.subarray(whole));
    if (ahead && this.o.aheadLeadMs > 0) {
      this.aheadEnd = this.queue.length;
      // A wait scheduled for live audio may now be far too long: what is queued may go at once.
      if (this.timer !== null && !this.ticking) {
        this.o.clock.clearTimeout(this.timer);
        this.timer = null;
      }
    }
    this.kick();
  }

  /**
   * When the audio released so far will have finished playing at the far end (monotonic ms; the grid position), or 0
   * when nothing has been released since the last clear. Released-ahead audio plays until then, not until release.
   */
  get playoutEndAt(): number {
    return this.running ? this.base + this.n * FRAME_MS : 0;
  }

  /** Pads a pending partial frame with silence so it plays now (end of a reply). */
  flush(): void {
    if (this.closed || !this.remainder) return;
    const frame = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE);
    this.remainder.copy(frame);
    this.remainder = null;
    this.queue.push(frame);
    this.queuedFrames++;
    this.kick();
  }

  /** Queues a mark after everything queued so far (a partial frame is padded first). */
  mark(name: string): void {
    if (this.closed) return;
    this.flush();
    this.queue.push({ mark: name });
    this.kick();
  }

  /**
   * Drops every queued frame and mark immediately (barge-in). Returns what was dropped so the caller knows which
   * marks will never be sent and how much audio went unplayed.
   */
  clear(): { droppedFrames: number; droppedMarks: string[] } {
    const droppedMarks: string[] = [];
    let droppedFrames = 0;
    for (let i = this.head; i < this.queue.length; i++) {
      const it = this.queue[i]!;
      if (Buffer.isBuffer(it)) droppedFrames++;
      else droppedMarks.push(it.mark);
    }
    if (this.remainder) droppedFrames++;
    this.reset();
    this.s.droppedFrames += droppedFrames;
    return { droppedFrames, droppedMarks };
  }

  /** Audio queued and not yet released, in milliseconds. */
  get queuedMs(): number {
    return this.queuedFrames * FRAME_MS + (this.remainder ? (this.remainder.length / FRAME_BYTES) * FRAME_MS : 0);
  }

  /** True while frames are queued or being released. */
  get busy(): boolean {
    return this.running || this.head < this.queue.length;
  }

  stats(): PacerStats {
    return { ...this.s };
  }

  /** Lateness percentile (p in 0..100) of released frames, in ms. */
  latenessPercentile(p: number): number {
    return percentileOf(this.hist, this.s.framesSent, p);
  }

  /** Copy of the lateness histogram, for merging many pacers into one figure (see percentileOf). */
  latenessHistogram(): Uint32Array {
    return this.hist.slice();
  }

  /** Stops for good: drops the queue and the timer. Idempotent. */
  close(): void {
    this.reset();
    this.closed = true;
  }

  private reset(): void {
    if (this.timer !== null) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.head = 0;
    this.queuedFrames = 0;
    this.aheadEnd = 0;
    this.remainder = null;
    this.running = false;
  }

  private kick(): void {
    // Inside tick() (a callback pushed more audio) the running loop picks the new items up itself.
    if (this.ticking || this.timer !== null || this.head >= this.queue.length) return;
    const now = this.o.clock.now();
    // Continue on the running grid if the next slot is still ahead (the previous frame is still playing); otherwise
    // this is a fresh start (or the queue ran dry): restart the grid now.
    if (!this.running || this.base + this.n * FRAME_MS < now) {
      this.base = now;
      this.n = 0;
    }
    this.running = true;
    this.tick();
  }

  private tick(): void {
    this.timer = null;
    if (this.closed) return;
    this.ticking = true;
    try {
      this.release();
    } finally {
      this.ticking = false;
    }
    // A callback may have cleared and queued new audio, or queued audio from onIdle: schedule it now.
    if (!this.closed && this.timer === null && this.head < this.queue.length) this.kick();
  }

  private release(): void {
    const { clock, leadMs, lateThresholdMs, maxCatchUpMs, aheadLeadMs, aheadBatchMs } = this.o;
    let now = clock.now();
    while (this.head < this.queue.length) {
      const it = this.queue[this.head]!;
      if (!Buffer.isBuffer(it)) {
        this.head++;
        this.safe(() => this.o.onMark?.(it.mark));
        if (this.closed || !this.running) return; // a callback may clear or close
        continue;
      }
      let due = this.base + this.n * FRAME_MS;
      if (now - due > maxCatchUpMs) {
        this.s.rebases++;
        this.base = now;
        this.n = 0;
        due = now;
      }
      if (due - (this.head < this.aheadEnd ? aheadLeadMs : leadMs) > now) break;
      this.head++;
      this.queuedFrames--;
      this.n++;
      const lateness = Math.max(0, now - due);
      this.record(lateness, lateThresholdMs);
      const ahead = this.head <= this.aheadEnd && aheadLeadMs > 0;
      this.safe(() => this.o.onFrame(it, ahead));
      if (this.closed || !this.running) return;
      now = clock.now();
    }
    if (this.head >= this.queue.length) {
      // Compact so a long call does not keep every released frame referenced.
      this.queue = [];
      this.head = 0;
      this.aheadEnd = 0;
      this.safe(() => this.o.onIdle?.());
      return; // `running` stays true: the grid continues if more audio arrives before the next slot
    }
    if (this.head > 256) {
      this.queue = this.queue.slice(this.head);
      this.aheadEnd = Math.max(0, this.aheadEnd - this.head);
      this.head = 0;
    }
    const aheadNext = this.head < this.aheadEnd;
    const next = this.base + this.n * FRAME_MS - (aheadNext ? aheadLeadMs : leadMs) - now;
    // Ahead audio is far in front of playback: one wake per batch keeps it there at a fraction of the timers.
    const wait = aheadNext ? Math.max(next, Math.min(aheadBatchMs, aheadLeadMs / 2)) : Math.max(0, next);
    this.timer = clock.setTimeout(() => this.tick(), wait);
  }

  private record(latenessMs: number, lateThresholdMs: number): void {
    this.s.framesSent++;
    if (latenessMs > lateThresholdMs) this.s.lateFrames++;
    if (latenessMs > this.s.maxLatenessMs) this.s.maxLatenessMs = latenessMs;
    const b = Math.min(BUCKETS - 1, Math.floor(latenessMs / BUCKET_MS));
    this.hist[b] = this.hist[b]! + 1;
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch {
      // A failing consumer must not stop the pacer or leak into the timer; the consumer logs its own errors.
    }
  }
}

/** Percentile (0..100) of a lateness histogram holding `count` samples, in ms (upper edge of the bucket). */
export function percentileOf(hist: Uint32Array, count: number, p: number): number {
  if (count === 0) return 0;
  const rank = Math.ceil((p / 100) * count);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= rank) return i === hist.length - 1 ? (hist.length - 1) * BUCKET_MS : (i + 1) * BUCKET_MS;
  }
  return (hist.length - 1) * BUCKET_MS;
}

/** Adds `src` into `dst` (benchmark: one histogram over all calls). */
export function mergeHistogram(dst: Uint32Array, src: Uint32Array): void {
  for (let i = 0; i < dst.length && i < src.length; i++) dst[i] = dst[i]! + src[i]!;
}

export const LATENESS_HISTOGRAM_SIZE = BUCKETS;
