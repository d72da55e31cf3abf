// The Stripe SDK pointed at STRIPE_API_URL (https://api.stripe.com, or a local fake in tests), and Stripe's errors
// turned into outbox decisions: a refusal (4xx) is permanent and says why; rate limits, 5xx and network trouble retry.
// The SDK is imported when first needed, so a server whose firms use LawPay never loads it (start-up time).
import type Stripe from 'stripe';
import { DeliveryError, parseRetryAfter } from '../errors.js';

const sdk = async () => (await import('stripe')).default;

export async function createStripeClient(secretKey: string, apiUrl: string): Promise<Stripe> {
  const StripeSdk = await sdk();
  const u = new URL(apiUrl);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return new StripeSdk(secretKey, {
    // No apiVersion: the SDK sends the version it was built and typed for, so the shapes read here match its types.
    host: u.hostname,
    port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443,
    protocol,
    // The outbox owns retries (with backoff across minutes); the SDK's own quick retries would double them up.
    maxNetworkRetries: 0,
    timeout: 20_000,
    appInfo: { name: 'HERMES', url: 'https://github.com/hermes-receptionist' },
  });
}

/** Restricted (rk_) or secret (sk_) keys; publishable keys (pk_) cannot create Checkout Sessions. */
export function looksLikeSecretKey(key: string): boolean {
  return /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/.test(key);
}

/**
 * Verifies Stripe-Signature over the raw body (HMAC-SHA256 of "t.body" with the endpoint secret, 300 s tolerance) and
 * parses the event; throws when it does not verify.
 */
export async function verifiedStripeEvent(rawBody: Buffer, signature: string, secret: string): Promise<Stripe.Event> {
  return (await sdk()).webhooks.constructEvent(rawBody, signature, secret);
}

/** What the SDK's errors carry (StripeError and subclasses; matched by shape so the SDK need not be loaded). */
interface StripeErrorShape {
  type: string;
  message: string;
  statusCode?: number;
  code?: string;
  headers?: unknown;
}
const isStripeError = (e: unknown): e is StripeErrorShape => {
  const type: unknown = e instanceof Error ? (e as Error & { type?: unknown }).type : undefined;
  return typeof type === 'string' && type.startsWith('Stripe');
};

export function stripeFailure(err: unknown, now: Date): DeliveryError {
  if (isStripeError(err)) {
    const status = err.statusCode ?? null;
    const retryAfter = parseRetryAfter(headerValue(err.headers, 'retry-after'), now);
    const what = [err.code, err.message].filter(Boolean).join(': ') || err.type;
    if (err.type === 'StripeConnectionError') return new DeliveryError('stripe', `could not reach Stripe (${err.message})`, { retryable: true });
    if (err.type === 'StripeAuthenticationError') return new DeliveryError('stripe', `Stripe refused the key (${what}); connect the firm's Stripe account again`, { retryable: false, status });
    const retryable = status === null || status === 409 || status === 429 || status >= 500;
    return new DeliveryError('stripe', `Stripe answered ${status ?? 'with an error'}: ${what}`, { retryable, status, retryAfterMs: retryAfter });
  }
  return new DeliveryError('stripe', (err as Error).message ?? String(err), { retryable: true });
}

function headerValue(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
}
