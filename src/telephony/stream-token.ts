// The stream token: proof that a media stream belongs to a call HERMES itself announced. Twilio signs only the
// upgrade URL, so one captured X-Twilio-Signature opens any number of sockets; the token, minted per call in the
// TwiML <Parameter> and echoed back by Twilio in the start message's customParameters, binds the socket to one
// CallSid, one purpose and a short expiry. Single use is enforced by the call row (calls-repo claimStream).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Long enough for Twilio to connect the stream after fetching the TwiML, short enough that a leak expires. */
export const STREAM_TOKEN_TTL_MS = 2 * 60_000;
/** The <Parameter> name the token travels under. */
export const STREAM_TOKEN_PARAM = 'hermesStreamToken';

// A relay token never opens a media stream, nor a media token a ConversationRelay session.
export type StreamPurpose = 'media' | 'relay';
// bad_signature includes a genuine token minted for another CallSid: the signature covers the CallSid.
export type TokenRefusal = 'no_token' | 'malformed_token' | 'bad_signature' | 'expired_token';

const VERSION = 'v1';

/** The HMAC key: STREAM_TOKEN_SECRET, else derived from the Twilio auth token (same on every instance). */
export function streamTokenKey(streamSecret: string | null, twilioAuthToken: string | null): Buffer | null {
  if (streamSecret) return Buffer.from(streamSecret, 'utf8');
  // Derived, not the auth token itself: a token HERMES hands out must never double as a Twilio request signature.
  if (twilioAuthToken) return createHmac('sha256', twilioAuthToken).update('hermes stream token key v1').digest();
  return null;
}

function mac(key: Buffer, callSid: string, purpose: StreamPurpose, expiresAt: number, nonce: string): Buffer {
  return createHmac('sha256', key).update(`${VERSION}\n${callSid}\n${purpose}\n${expiresAt}\n${nonce}`).digest();
}

export function mintStreamToken(key: Buffer, callSid: string, purpose: StreamPurpose, now = Date.now(), ttlMs = STREAM_TOKEN_TTL_MS): string {
  const expiresAt = now + ttlMs;
  const nonce = randomBytes(9).toString('base64url');
  return `${VERSION}.${expiresAt}.${nonce}.${mac(key, callSid, purpose, expiresAt, nonce).toString('base64url')}`;
}

/** When a well-formed token was minted (ms since epoch), or null; read only after checkStreamToken accepted it. */
export function tokenMintedAt(token: string, ttlMs = STREAM_TOKEN_TTL_MS): number | null {
  const m = /^v1\.(\d{13,16})\./.exec(token);
  return m ? Number(m[1]) - ttlMs : null;
}

/** Checks a token against the CallSid the start message names; null when valid, else why not. */
export function checkStreamToken(key: Buffer, token: unknown, callSid: string, purpose: StreamPurpose, now = Date.now()): TokenRefusal | null {
  if (typeof token !== 'string' || token === '') return 'no_token';
  const m = /^v1\.(\d{13,16})\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return 'malformed_token';
  const expiresAt = Number(m[1]);
  const given = Buffer.from(m[3]!, 'base64url');
  if (!timingSafeEqual(given, mac(key, callSid, purpose, expiresAt, m[2]!))) return 'bad_signature';
  if (expiresAt <= now) return 'expired_token';
  return null;
}
