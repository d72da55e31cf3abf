import { describe, expect, it } from 'vitest';
import { FramePacer, LATENESS_HISTOGRAM_SIZE, mergeHistogram, percentileOf, type PacerClock } from '../../src/audio/pacer.js';
import { makeSilence, makeTone } from '../../src/audio/tones.js';

/** A clock the test drives; `delayMs` makes every timer fire that much late (a busy event loop). */
class ManualClock implements PacerClock {
  t = 1000;
  delayMs = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms + this.delayMs, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Delays every pending timer (the event loop was blocked). */
  stall(ms: number): void {
    for (const x of this.timers) x.at += ms;
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }
}

function setup(opts: Partial<ConstructorParameters<typeof FramePacer>[0]> = {}) {
  const clock = new ManualClock();
  const out: { at: number; kind: 'frame' | 'mark'; len?: number; name?: string; first?: number }[] = [];
  let idle = 0;
  const pacer = new FramePacer({
    clock,
    onFrame: (f) => out.push({ at: clock.t, kind: 'frame', len: f.length, first: f[0] }),
    onMark: (name) => out.push({ at: clock.t, kind: 'mark', name }),
    onIdle: () => idle++,
    ...opts,
  });
  return { clock, out, pacer, idle: () => idle };
}

describe('frame pacer', () => {
  it('releases audio pushed ahead up to aheadLeadMs before it plays, in one batch per wake, while the grid keeps play time', () => {
    const { clock, out, pacer } = setup({ aheadLeadMs: 2000, aheadBatchMs: 500 });
    pacer.push(makeTone(5000), true); // 250 frames of a cached prompt
    // the first 2 s (and the frame playing now) leave at once
    expect(out.filter((o) => o.kind === 'frame')).toHaveLength(101);
    expect(pacer.playoutEndAt).toBe(1000 + 101 * 20);
    expect(clock.pending).toBe(1);
    clock.advance(499);
    expect(out.filter((o) => o.kind === 'frame')).toHaveLength(101);
    clock.advance(1);
    // one wake per 500 ms releases the next 500 ms of audio together
    const frames = out.filter((o) => o.kind === 'frame');
    expect(frames).toHaveLength(126);
    expect(new Set(frames.slice(101).map((f) => f.at)).size).toBe(1);
    // live audio queued behind it plays on the same grid: released only at its own slot, after the prompt has played
    pacer.push(makeTone(40));
    clock.advance(4000);
    expect(out.filter((o) => o.kind === 'frame')).toHaveLength(250);
    clock.advance(500);
    expect(out.filter((o) => o.kind === 'frame').slice(250).map((f) => f.at)).toEqual([6000]);
    clock.advance(20);
    expect(out.filter((o) => o.kind === 'frame')).toHaveLength(252);
  });

  it('splits arbitrary chunks into 160-byte frames released every 20 ms from the first', () => {
    const { clock, out, pacer } = setup();
    pacer.push(makeTone(50)); // 400 bytes: two frames and an 80-byte remainder
    pacer.push(makeTone(30)); // 80 + 240 = 320 bytes: two more frames
    expect(out.filter((o) => o.kind === 'frame')).toHaveLength(1); // the first goes out at once
    expect(pacer.queuedMs).toBe(60);
    clock.advance(100);
    const frames = out.filter((o) => o.kind === 'frame');
    expect(frames).toHaveLength(4);
    expect(frames.every((f) => f.len === 160)).toBe(true);
    expect(frames.map((f) => f.at - 1000)).toEqual([0, 20, 40, 60]);
  });

  it('pads a trailing partial frame with silence on flush and releases marks after the audio before them', () => {
    const { clock, out, pacer } = setup();
    pacer.push(makeTone(30)); // 240 bytes
    pacer.mark('sentence-1');
    pacer.push(makeTone(20));
    pacer.mark('sentence-2');
    clock.advance(200);
    expect(out.map((o) => o.kind === 'mark' ? o.name : `frame@${o.at - 1000}`)).toEqual([
      'frame@0', 'frame@20', 'sentence-1', 'frame@40', 'sentence-2',
    ]);
  });

  it('schedules against absolute targets, so late timers do not accumulate drift', () => {
    const { clock, out, pacer } = setup();
    clock.delayMs = 3; // every timer fires 3 ms late
    pacer.push(makeTone(1000)); // 50 frames
    clock.advance(1100);
    const frames = out.filter((o) => o.kind === 'frame');
    expect(frames).toHaveLength(50);
    // Frame n is released at most 3 ms after n x 20 ms, never 3 x n ms late.
    frames.forEach((f, n) => expect(f.at - 1000 - n * 20).toBeLessThanOrEqual(3));
    expect(frames.at(-1)!.at - 1000).toBeLessThanOrEqual(49 * 20 + 3);
    const s = pacer.stats();
    expect(s.framesSent).toBe(50);
    expect(s.lateFrames).toBe(0); // 3 ms is under the 10 ms threshold
    expect(s.maxLatenessMs).toBe(3);
    expect(pacer.latenessPercentile(99)).toBeCloseTo(3.25, 5);
  });

  it('catches up after a short stall and re-bases after a long one, counting late frames', () => {
    const { clock, out, pacer } = setup({ maxCatchUpMs: 200 });
    pacer.push(makeTone(2000)); // 100 frames
    clock.advance(20); // frames 0, 1
    clock.stall(50); // the pending timer (due at 40) fires at 90
    clock.advance(70);
    // The stalled tick released the overdue frames at once to catch up, then the grid continued.
    const afterStall = out.filter((o) => o.kind === 'frame' && o.at === 1090);
    expect(afterStall.length).toBeGreaterThanOrEqual(3);
    expect(pacer.stats().lateFrames).toBeGreaterThanOrEqual(2);
    clock.stall(500); // a stall longer than maxCatchUpMs
    clock.advance(600);
    expect(pacer.stats().rebases).toBe(1);
    const before = out.length;
    clock.advance(40);
    expect(out.length - before).toBe(2); // back on a 20 ms grid, no burst
  });

  it('clear() drops queued frames and marks at once and reports what never played (barge-in)', () => {
    const { clock, out, pacer } = setup();
    pacer.push(makeTone(1000));
    pacer.mark('end-of-reply');
    clock.advance(100); // 6 frames out (0..100 inclusive)
    const sent = out.length;
    const dropped = pacer.clear();
    expect(dropped.droppedMarks).toEqual(['end-of-reply']);
    expect(dropped.droppedFrames).toBe(50 - sent);
    expect(clock.pending).toBe(0);
    clock.advance(1000);
    expect(out.length).toBe(sent);
    expect(pacer.busy).toBe(false);
    // The next reply starts at once on a fresh grid.
    pacer.push(makeTone(40));
    expect(out.length).toBe(sent + 1);
    expect(out.at(-1)!.at).toBe(clock.t);
  });

  it('continues the grid when the next chunk arrives while the last frame still plays, restarts after a pause', () => {
    const { clock, out, pacer, idle } = setup();
    pacer.push(makeTone(40));
    clock.advance(25); // frames at 0 and 20, then idle
    expect(idle()).toBe(1);
    pacer.push(makeTone(20)); // arrives at 25: slot 40 is still ahead
    expect(out.length).toBe(2);
    clock.advance(15);
    expect(out.at(-1)!.at - 1000).toBe(40);
    clock.advance(500);
    pacer.push(makeSilence(20)); // long pause: plays immediately
    expect(out.at(-1)!.at).toBe(clock.t);
    expect(out.at(-1)!.first).toBe(0xff);
  });

  it('releases up to leadMs ahead of real time when asked', () => {
    const { out, pacer } = setup({ leadMs: 60 });
    pacer.push(makeTone(200));
    expect(out.length).toBe(4); // due at 0, 20, 40, 60 all within the lead
  });

  it('survives a consumer that throws, and close() stops everything for good', () => {
    const clock = new ManualClock();
    let n = 0;
    const pacer = new FramePacer({ clock, onFrame: () => { n++; throw new Error('socket gone'); } });
    pacer.push(makeTone(100));
    clock.advance(200);
    expect(n).toBe(5);
    pacer.push(makeTone(100));
    pacer.close();
    pacer.close();
    clock.advance(200);
    expect(n).toBe(6);
    expect(clock.pending).toBe(0);
    pacer.push(makeTone(100));
    expect(n).toBe(6);
  });

  it('merges lateness histograms across pacers for one percentile figure', () => {
    const all = new Uint32Array(LATENESS_HISTOGRAM_SIZE);
    for (const delay of [0, 8]) {
      const { clock, pacer } = setup();
      clock.delayMs = delay;
      pacer.push(makeTone(400));
      clock.advance(500);
      mergeHistogram(all, pacer.latenessHistogram());
    }
    expect(percentileOf(all, 40, 50)).toBeLessThanOrEqual(0.25);
    expect(percentileOf(all, 40, 99)).toBeCloseTo(8.25, 5);
  });
});

describe('frame pacer re-entrancy', () => {
  it('audio pushed from inside a callback (after a clear, or on idle) is scheduled exactly once', () => {
    const clock = new ManualClock();
    const out: number[] = [];
    let pacer!: FramePacer;
    let cleared = false;
    pacer = new FramePacer({
      clock,
      onFrame: () => {
        out.push(clock.t - 1000);
        if (out.length === 3 && !cleared) {
          cleared = true;
          pacer.clear(); // barge-in decided inside the frame callback
          pacer.push(makeTone(60)); // the next reply starts at once
        }
      },
      onIdle: () => {
        if (out.length === 6) pacer.push(makeTone(40));
      },
    });
    pacer.push(makeTone(1000));
    clock.advance(1000);
    // 3 frames of the first reply, 3 of the second from t=40 on a fresh grid, then 2 pushed on idle.
    expect(out).toEqual([0, 20, 40, 40, 60, 80, 100, 120]);
    expect(clock.pending).toBe(0);
  });
});
