// Staff contacts of the firm: who receives taken messages by SMS and e-mail, and which kinds (message, emergency,
// new_intake, after_hours). Owners manage them (users:manage), since they decide who is woken at night. Audited
// without the numbers or addresses themselves.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { requirePermission } from '../auth/plugin.js';
import { CONTACT_KINDS, createStaffContactsRepo, StaffContactInputError, type StaffContact } from '../intake/staff-contacts-repo.js';
import { BEARER, IsoDateTime, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';

const Kind = Type.Union(CONTACT_KINDS.map((k) => Type.Literal(k)));
const Contact = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  phone: Nullable(Type.String({ description: 'E.164' })),
  email: Nullable(Type.String()),
  kinds: Type.Array(Kind),
  createdAt: Nullable(IsoDateTime),
  updatedAt: Nullable(IsoDateTime),
});
const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Nullable(Type.String({ minLength: 3, maxLength: 32, description: 'E.164 (+13125550199) or national US format; stored as E.164' })),
  email: Nullable(Type.String({ format: 'email', maxLength: 320 })),
  kinds: Type.Array(Kind, { minItems: 1, uniqueItems: true, description: 'Which messages this person receives; after_hours: every non-emergency message taken outside business hours' }),
};
const CreateBody = Type.Object({ name: fields.name, phone: Type.Optional(fields.phone), email: Type.Optional(fields.email), kinds: fields.kinds }, { additionalProperties: false });
const PatchBody = Type.Object({ name: Type.Optional(fields.name), phone: Type.Optional(fields.phone), email: Type.Optional(fields.email), kinds: Type.Optional(fields.kinds) }, { additionalProperties: false, minProperties: 1 });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const NoQuery = Type.Object({}, { additionalProperties: false });

const view = (c: StaffContact): Static<typeof Contact> => ({
  id: c.id, name: c.name, phone: c.phone, email: c.email, kinds: c.kinds,
  createdAt: c.createdAt?.toISOString() ?? null, updatedAt: c.updatedAt?.toISOString() ?? null,
});

function invalid(reply: FastifyReply, err: StaffContactInputError): FastifyReply {
  return reply.code(400).send({ error: 'validation failed', message: `body.${err.message}`, details: [{ path: `body.${err.field}`, message: err.message.slice(err.field.length + 2) }] });
}

export async function staffContactRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const repo = createStaffContactsRepo(db);

  app.get<{ Querystring: Static<typeof NoQuery> }>('/staff-contacts', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['staff'], summary: 'Staff contacts of the firm (who receives taken messages)', security: BEARER, querystring: NoQuery, response: { 200: Type.Array(Contact), ...PROTECTED_ERRORS } },
  }, async (req) => (await repo.list(tenantOf(req))).map(view));

  app.post<{ Body: Static<typeof CreateBody>; Querystring: Static<typeof NoQuery> }>('/staff-contacts', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['staff'], summary: 'Add a staff contact (audited)', security: BEARER, querystring: NoQuery, body: CreateBody, response: { 201: Contact, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    try {
      const c = await repo.create(p.tenantId, req.body);
      await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'staff_contact.create', target: `staff_contact:${c.id}`, details: { kinds: c.kinds } });
      return reply.code(201).send(view(c));
    } catch (err) {
      if (err instanceof StaffContactInputError) return invalid(reply, err);
      throw err;
    }
  });

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PatchBody>; Querystring: Static<typeof NoQuery> }>('/staff-contacts/:id', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['staff'], summary: 'Change a staff contact (audited; null clears phone or email)', security: BEARER, params: IdParams, querystring: NoQuery, body: PatchBody, response: { 200: Contact, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    try {
      const c = await repo.update(p.tenantId, req.params.id, req.body);
      if (!c) return reply.code(404).send({ error: 'not found', message: 'no such staff contact' });
      await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'staff_contact.update', target: `staff_contact:${c.id}`, details: { fields: Object.keys(req.body), kinds: c.kinds } });
      return view(c);
    } catch (err) {
      if (err instanceof StaffContactInputError) return invalid(reply, err);
      throw err;
    }
  });

  app.delete<{ Params: Static<typeof IdParams>; Querystring: Static<typeof NoQuery> }>('/staff-contacts/:id', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['staff'], summary: 'Remove a staff contact (audited; messages already taken keep their recipients)', security: BEARER, params: IdParams, querystring: NoQuery, response: { 204: Type.Null(), ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (!(await repo.remove(p.tenantId, req.params.id))) return reply.code(404).send({ error: 'not found', message: 'no such staff contact' });
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'staff_contact.delete', target: `staff_contact:${req.params.id}` });
    return reply.code(204).send();
  });
}
