// Caller silence while HERMES waits: a `silence` event every reprompt interval and a last one when the total reaches
// the end threshold, counted only while HERMES is listening and quiet. Any caller activity resets the count.
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
