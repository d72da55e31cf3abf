// One small HTTP helper for the JSON APIs we deliver to (Clio, LawPay, Zapier): a timeout per request, the caller's
// abort signal, and failures classified for the outbox (network, timeout, 408, 429, 5xx retry; other 4xx do not).
import { DeliveryError, parseRetryAfter } from './errors.js';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** An object is sent as JSON; URLSearchParams as a form. */
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty or non-JSON body. */
  json: unknown;
  text: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export async function httpRequest(provider: string, url: string, req: HttpRequest = {}): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.body instanceof URLSearchParams) {
    body = req.body.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    // redirect 'manual': a catch hook or API that redirects is misconfigured, and a redirect must not carry our body.
    res = await fetch(url, { method: req.method ?? 'GET', headers, body, signal, redirect: 'manual' });
  } catch (err) {
    const e = err as Error;
    const what = e.name === 'TimeoutError' || timeout.aborted ? 'timed out' : e.name === 'AbortError' ? 'aborted' : `unreachable (${e.message})`;
    throw new DeliveryError(provider, `request ${what}`, { retryable: true });
  }
  let text = '';
  try {
    text = await res.text();
  } catch {
    throw new DeliveryError(provider, 'response body cut off', { retryable: true, status: res.status });
  }
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** The DeliveryError for a non-2xx answer; `detail` is the provider's own message when it gave one. */
export function httpFailure(provider: string, res: HttpResponse, now: Date, detail?: string): DeliveryError {
  const why = detail ? `: ${detail}` : '';
  if (res.status === 429) {
    return new DeliveryError(provider, `rate limited (429)${why}`, { retryable: true, status: 429, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now) });
  }
  if (res.status >= 500 || res.status === 408) {
    return new DeliveryError(provider, `server error ${res.status}${why}`, { retryable: true, status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now) });
  }
  if (res.status >= 300 && res.status < 400) {
    return new DeliveryError(provider, `unexpected redirect ${res.status} to ${res.headers.get('location') ?? '?'}: check the configured URL`, { retryable: false, status: res.status });
  }
  return new DeliveryError(provider, `rejected with ${res.status}${why}`, { retryable: false, status: res.status });
}
