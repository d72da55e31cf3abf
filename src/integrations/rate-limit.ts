// A client-side request budget per token (Clio allows about 50 requests per minute per token; we stay under it so
// a burst of deliveries never earns a 429). A short wait is taken on the clock; a long one is handed back to the
// outbox as a retryable error with the wait as Retry-After, so no worker slot sits idle for most of a minute.
// With a shared budget (PostgreSQL: several instances or workers) every process draws on one budget per key; without
// one, each process keeps its own. Clio's own 429 + Retry-After remains the backstop.
import type { Clock } from './clock.js';
import type { SharedBudget } from '../db/shared-limits.js';
import { DeliveryError } from './errors.js';

export interface RateLimitSettings {
  /** Requests allowed per window per key. */
  limit: number;
  windowMs: number;
  /** Longest wait taken in place; longer waits become a retryable error. */
  maxWaitMs: number;
}

export const CLIO_RATE_LIMIT = { limit: 45, windowMs: 60_000, maxWaitMs: 5_000 } as const satisfies RateLimitSettings;

export class RateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly provider: string,
    private readonly clock: Clock,
    private readonly s: RateLimitSettings = CLIO_RATE_LIMIT,
    private readonly shared: SharedBudget | null = null,
  ) {}

  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now().getTime();
      if (this.shared) {
        const waitMs = await this.shared.take(`${this.provider}:${key}`, this.s.limit, this.s.windowMs, now);
        if (waitMs === 0) return;
        if (waitMs > this.s.maxWaitMs) throw this.limited(waitMs);
        await this.clock.sleep(waitMs, signal);
        continue;
      }
      const recent = (this.sent.get(key) ?? []).filter((t) => t > now - this.s.windowMs);
      this.sent.set(key, recent);
      if (recent.length < this.s.limit) {
        recent.push(now);
        return;
      }
      const waitMs = recent[0]! + this.s.windowMs - now;
      if (waitMs > this.s.maxWaitMs) throw this.limited(waitMs);
      await this.clock.sleep(waitMs, signal);
    }
  }

  private limited(waitMs: number): DeliveryError {
    return new DeliveryError(this.provider, `client-side rate limit (${this.s.limit}/${this.s.windowMs / 1000}s) reached`, { retryable: true, retryAfterMs: waitMs, notSent: true });
  }
}
