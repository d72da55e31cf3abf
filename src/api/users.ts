// Users of the firm: list, invite (create with a password), change role or disable. Disabling a user revokes every
// refresh token they hold; their access token dies within its 15 minutes.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { toIso } from '../auth/dates.js';
import { ROLES } from '../auth/permissions.js';
import { requirePermission } from '../auth/plugin.js';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { createUser, UserInputError } from '../auth/users.js';
import { BEARER, ErrorBody, IdParams, IsoDateTime, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const User = Type.Object({ id: Type.Integer(), email: Type.String(), role: Type.String(), disabled: Type.Boolean(), createdAt: Nullable(IsoDateTime) });
const CreateBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 320 }),
  role: Role,
  password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 }),
}, { additionalProperties: false });
const PatchBody = Type.Object({ role: Type.Optional(Role), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });

type Row = Record<string, unknown>;
const user = (r: Row): Static<typeof User> => ({ id: Number(r.id), email: String(r.email), role: String(r.role), disabled: Boolean(r.disabled), createdAt: toIso(r.created_at) });
const COLUMNS = ['id', 'email', 'role', 'disabled', 'created_at'];

export async function userRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.get('/users', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['users'], summary: 'Users of the firm', security: BEARER, querystring: NoQuery, response: { 200: Type.Array(User), ...PROTECTED_ERRORS } },
  }, async (req) => ((await db('users').where({ tenant_id: tenantOf(req) }).orderBy('id').select(COLUMNS)) as Row[]).map(user));

  app.post<{ Body: Static<typeof CreateBody> }>('/users', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['users'], summary: 'Create a user in the firm (audited)', security: BEARER, querystring: NoQuery, body: CreateBody, response: { 201: User, 409: ErrorBody, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    try {
      const u = await createUser(db, { tenantId: p.tenantId, email: req.body.email, role: req.body.role, password: req.body.password });
      await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'user.create', target: `user:${u.id}`, details: { role: u.role } });
      return reply.code(201).send(user((await db('users').where({ id: u.id }).first(COLUMNS)) as Row));
    } catch (err) {
      if (!(err instanceof UserInputError)) throw err;
      const code = err.message.includes('already exists') ? 409 : 400;
      return reply.code(code).send({ error: code === 409 ? 'conflict' : 'validation failed', message: err.message, details: [{ path: `body.${err.field}`, message: err.message }] });
    }
  });

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PatchBody> }>('/users/:id', {
    preHandler: requirePermission('users:manage'),
    schema: { tags: ['users'], summary: 'Change a user\'s role or disable them (audited)', security: BEARER, querystring: NoQuery, params: IdParams, body: PatchBody, response: { 200: User, 409: ErrorBody, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const row = (await db('users').where({ id: req.params.id, tenant_id: p.tenantId }).first()) as Row | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such user' });
    if (row.id === p.userId && (req.body.disabled || (req.body.role && req.body.role !== 'owner'))) {
      return reply.code(409).send({ error: 'conflict', message: 'you cannot disable or demote yourself; ask another owner' });
    }
    await db.transaction(async (trx) => {
      await trx('users').where({ id: row.id }).update({ ...(req.body.role ? { role: req.body.role } : {}), ...(req.body.disabled !== undefined ? { disabled: req.body.disabled } : {}) });
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'user.update', target: `user:${String(row.id)}`, details: { ...req.body } });
    });
    if (req.body.disabled) await app.hermesAuth.refreshTokens.revokeUser(Number(row.id));
    return user((await db('users').where({ id: row.id }).first(COLUMNS)) as Row);
  });
}
