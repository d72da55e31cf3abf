// Messages taken for the firm's staff: open (new) ones first, then handled ones; a person marks one handled once
// someone has called back (PUT .../handled), or reopens it (DELETE .../handled). Each change is audited.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { requirePermission } from '../auth/plugin.js';
import { createMessagesRepo, MESSAGE_STATUSES, type StoredMessage } from '../intake/messages-repo.js';
import { MESSAGE_KINDS } from '../intake/staff-contacts-repo.js';
import { BEARER, IsoDateTime, Nullable, Page, Paging, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';

const Status = Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)));
const Message = Type.Object({
  id: Type.Integer(),
  intakeId: Nullable(Type.Integer()),
  callSid: Nullable(Type.String()),
  kind: Type.Union(MESSAGE_KINDS.map((k) => Type.Literal(k))),
  status: Status,
  afterHours: Type.Boolean(),
  existingClient: Type.Boolean(),
  callerName: Nullable(Type.String()),
  callbackPhone: Nullable(Type.String()),
  body: Type.String(),
  recipients: Type.Array(Type.Object({ contactId: Type.Integer(), name: Type.String(), phone: Nullable(Type.String()), email: Nullable(Type.String()) }), { description: 'Who it was sent to, as they were when the message was taken' }),
  createdAt: Nullable(IsoDateTime),
  handledAt: Nullable(IsoDateTime),
  handledBy: Nullable(Type.Integer({ description: 'User id' })),
});
const ListQuery = Type.Object({ status: Type.Optional(Status), ...Paging }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const NoQuery = Type.Object({}, { additionalProperties: false });

const view = (m: StoredMessage): Static<typeof Message> => ({
  id: m.id, intakeId: m.intakeId, callSid: m.callSid, kind: m.kind, status: m.status, afterHours: m.afterHours, existingClient: m.existingClient,
  callerName: m.callerName, callbackPhone: m.callbackPhone, body: m.body, recipients: m.recipients,
  createdAt: m.createdAt?.toISOString() ?? null, handledAt: m.handledAt?.toISOString() ?? null, handledBy: m.handledBy,
});

export async function messageRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const repo = createMessagesRepo(deps.db);

  app.get<{ Querystring: Static<typeof ListQuery> }>('/messages', {
    preHandler: requirePermission('intakes:read'),
    schema: { tags: ['messages'], summary: 'Messages taken for staff: new ones first, then handled; newest first within each', security: BEARER, querystring: ListQuery, response: { 200: Page(Message), ...PROTECTED_ERRORS } },
  }, async (req) => {
    const { items, total } = await repo.list(tenantOf(req), req.query);
    return { items: items.map(view), total, limit: req.query.limit, offset: req.query.offset };
  });

  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof NoQuery> }>('/messages/:id', {
    preHandler: requirePermission('intakes:read'),
    schema: { tags: ['messages'], summary: 'One message', security: BEARER, params: IdParams, querystring: NoQuery, response: { 200: Message, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const m = await repo.get(tenantOf(req), req.params.id);
    return m ? view(m) : reply.code(404).send({ error: 'not found', message: 'no such message' });
  });

  for (const [method, handled] of [['PUT', true], ['DELETE', false]] as const) {
    app.route<{ Params: Static<typeof IdParams>; Querystring: Static<typeof NoQuery> }>({
      method,
      url: '/messages/:id/handled',
      preHandler: requirePermission('intakes:write'),
      schema: {
        tags: ['messages'],
        summary: handled ? 'Mark a message handled (audited; marking it again keeps the first handler)' : 'Reopen a handled message (audited)',
        security: BEARER, params: IdParams, querystring: NoQuery, response: { 200: Message, ...PROTECTED_ERRORS },
      },
      handler: async (req, reply) => {
        const p = principalOf(req);
        const before = await repo.get(p.tenantId, req.params.id);
        if (!before) return reply.code(404).send({ error: 'not found', message: 'no such message' });
        const after = (await repo.setHandled(p.tenantId, req.params.id, handled, p.userId, new Date()))!;
        if (before.status !== after.status) {
          await audit(deps.db, { tenantId: p.tenantId, userId: p.userId, action: handled ? 'message.handled' : 'message.reopened', target: `message:${after.id}` });
        }
        return view(after);
      },
    });
  }
}
