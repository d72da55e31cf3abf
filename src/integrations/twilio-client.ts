// One Twilio REST client per purpose, built the same way: the real `twilio` SDK, with api.twilio.com swapped for
// TWILIO_API_BASE_URL on every request when it is set (twilio@6 has no base-URL option; tests point it at a fake).
import twilio from 'twilio';

export interface TwilioCredentials {
  twilioAccountSid: string | null;
  twilioAuthToken: string | null;
  twilioApiBaseUrl: string | null;
}

type RequestClient = InstanceType<typeof twilio.RequestClient>;
export type TwilioClient = ReturnType<typeof twilio>;

/** `uri` with its Twilio host replaced by `base` (no-op without a base). */
export function rebaseTwilioUrl(uri: string, base: string | null): string {
  return base ? uri.replace(/^https:\/\/[a-z0-9.-]*twilio\.com/i, base.replace(/\/$/, '')) : uri;
}

/** The SDK's own HTTP client with api.twilio.com swapped for `base` on every request. */
function rebasedClient(base: string): RequestClient {
  const rc = new twilio.RequestClient();
  const original = rc.request.bind(rc);
  rc.request = ((opts: Parameters<RequestClient['request']>[0]) => original({ ...opts, uri: rebaseTwilioUrl(opts.uri, base) })) as RequestClient['request'];
  return rc;
}

/** A client for these credentials; throws when the account SID or auth token is missing. */
export function twilioClient(cfg: TwilioCredentials): TwilioClient {
  if (!cfg.twilioAccountSid || !cfg.twilioAuthToken) throw new Error('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set');
  return twilio(cfg.twilioAccountSid, cfg.twilioAuthToken, cfg.twilioApiBaseUrl ? { httpClient: rebasedClient(cfg.twilioApiBaseUrl) } : undefined);
}
