// The firm's privacy controls: whether calls are recorded (the disclosure follows), how long transcripts, recordings
// and undelivered intakes are kept, and erasing one caller (by phone number or intake id). Changing them is the
// owner's (users:manage) and audited; the audit entry of an erasure names the intake or a masked number and the
// counts, never the caller's details.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { requirePermission } from '../auth/plugin.js';
import { EraseNotFoundError, eraseCaller, type EraseTarget } from '../intake/erase.js';
import { firmSettings, FirmSettingsInputError, MAX_RETENTION_DAYS, RECORDING_MODES, updateFirmSettings } from '../intake/firm-settings.js';
import { createTwilioRecordings, type TwilioRecordings } from '../integrations/recordings.js';
import { maskPhone } from '../observability/logger.js';
import { BEARER, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';

const Recording = Type.Union(RECORDING_MODES.map((m) => Type.Literal(m)), { description: 'on: calls are recorded (dual channel) after a disclosure that says so; off: neither' });
const RetentionDays = Nullable(Type.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS, description: 'Days transcripts, recordings and undelivered intakes are kept; null keeps them' }));
const Settings = Type.Object({ recording: Recording, retentionDays: RetentionDays });
// minimum 0, not 1, in the body: Fastify's ajv coerces types, and a 0 failing the integer branch would be coerced to
// null (keep forever). 0 passes the schema and is refused by updateFirmSettings with the rule in words.
const RetentionDaysIn = Nullable(Type.Integer({ minimum: 0, maximum: MAX_RETENTION_DAYS, description: 'Days kept (1 or more); null keeps them' }));
const PatchBody = Type.Object({ recording: Type.Optional(Recording), retentionDays: Type.Optional(RetentionDaysIn) }, { additionalProperties: false, minProperties: 1 });
const EraseBody = Type.Object({
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32, description: 'The caller\'s number, E.164 or national US format' })),
  intakeId: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'Exactly one of phone or intakeId' });
const EraseReport = Type.Object({
  calls: Type.Integer(), turns: Type.Integer(), intakes: Type.Integer(), messages: Type.Integer(), outbox: Type.Integer(), recordings: Type.Integer(),
});

export async function privacyRoutes(app: FastifyInstance, deps: AppDeps & { recordings?: TwilioRecordings }): Promise<void> {
  const { db } = deps;
  const twilio = deps.recordings ?? createTwilioRecordings(deps.config);

  app.get<{ Querystring: Static<typeof NoQuery> }>('/privacy/settings', {
    preHandler: requirePermission('calls:read'),
    schema: { tags: ['privacy'], summary: 'Whether calls are recorded and how long what callers said is kept', security: BEARER, querystring: NoQuery, response: { 200: Settings, ...PROTECTED_ERRORS } },
  }, async (req) => firmSettings(db, tenantOf(req)));

  app.patch<{ Body: Static<typeof PatchBody>; Querystring: Static<typeof NoQuery> }>('/privacy/settings', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['privacy'], summary: 'Turn recording on or off, set the retention period (audited)', security: BEARER, querystring: NoQuery, body: PatchBody, response: { 200: Settings, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    try {
      const s = await updateFirmSettings(db, p.tenantId, req.body);
      if (!s) return reply.code(404).send({ error: 'not found', message: 'no such firm' });
      // The next call of this firm follows the change (the disclosure and the recording), not the cached setting.
      deps.callRuntime?.firmChanged(p.tenantId);
      await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'privacy.settings', target: `tenant:${p.tenantId}`, details: { ...req.body } });
      return s;
    } catch (err) {
      if (!(err instanceof FirmSettingsInputError)) throw err;
      return reply.code(400).send({ error: 'validation failed', message: `body.${err.message}` });
    }
  });

  app.post<{ Body: Static<typeof EraseBody>; Querystring: Static<typeof NoQuery> }>('/privacy/erase', {
    preHandler: requirePermission('users:manage'),
    schema: {
      tags: ['privacy'], summary: 'Delete everything about one caller: calls, transcripts, recordings (at Twilio too), intakes, messages, deliveries (audited)',
      security: BEARER, querystring: NoQuery, body: EraseBody, response: { 200: EraseReport, 502: Type.Object({ error: Type.String(), message: Type.String() }), ...PROTECTED_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    let target: EraseTarget;
    if (req.body.phone !== undefined) {
      const phone = parsePhoneNumberFromString(req.body.phone.trim(), 'US');
      if (!phone?.isValid()) return reply.code(400).send({ error: 'validation failed', message: 'body.phone: not a phone number' });
      target = { phone: phone.number };
    } else target = { intakeId: req.body.intakeId! };
    let report;
    try {
      report = await eraseCaller(db, p.tenantId, target, (sid) => twilio.remove(sid));
    } catch (err) {
      if (err instanceof EraseNotFoundError) return reply.code(404).send({ error: 'not found', message: 'no such intake' });
      req.log.warn({ err: (err as Error).message }, 'caller erasure stopped: a recording was not deleted at Twilio');
      return reply.code(502).send({ error: 'bad gateway', message: 'Twilio did not delete a recording; nothing else was erased, try again' });
    }
    const targetName = 'phone' in target ? `phone:${maskPhone(target.phone)}` : `intake:${target.intakeId}`;
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'caller.erase', target: targetName, details: { ...report } });
    return report;
  });
}
