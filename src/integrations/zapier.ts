// Posts intake JSON to a Zapier catch hook (the URL is the secret; no auth header). Zapier answers 200 even when the
// Zap is paused and never retries on its own: any other answer is retried by the outbox with backoff (429 honours
// Retry-After); a 4xx such as 410 Gone means the hook was deleted and goes straight to the dead letters.
import { DeliveryError } from './errors.js';
import { httpFailure, httpRequest } from './http.js';
import type { Clock } from './clock.js';

export async function postToHook(url: string, payload: Record<string, unknown>, clock: Clock, signal?: AbortSignal): Promise<{ requestId: string | null }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DeliveryError('zapier', `not a URL: "${url}"`, { retryable: false });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new DeliveryError('zapier', 'hook URL must be http(s)', { retryable: false });
  const res = await httpRequest('zapier', u.toString(), { method: 'POST', body: payload, signal, timeoutMs: 20_000 });
  if (res.status === 200) {
    const j = res.json as { request_id?: string; id?: string } | null;
    return { requestId: j?.request_id ?? j?.id ?? null };
  }
  if (res.status > 200 && res.status < 300) {
    // Not Zapier's documented answer; the hook received the data, so do not send it twice.
    return { requestId: null };
  }
  throw httpFailure('zapier', res, clock.now());
}
