// Settings of the Twilio side: the public URL Twilio calls, the account, stream tokens and the SMS sender.
import { httpUrl, optionalText, optionalUrl, type SettingsOf } from './setting.js';

export interface TelephonyConfig {
  /** https base that Twilio sees (used for signatures and the stream URL); null until set. */
  publicUrl: string | null;
  twilioAccountSid: string | null;
  twilioAuthToken: string | null;
  /** Key of the stream tokens the TwiML hands to each media stream; null derives one from twilioAuthToken. */
  streamTokenSecret: string | null;
  /** Base URL of the Twilio REST API; only tests and proxies change it. */
  twilioApiBaseUrl: string | null;
  /** Number (E.164) or Messaging Service SID that SMS are sent from. */
  twilioSmsFrom: string | null;
}

/** Hosts where plain http is accepted for PUBLIC_URL: a developer's own machine, which Twilio cannot reach anyway. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function publicUrl(raw: string): string | null {
  if (raw.trim() === '') return null;
  const u = httpUrl(raw);
  const url = new URL(u);
  if (url.search) throw new Error('must not carry a query string');
  // Twilio signs the https URL it calls and opens the media stream as wss:// on the same host; over http the
  // signatures never match and the stream never opens, so a typo here would only show on the first call.
  if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`must be https:// (Twilio calls webhooks over https and opens the media stream over wss), got "${raw.trim()}"; plain http is accepted only for localhost, for local development`);
  }
  return u;
}

export const TELEPHONY_SETTINGS = [
  { env: 'PUBLIC_URL', key: 'publicUrl', doc: 'https base URL Twilio uses to reach HERMES (signatures, stream URL); http only for localhost', default: null, parse: publicUrl },
  { env: 'TWILIO_ACCOUNT_SID', key: 'twilioAccountSid', doc: 'Twilio account SID (AC...)', default: null, parse: optionalText },
  { env: 'TWILIO_AUTH_TOKEN', key: 'twilioAuthToken', doc: 'Twilio auth token; signs webhooks and the media WebSocket', default: null, parse: optionalText },
  { env: 'STREAM_TOKEN_SECRET', key: 'streamTokenSecret', doc: 'Key (>= 32 chars) of the per-call media stream tokens; default: derived from TWILIO_AUTH_TOKEN', default: null, parse: optionalText },
  { env: 'TWILIO_API_BASE_URL', key: 'twilioApiBaseUrl', doc: 'Override of https://api.twilio.com (tests, proxies)', default: null, parse: optionalUrl },
  { env: 'TWILIO_SMS_FROM', key: 'twilioSmsFrom', doc: 'E.164 number or MG... Messaging Service SID that SMS come from', default: null, parse: optionalText },
] as const satisfies SettingsOf<TelephonyConfig>;
