// Twilio REST control of a live call: hang up and transfer via calls(sid).update. Used by CallSession through the
// CallControl port. TWILIO_API_BASE_URL rewrites api.twilio.com for tests and proxies (twilio@6 has no base-URL option).
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { CallControl } from '../call/ports.js';
import { dialTwiml, sayTwiml } from './twiml.js';

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
  /** Where Twilio reports how a transfer's <Dial> ended (see DIAL_RESULT_PATH); without it an unanswered transfer just ends. */
  dialAction?: (to: string) => string;
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
    async transfer(callSid, to, sayFirst) {
      await client.calls(callSid).update({ twiml: dialTwiml(to, sayFirst ?? [], cfg.dialAction?.(to)) });
    },
    async sayAndHangup(callSid, lines) {
      await client.calls(callSid).update({ twiml: sayTwiml(lines, { hangup: true }) });
    },
  };
}
