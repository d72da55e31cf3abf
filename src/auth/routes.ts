// POST /auth/login, /auth/refresh, /auth/logout. Registered inside the admin scope, which supplies the rate limiter
// (login: 10 per minute per client address) and the {error, details} error format.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
// Type-only: these augment route options with `tags`/`summary` (swagger) and `config.rateLimit`.
import type {} from '@fastify/swagger';
import type {} from '@fastify/rate-limit';
import type { AppDeps } from '../app-deps.js';
import { audit } from './audit.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { ROLES } from './permissions.js';
import { RefreshError } from './refresh-tokens.js';
import { ACCESS_TOKEN_TTL_S } from './tokens.js';
import { findUserByEmail, findUserById, type UserRow } from './users.js';

export const LOGIN_RATE_LIMIT = { max: 10, timeWindow: '1 minute' } as const;

const Login = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
const Refresh = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) }, { additionalProperties: false });
const TokenPair = Type.Object({
  tokenType: Type.Literal('Bearer'),
  accessToken: Type.String(),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  refreshToken: Type.String({ description: 'Single use: each refresh returns the next one' }),
  user: Type.Object({
    id: Type.Integer(),
    email: Type.String(),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    tenant: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }),
  }),
});
const ErrorBody = Type.Object({ error: Type.String(), message: Type.Optional(Type.String()) });
/** These routes take no query parameters; the admin scope refuses any (unknown fields answer 400). */
const NoQuery = Type.Object({}, { additionalProperties: false });

export async function authRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { accessTokens, refreshTokens } = app.hermesAuth;

  async function pair(user: UserRow, refreshToken: string): Promise<Static<typeof TokenPair>> {
    const tenant = await deps.db('tenants').where({ id: user.tenant_id }).first('id', 'slug', 'name');
    return {
      tokenType: 'Bearer',
      accessToken: await accessTokens.sign({ userId: user.id, tenantId: user.tenant_id, role: user.role }),
      expiresIn: ACCESS_TOKEN_TTL_S,
      refreshToken,
      user: { id: user.id, email: user.email, role: user.role, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name } },
    };
  }

  app.post<{ Body: Static<typeof Login> }>('/auth/login', {
    config: { rateLimit: { ...LOGIN_RATE_LIMIT, keyGenerator: (req: FastifyRequest) => `login:${req.ip}` } },
    bodyLimit: 8 * 1024,
    schema: {
      tags: ['auth'],
      summary: 'Exchange e-mail and password for an access token (15 min) and a refresh token',
      querystring: NoQuery,
      body: Login,
      response: { 200: TokenPair, 401: ErrorBody },
    },
  }, async (req, reply) => {
    const user = await findUserByEmail(deps.db, req.body.email);
    // Hash even for an unknown address so the answer takes as long either way.
    const ok = await verifyPassword(req.body.password, user?.password_hash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      deps.metrics.authEvents.inc({ action: 'login', result: 'refused' });
      req.log.info({ userId: user?.id ?? null }, 'login refused');
      return reply.code(401).send({ error: 'unauthorized', message: 'wrong e-mail or password' });
    }
    const refreshToken = await refreshTokens.issue(user.id);
    deps.metrics.authEvents.inc({ action: 'login', result: 'success' });
    await audit(deps.db, { tenantId: user.tenant_id, userId: user.id, action: 'auth.login' });
    return pair(user, refreshToken);
  });

  app.post<{ Body: Static<typeof Refresh> }>('/auth/refresh', {
    bodyLimit: 8 * 1024,
    schema: {
      tags: ['auth'],
      summary: 'Trade a refresh token for a new pair; a reused refresh token revokes its whole family',
      querystring: NoQuery,
      body: Refresh,
      response: { 200: TokenPair, 401: ErrorBody },
    },
  }, async (req, reply) => {
    try {
      const next = await refreshTokens.rotate(req.body.refreshToken);
      const user = await findUserById(deps.db, next.userId);
      if (!user || user.disabled) {
        await refreshTokens.revoke(next.token);
        return reply.code(401).send({ error: 'unauthorized', message: 'user disabled' });
      }
      deps.metrics.authEvents.inc({ action: 'refresh', result: 'success' });
      return await pair(user, next.token);
    } catch (err) {
      if (!(err instanceof RefreshError)) throw err;
      deps.metrics.authEvents.inc({ action: 'refresh', result: err.reason === 'reused' ? 'reused' : 'refused' });
      if (err.reason === 'reused') req.log.warn('refresh token reused: family revoked');
      return reply.code(401).send({ error: 'unauthorized', message: err.message });
    }
  });

  app.post<{ Body: Static<typeof Refresh> }>('/auth/logout', {
    bodyLimit: 8 * 1024,
    schema: {
      tags: ['auth'],
      summary: 'Revoke the refresh token and every token rotated from the same login',
      querystring: NoQuery,
      body: Refresh,
      response: { 204: Type.Null() },
    },
  }, async (req, reply) => {
    await refreshTokens.revoke(req.body.refreshToken);
    return reply.code(204).send();
  });
}
