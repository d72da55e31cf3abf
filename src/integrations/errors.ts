// Why a delivery failed and what the outbox should do about it: try again later (retryable, maybe after the time
// the provider asked for) or give up now (a permanent error: bad data, a configuration mistake) with a reason a
// person can act on. Any other thrown error counts as retryable.

export class DeliveryError extends Error {
  readonly retryable: boolean;
  /** Provider-requested wait (Retry-After), milliseconds. */
  readonly retryAfterMs: number | null;
  readonly provider: string;
  readonly status: number | null;
  /** True when the request never left (client-side limit, missing setting): the remote side certainly did nothing. */
  readonly notSent: boolean;
  /** The provider's own error code when it gave one (Twilio's 21610: the number opted out). */
  readonly code: number | null;

  constructor(provider: string, message: string, opts: { retryable: boolean; retryAfterMs?: number | null; status?: number | null; notSent?: boolean; code?: number }) {
    super(`${provider}: ${message}`);
    this.name = 'DeliveryError';
    this.provider = provider;
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs ?? null;
    this.status = opts.status ?? null;
    this.notSent = opts.notSent ?? false;
    this.code = opts.code ?? null;
  }

  /** The remote side certainly did not act on the request: not sent, or refused with a 4xx. */
  get certainlyNotApplied(): boolean {
    return this.notSent || (this.status !== null && this.status >= 400 && this.status < 500);
  }
}

/** A setting or connection is missing or wrong: retrying cannot help until an operator fixes it. */
export function configError(provider: string, message: string): DeliveryError {
  return new DeliveryError(provider, message, { retryable: false, notSent: true });
}

/** Retry-After as seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
