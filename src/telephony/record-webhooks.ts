// Twilio webhooks about what the firm keeps and whom it may text: the recording status callback (the recording
// started after the disclosure: in progress, completed with its duration, or absent) stored against its call, and
// inbound text messages, of which only the opt-out keywords matter here (STOP stores an opt-out, START removes it;
// Twilio itself answers the keyword on a long code, so the reply is empty TwiML).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '../db/knex.js';
import { storeRecordingReport } from '../intake/recordings-repo.js';
import { optIn, optOut, optOutIntent } from '../intake/sms-opt-outs.js';
import { maskPhone } from '../observability/logger.js';

export const RECORDING_STATUS_PATH = '/twilio/recording-status';
export const INBOUND_SMS_PATH = '/twilio/sms';

interface RecordDeps {
  signed(req: FastifyRequest, reply: FastifyReply, route: string): boolean;
  db: Db;
}

type Form = Record<string, string | undefined>;

export function registerRecordWebhooks(app: FastifyInstance, d: RecordDeps): void {
  app.post(RECORDING_STATUS_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'recording_status')) return reply;
    const b = req.body as Form;
    const duration = b.RecordingDuration && /^\d+$/.test(b.RecordingDuration) ? Number(b.RecordingDuration) : null;
    const known = await storeRecordingReport(
      d.db,
      {
        recordingSid: b.RecordingSid ?? '', callSid: b.CallSid ?? '', twilioStatus: b.RecordingStatus ?? '', durationSeconds: duration,
        channels: b.RecordingChannels ?? null, url: b.RecordingUrl ?? null, errorCode: b.ErrorCode && b.ErrorCode !== '0' ? b.ErrorCode : null,
      },
      new Date(),
    );
    req.log.info({ callSid: b.CallSid, recordingSid: b.RecordingSid, status: b.RecordingStatus, known }, known ? 'recording status stored' : 'recording status for an unknown call');
    return reply.code(204).send();
  });

  app.post(INBOUND_SMS_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'sms')) return reply;
    const b = req.body as Form;
    const phone = parsePhoneNumberFromString(b.From ?? '', 'US')?.number ?? null;
    const intent = optOutIntent(b.Body ?? '', b.OptOutType);
    if (phone && intent === 'out') await optOut(d.db, phone, (b.OptOutType ?? (b.Body ?? '').trim()).toUpperCase() || 'STOP', new Date());
    if (phone && intent === 'in') await optIn(d.db, phone);
    if (intent) req.log.info({ callerMasked: maskPhone(b.From ?? ''), intent }, intent === 'out' ? 'caller opted out of texts' : 'caller opted back in to texts');
    return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
}
