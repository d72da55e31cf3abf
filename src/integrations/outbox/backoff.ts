// When to try a failed delivery again: exponential backoff with "equal jitter" (half fixed, half random), so many
// rows failing together do not retry together, and never sooner than the provider's Retry-After.
// With the defaults (10 s base, 30 min cap) the first 11 retries take at least 66 minutes, so an outage of an hour
// does not use up the default 12 attempts.

export interface BackoffSettings {
  /** Delay after the first failure before jitter, milliseconds. */
  baseMs: number;
  /** Longest delay between two attempts, milliseconds. */
  capMs: number;
  /** Longest Retry-After we honour; a larger one is treated as this (a confused server must not park a row for days). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF = { baseMs: 10_000, capMs: 30 * 60_000, maxRetryAfterMs: 6 * 60 * 60_000 } as const satisfies BackoffSettings;

/** Delay before attempt `attempts + 1`, given `attempts` failed so far (>= 1). `random` in [0, 1). */
export function retryDelayMs(attempts: number, retryAfterMs: number | null, s: BackoffSettings = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(s.capMs, s.baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  const jittered = exp / 2 + random() * (exp / 2);
  const asked = retryAfterMs === null ? 0 : Math.min(retryAfterMs, s.maxRetryAfterMs);
  return Math.round(Math.max(jittered, asked));
}
