// Time for the delivery side, injectable: the outbox worker, backoff and the Clio rate limiter read it, so tests can
// simulate an hour of failures in milliseconds. Never read Date.now() directly in delivery code.

export interface Clock {
  now(): Date;
  /** Waits `ms` of this clock's time (a simulated clock advances instead of waiting). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(t);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that only moves when told to (or when something sleeps on it). For tests and simulations. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | number = Date.UTC(2026, 0, 5, 15, 0, 0)) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += Math.max(0, ms);
  }
  set(at: Date): void {
    this.t = Math.max(this.t, at.getTime());
  }
  async sleep(ms: number): Promise<void> {
    this.advance(ms);
  }
}
