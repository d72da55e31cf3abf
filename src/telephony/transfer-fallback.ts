// What happens when a transfer is not answered. The transfer's <Dial action> reports here how it ended; anything but
// an answered call becomes a voicemail (<Record>), and the recording becomes a take_message effect that texts the
// on-call number with the recording link through the outbox. Stateless (everything rides on the signed URLs and the
// call's database rows), so it works whichever HERMES instance behind nginx Twilio reaches.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallRuntime } from '../call/runtime.js';
import { sayTwiml, VOICEMAIL_LINES } from './twiml.js';
import { langOf } from './warm-twiml.js';
import type { Language } from '../flows/commands.js';

export const DIAL_RESULT_PATH = '/twilio/dial-result';
export const RECORDING_PATH = '/twilio/recording';

/**
 * The dialled number rides in the query string (Twilio signs the whole URL) so the voicemail can notify it, and the
 * caller's language so the voicemail speaks it.
 */
export const dialActionPath = (to: string, language: Language = 'en'): string => `${DIAL_RESULT_PATH}?to=${encodeURIComponent(to)}${language === 'en' ? '' : `&lang=${language}`}`;

/** Where a voicemail's recording is reported: who to notify and in which language to thank the caller. */
export const recordingPath = (to: string, language: Language = 'en'): string => `${RECORDING_PATH}?to=${encodeURIComponent(to)}${language === 'en' ? '' : `&lang=${language}`}`;

const ANSWERED = new Set(['completed', 'answered']);

interface FallbackDeps {
  signed(req: FastifyRequest, reply: FastifyReply, route: string): boolean;
  runtime: CallRuntime;
  voicemail(recordActionPath: string, language: Language): string;
}

export function registerTransferFallback(app: FastifyInstance, d: FallbackDeps): void {
  app.post(DIAL_RESULT_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'dial_result')) return reply;
    const body = req.body as Record<string, string>;
    const status = body.DialCallStatus ?? '';
    reply.type('text/xml');
    if (ANSWERED.has(status)) return sayTwiml([], { hangup: true });
    req.log.warn({ callSid: body.CallSid, dialStatus: status }, 'transfer not answered; taking a voicemail');
    const q = req.query as Record<string, string | undefined>;
    const language = langOf(q.lang);
    return d.voicemail(recordingPath(q.to ?? '', language), language);
  });

  app.post(RECORDING_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'recording')) return reply;
    const body = req.body as Record<string, string>;
    const callSid = body.CallSid ?? '';
    const q = req.query as Record<string, string | undefined>;
    const notify = q.to ?? '';
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
    const language = langOf(q.lang);
    return sayTwiml([VOICEMAIL_LINES[language].thanks], { hangup: true, language });
  });
}
