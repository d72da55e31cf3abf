// Twilio request signatures: the only gate in front of the webhooks and the media WebSocket (Twilio publishes no IP
// allow-list). URLs are built from PUBLIC_URL, never from the Host header, so a proxy cannot change what is checked.
import twilio from 'twilio';

/** PUBLIC_URL + path (path may carry a query string exactly as Twilio requested it). */
export function publicHttpUrl(publicUrl: string, pathAndQuery: string): string {
  return publicUrl.replace(/\/$/, '') + pathAndQuery;
}

/** The wss:// form of PUBLIC_URL + path, which Twilio signs for the Media Streams upgrade. */
export function publicWsUrl(publicUrl: string, pathAndQuery: string): string {
  return publicHttpUrl(publicUrl, pathAndQuery).replace(/^http(s?):\/\//, (_m, s: string) => (s ? 'wss://' : 'ws://'));
}

/**
 * Validates a form-encoded webhook. A missing token or header is simply invalid. A repeated parameter arrives as an
 * array; Twilio signs each of its values (sorted), and so does the check, so the signature still decides first and
 * the repetition is refused afterwards (webhook-params.ts).
 */
export function validWebhook(
  authToken: string | null,
  signature: string | undefined,
  url: string,
  params: Record<string, string | string[]>,
): boolean {
  if (!authToken || !signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

/**
 * Validates the WebSocket upgrade: Twilio signs the wss:// URL with no parameters. Its security page says to retry
 * with a trailing slash when the first check fails, so both forms are accepted.
 */
export function validUpgrade(authToken: string | null, signature: string | undefined, wsUrl: string): boolean {
  if (!authToken || !signature) return false;
  if (twilio.validateRequest(authToken, signature, wsUrl, {})) return true;
  const alt = wsUrl.endsWith('/') ? wsUrl.slice(0, -1) : `${wsUrl}/`;
  return twilio.validateRequest(authToken, signature, alt, {});
}
