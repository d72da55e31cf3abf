// Tenant scoping: the one way a route learns whose data it may touch. It comes from the verified token, never from
// the URL or the body, so a forged id in a request can only ever find "not found".
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/tokens.js';

export function principalOf(req: FastifyRequest): Principal {
  // requirePermission runs before every admin handler and sets the principal; its absence is a wiring bug.
  if (!req.principal) throw new Error(`route ${req.routeOptions.url} ran without requirePermission`);
  return req.principal;
}

export function tenantOf(req: FastifyRequest): number {
  return principalOf(req).tenantId;
}
