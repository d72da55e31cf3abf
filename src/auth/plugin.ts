// The auth plugin: puts the token services on the app (root-wide, so any feature's route can use requirePermission)
// and provides requirePermission(...), the one preHandler every admin route carries.
// Twilio routes never use it: they are authenticated by Twilio's signature instead.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../app-deps.js';
import { can, isRole, type Permission, type Role } from './permissions.js';
import { RefreshTokens } from './refresh-tokens.js';
import { AccessTokens, TokenError, type Principal } from './tokens.js';

export interface AuthServices {
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  /**
   * One-minute tickets for GET /api/events: EventSource cannot send an Authorization header, so the app trades its
   * access token for a ticket (another audience, so a ticket is never an access token) and puts it in the URL.
   */
  eventTickets: AccessTokens;
  /** The user's current firm and role, or null when the account is gone or disabled. */
  currentUser(userId: number): Promise<{ tenantId: number; role: Role } | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    hermesAuth: AuthServices;
  }
  interface FastifyContextConfig {
    /** The route also accepts `?ticket=` (an event-stream ticket) when no Authorization header came: GET /api/events. */
    eventTicket?: boolean;
  }
  interface FastifyRequest {
    /** Set by requirePermission once the bearer token is verified; null on public routes. */
    principal: Principal | null;
  }
}

// One verification per request, shared by the rate limiter's key and requirePermission.
const verified = new WeakMap<FastifyRequest, Promise<Principal | TokenError | null>>();

/** The caller's principal when a valid bearer token came with the request, a TokenError when a bad one did. */
export function authenticate(req: FastifyRequest): Promise<Principal | TokenError | null> {
  let p = verified.get(req);
  if (!p) {
    const header = req.headers.authorization;
    const ticket = req.routeOptions.config?.eventTicket ? (req.query as { ticket?: unknown } | undefined)?.ticket : undefined;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim()) : null;
    if (!header && typeof ticket === 'string') p = req.server.hermesAuth.eventTickets.verify(ticket).catch((err: unknown) => {
      if (err instanceof TokenError) return err;
      throw err;
    });
    else if (!header) p = Promise.resolve(null);
    else if (!match) p = Promise.resolve(new TokenError('expected "Authorization: Bearer <token>"'));
    else p = req.server.hermesAuth.accessTokens.verify(match[1]!).catch((err: unknown) => {
      if (err instanceof TokenError) return err;
      throw err;
    });
    verified.set(req, p);
  }
  return p;
}

/**
 * The preHandler of a protected route: 401 without a valid token, 403 when the role lacks `permission`.
 * Routes pass tenant scoping on from request.principal.tenantId; nothing else decides which firm's data is read.
 */
export function requirePermission(permission: Permission): preHandlerAsyncHookHandler {
  const check = async function checkPermission(req: FastifyRequest, reply: FastifyReply) {
    const result = await authenticate(req);
    if (!result || result instanceof TokenError) {
      const reason = result instanceof TokenError ? result.reason : 'missing bearer token';
      reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`);
      return reply.code(401).send({ error: 'unauthorized', message: reason });
    }
    // The database, not the token, has the last word: a disabled user or a changed role takes effect at once
    // instead of when the 15-minute token runs out.
    const current = await req.server.hermesAuth.currentUser(result.userId);
    if (!current || current.tenantId !== result.tenantId) {
      return reply.code(401).send({ error: 'unauthorized', message: 'account disabled or removed' });
    }
    if (!can(current.role, permission)) {
      return reply.code(403).send({ error: 'forbidden', message: `role ${current.role} lacks ${permission}` });
    }
    req.principal = { ...result, role: current.role };
  };
  return Object.assign(check, { [PERMISSION]: permission });
}

/** Seconds an event-stream ticket may wait before it is used to open the stream. */
export const EVENT_TICKET_TTL_S = 60;

const PERMISSION = Symbol('hermes.permission');

/** The permission a preHandler built by requirePermission checks (the API refuses to register a route without one). */
export function permissionOf(handler: unknown): Permission | undefined {
  return typeof handler === 'function' ? (handler as { [PERMISSION]?: Permission })[PERMISSION] : undefined;
}

async function auth(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.decorate('hermesAuth', {
    accessTokens: new AccessTokens({ secret: deps.config.jwtSecret, issuer: deps.config.jwtIssuer, audience: deps.config.jwtAudience }),
    refreshTokens: new RefreshTokens(deps.db),
    eventTickets: new AccessTokens({ secret: deps.config.jwtSecret, issuer: deps.config.jwtIssuer, audience: `${deps.config.jwtAudience}:events`, ttlS: EVENT_TICKET_TTL_S }),
    async currentUser(userId: number) {
      const u = (await deps.db('users').where({ id: userId }).first('tenant_id', 'role', 'disabled')) as { tenant_id: number; role: string; disabled: unknown } | undefined;
      if (!u || Boolean(u.disabled) || !isRole(u.role)) return null;
      return { tenantId: Number(u.tenant_id), role: u.role };
    },
  });
  app.decorateRequest('principal', null);
}

export const authPlugin = fp(auth, { name: 'hermes-auth', fastify: '5.x' });
