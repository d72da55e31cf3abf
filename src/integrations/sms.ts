// Text messages through Twilio (messages.create). From config.twilioSmsFrom: an E.164 number, or a Messaging Service
// SID (MG...). TWILIO_API_BASE_URL rebases the SDK's requests (twilio@6 has no base-URL option; tests use nock either
// way). Twilio's errors are classified for the outbox: 429 and 5xx retry, 4xx (bad number, opted out) do not.
import { configError, DeliveryError } from './errors.js';
import { twilioClient } from './twilio-client.js';

export interface SmsSender {
  send(to: string, body: string): Promise<{ sid: string }>;
}

/** Twilio's error for a number that has opted out of texts from this sender (it texted STOP). */
export const OPTED_OUT_ERROR = 21610;

export interface SmsConfig {
  twilioAccountSid: string | null;
  twilioAuthToken: string | null;
  twilioSmsFrom: string | null;
  twilioApiBaseUrl: string | null;
}

export function createTwilioSms(cfg: SmsConfig): SmsSender {
  return {
    async send(to, body) {
      if (!cfg.twilioAccountSid || !cfg.twilioAuthToken) throw configError('sms', 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set to send text messages');
      if (!cfg.twilioSmsFrom) throw configError('sms', 'TWILIO_SMS_FROM is not set (an E.164 number or MG... Messaging Service SID)');
      const client = twilioClient(cfg);
      const from = cfg.twilioSmsFrom.startsWith('MG') ? { messagingServiceSid: cfg.twilioSmsFrom } : { from: cfg.twilioSmsFrom };
      try {
        const m = await client.messages.create({ to, body, ...from });
        return { sid: m.sid };
      } catch (err) {
        const e = err as { status?: number; code?: number; message?: string };
        const status = typeof e.status === 'number' ? e.status : null;
        const retryable = status === null || status === 429 || status >= 500;
        throw new DeliveryError('sms', `Twilio refused the message${e.code ? ` (error ${e.code})` : ''}: ${e.message ?? 'unknown error'}`, { retryable, status, ...(typeof e.code === 'number' ? { code: e.code } : {}) });
      }
    },
  };
}
