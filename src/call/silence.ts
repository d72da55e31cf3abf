// Silence on the line, both ways. SilenceClock: caller silence while HERMES waits, a `silence` event every reprompt
// interval and a last one when the total reaches the end threshold, counted only while HERMES is listening and quiet;
// any caller activity resets the count. WaitClock: the caller waiting on HERMES (below).
export class SilenceClock {
  private silentMs = 0;
  private armedAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly fire: (totalMs: number, final: boolean) => void) {}

  /** Starts counting (HERMES finished speaking and is listening). */
  arm(repromptMs: number, endMs: number): void {
    this.disarm();
    const next = Math.min(endMs, (Math.floor(this.silentMs / repromptMs) + 1) * repromptMs);
    const wait = Math.max(0, next - this.silentMs);
    this.armedAt = performance.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.silentMs = next;
      this.fire(next, next >= endMs);
    }, wait);
  }

  /** Stops counting but keeps what has been counted (HERMES speaks a reprompt). */
  disarm(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.silentMs += performance.now() - this.armedAt;
  }

  /** The caller did something: the count starts over. */
  activity(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.silentMs = 0;
  }

  get armed(): boolean {
    return this.timer !== null;
  }

  close(): void {
    this.activity();
  }
}

/**
 * The other direction: the caller waiting for HERMES. Runs while a reply is being produced and nothing of ours plays
 * (started when a say begins in quiet, or when playback runs dry mid-reply; stopped as soon as audio plays again), and
 * fires once after `maxMs`, so a provider that stalls in a way no deadline of its own catches cannot wedge the call.
 */
export class WaitClock {
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;

  constructor(
    private readonly maxMs: number,
    private readonly fire: (waitedMs: number) => void,
  ) {}

  /** The caller starts waiting; a wait already running keeps its start. */
  start(): void {
    if (this.timer) return;
    this.startedAt = performance.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire(performance.now() - this.startedAt);
    }, this.maxMs);
  }

  /** Audio plays again, or HERMES handed the floor back. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }
}
