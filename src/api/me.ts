// GET /api/me: who is signed in, their firm (with its time zone, so the app shows dates the way the firm reads them)
// and what their role may do, so the app hides what the API would refuse anyway.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../auth/permissions.js';
import { requirePermission } from '../auth/plugin.js';
import { BEARER, NoQuery, PROTECTED_ERRORS } from './schemas.js';
import { principalOf } from './scope.js';

const Me = Type.Object({
  user: Type.Object({ id: Type.Integer(), email: Type.String(), role: Type.Union(ROLES.map((r) => Type.Literal(r))) }),
  tenant: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String(), timezone: Type.String() }),
  permissions: Type.Array(Type.Union(PERMISSIONS.map((x) => Type.Literal(x)))),
});

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
}
