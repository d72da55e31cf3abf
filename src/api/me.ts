// GET /api/me: who is signed in, their firm (with its time zone, so the app shows dates the way the firm reads them)
// and what their role may do, so the app hides what the API would refuse anyway.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/passwords.js';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../auth/permissions.js';
import { requirePermission } from '../auth/plugin.js';
import { InputError } from './errors.js';
import { BEARER, NoQuery, PROTECTED_ERRORS } from './schemas.js';
import { principalOf } from './scope.js';

const Me = Type.Object({
  user: Type.Object({ id: Type.Integer(), email: Type.String(), role: Type.Union(ROLES.map((r) => Type.Literal(r))) }),
  tenant: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String(), timezone: Type.String() }),
  permissions: Type.Array(Type.Union(PERMISSIONS.map((x) => Type.Literal(x)))),
});

const PasswordChange = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 }),
}, { additionalProperties: false });

/** Guesses at the current password per minute and user: the same budget as logins per address. */
export const PASSWORD_CHANGE_RATE_LIMIT = { max: 10, timeWindow: '1 minute' } as const;

export async function meRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/me', {
    // Every role reads calls; the guard is only "signed in with a live account".
    preHandler: requirePermission('calls:read'),
    schema: { tags: ['auth'], summary: 'The signed-in user, their firm and their permissions', security: BEARER, querystring: NoQuery, response: { 200: Me, ...PROTECTED_ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const user = (await deps.db('users').where({ id: p.userId }).first('id', 'email')) as { id: number; email: string };
    const t = (await deps.db('tenants').where({ id: p.tenantId }).first('id', 'slug', 'name', 'timezone')) as { id: number; slug: string; name: string; timezone: string };
    return {
      user: { id: Number(user.id), email: user.email, role: p.role },
      tenant: { id: Number(t.id), slug: t.slug, name: t.name, timezone: t.timezone },
      permissions: [...ROLE_PERMISSIONS[p.role]],
    };
  });

  app.put<{ Body: Static<typeof PasswordChange> }>('/me/password', {
    preHandler: requirePermission('calls:read'),
    config: { rateLimit: PASSWORD_CHANGE_RATE_LIMIT },
    bodyLimit: 8 * 1024,
    schema: {
      tags: ['auth'], security: BEARER, querystring: NoQuery, body: PasswordChange, response: { 204: Type.Null(), ...PROTECTED_ERRORS },
      summary: 'Change your own password; every refresh token of the account is revoked, so every device signs in again',
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const row = (await deps.db('users').where({ id: p.userId }).first('password_hash')) as { password_hash: string };
    if (!(await verifyPassword(req.body.currentPassword, row.password_hash))) throw new InputError('body.currentPassword', 'is not your current password');
    if (req.body.newPassword === req.body.currentPassword) throw new InputError('body.newPassword', 'is the same as the current password');
    const hash = await hashPassword(req.body.newPassword);
    await deps.db.transaction(async (trx) => {
      await trx('users').where({ id: p.userId }).update({ password_hash: hash });
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'user.password', target: `user:${p.userId}` });
    });
    await app.hermesAuth.refreshTokens.revokeUser(p.userId);
    return reply.code(204).send();
  });
}
