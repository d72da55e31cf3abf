// GET /api/calls/:callSid/deliveries: what HERMES sent on because of one call (Clio, LawPay link by SMS, SMS, Zapier,
// messages to staff by SMS and e-mail) and how each stands, for the call screen. Readable by whoever may read the call;
// like GET /api/outbox it never returns a row's args (they carry caller details). Retrying stays integrations:manage.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { requirePermission } from '../auth/plugin.js';
import { OutboxItem, outboxItem } from './integrations.js';
import { BEARER, NoQuery, PROTECTED_ERRORS } from './schemas.js';
import { tenantOf } from './scope.js';

const Params = Type.Object({ callSid: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export async function callDeliveryRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.get<{ Params: Static<typeof Params> }>('/calls/:callSid/deliveries', {
    preHandler: requirePermission('calls:read'),
    schema: { tags: ['calls'], summary: 'Deliveries the call caused (outbox rows, oldest first, without their arguments)', security: BEARER, querystring: NoQuery, params: Params, response: { 200: Type.Array(OutboxItem), ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const tenantId = tenantOf(req);
    // Another firm's call answers 404, exactly like one that does not exist.
    if (!(await db('calls').where({ call_sid: req.params.callSid, tenant_id: tenantId }).first('call_sid'))) return reply.code(404).send({ error: 'not found', message: 'no such call' });
    const rows = (await db('outbox').where({ tenant_id: tenantId, call_sid: req.params.callSid }).orderBy('id')) as Record<string, unknown>[];
    return rows.map(outboxItem);
  });
}
