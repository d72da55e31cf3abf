// Twilio REST control of a live call: hang up and transfer via calls(sid).update. Used by CallSession through the
// CallControl port. TWILIO_API_BASE_URL rewrites api.twilio.com for tests and proxies (twilio@6 has no base-URL option).
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { CallControl } from '../call/ports.js';
import { dialTwiml, sayTwiml } from './twiml.js';
import { dialActionPath } from './transfer-fallback.js';
import { warmDialTwiml } from './warm-twiml.js';
import { publicHttpUrl } from './signature.js';

class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = opts.uri.replace(/^https:\/\/[a-z0-9.-]*twilio\.com/i, this.base.replace(/\/$/, ''));
    return super.request<TData>({ ...opts, uri });
  }
}

export interface TwilioControlConfig {
  accountSid: string;
  authToken: string;
  apiBaseUrl: string | null;
  /**
   * PUBLIC_URL: where Twilio reports how a transfer's <Dial> ended (DIAL_RESULT_PATH, or the warm transfer's
   * webhooks); without it an unanswered blind transfer just ends and a warm one cannot be offered.
   */
  publicUrl?: string | null;
}

export function createTwilioCallControl(cfg: TwilioControlConfig): CallControl {
  const client = twilio(cfg.accountSid, cfg.authToken, {
    ...(cfg.apiBaseUrl ? { httpClient: new RebasedRequestClient(cfg.apiBaseUrl) } : {}),
    autoRetry: true,
    maxRetries: 2,
  });
  return {
    async hangup(callSid) {
      await client.calls(callSid).update({ status: 'completed' });
    },
    async transfer(callSid, to, sayFirst, opts = {}) {
      const base = cfg.publicUrl;
      const twiml =
        opts.warm && base
          ? warmDialTwiml(opts.warm, 0, (p) => publicHttpUrl(base, p), sayFirst ?? [])
          : dialTwiml(to, sayFirst ?? [], base ? publicHttpUrl(base, dialActionPath(to, opts.language)) : undefined, opts.language);
      await client.calls(callSid).update({ twiml });
    },
    async sayAndHangup(callSid, lines, language) {
      await client.calls(callSid).update({ twiml: sayTwiml(lines, { hangup: true, ...(language ? { language } : {}) }) });
    },
  };
}
