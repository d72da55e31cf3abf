// What happens when a transfer is not answered. The transfer's <Dial action> reports here how it ended; anything but
// an answered call becomes a voicemail (<Record>), and the recording becomes a take_message effect that texts the
// on-call number with the recording link through the outbox. Stateless (everything rides on the signed URLs and the
// call's database rows), so it works whichever HERMES instance behind nginx Twilio reaches.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallRuntime } from '../call/runtime.js';
import { sayTwiml } from './twiml.js';

export const DIAL_RESULT_PATH = '/twilio/dial-result';
export const RECORDING_PATH = '/twilio/recording';

/** The dialled number rides in the query string (Twilio signs the whole URL) so the voicemail can notify it. */
export const dialActionPath = (to: string): string => `${DIAL_RESULT_PATH}?to=${encodeURIComponent(to)}`;

const ANSWERED = new Set(['completed', 'answered']);

interface FallbackDeps {
  signed(req: FastifyRequest, reply: FastifyReply, route: string): boolean;
  runtime: CallRuntime;
  voicemail(recordActionPath: string): string;
}

export function registerTransferFallback(app: FastifyInstance, d: FallbackDeps): void {
  app.post(DIAL_RESULT_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'dial_result')) return reply;
    const body = req.body as Record<string, string>;
    const status = body.DialCallStatus ?? '';
    reply.type('text/xml');
    if (ANSWERED.has(status)) return sayTwiml([], { hangup: true });
    req.log.warn({ callSid: body.CallSid, dialStatus: status }, 'transfer not answered; taking a voicemail');
    const to = (req.query as Record<string, string | undefined>).to ?? '';
    return d.voicemail(`${RECORDING_PATH}?to=${encodeURIComponent(to)}`);
  });

  app.post(RECORDING_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'recording')) return reply;
    const body = req.body as Record<string, string>;
    const callSid = body.CallSid ?? '';
    const notify = (req.query as Record<string, string | undefined>).to ?? '';
    const recordingUrl = body.RecordingUrl ?? '';
    const seconds = Number(body.RecordingDuration ?? '0');
    const effects = d.runtime.deps.effects;
    reply.type('text/xml');
    if (effects && recordingUrl) {
      const tenant = await d.runtime.deps.calls?.get(callSid).catch(() => null);
      const outcome = await effects
        .run(
          {
            type: 'effect', id: 'voicemail', action: 'take_message',
            args: {
              message: `Voicemail after an unanswered transfer (${seconds}s): ${recordingUrl}`,
              recording_url: recordingUrl, urgent: true, ...(notify ? { notify } : {}),
            },
          },
          { callSid, tenantId: tenant?.tenantId ?? null, slots: {} },
        )
        .catch((err: Error) => ({ ok: false, error: err.message }));
      if (!outcome.ok) req.log.error({ callSid, err: outcome.error }, 'voicemail not queued');
    }
    return sayTwiml(['Thank you. Your message has been passed to the attorney on call. Goodbye.'], { hangup: true });
  });
}
