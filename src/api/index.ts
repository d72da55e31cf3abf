// The admin scope: /auth/* and /api/*. Encapsulated so its rate limits, CORS, body limits and error format apply to
// these routes only (Twilio's /twilio/* and the operations endpoints keep their own rules).
// Registration refuses any /api route that lacks exactly one requirePermission preHandler, and any admin route whose
// schemas could let an unknown field through (src/api/strict.ts).
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { authenticate, permissionOf } from '../auth/plugin.js';
import { authRoutes } from '../auth/routes.js';
import { TokenError } from '../auth/tokens.js';
import { analyticsRoutes } from './analytics.js';
import { callDeliveryRoutes } from './call-deliveries.js';
import { callRoutes } from './calls.js';
import { apiErrorHandler } from './errors.js';
import { eventRoutes } from './events.js';
import { flowGraphRoutes } from './flow-graph.js';
import { flowRoutes } from './flows.js';
import { inboxRoutes } from './inbox.js';
import { integrationSettingRoutes } from './integration-settings.js';
import { integrationRoutes } from './integrations.js';
import { intakeRoutes } from './intakes.js';
import { messagingRoutes } from './messaging.js';
import { meRoutes } from './me.js';
import { numberRoutes } from './numbers.js';
import { onCallRoutes } from './on-call.js';
import { stripeConnectRoutes } from './stripe-connect.js';
import { firmRoutes } from './firm.js';
import { privacyRoutes } from './privacy.js';
import { recordingRoutes } from './recordings.js';
import { checkStrictSchemas, refuseNul, refuseUndeclaredBody, strictJsonParser } from './strict.js';
import { userRoutes } from './users.js';
import { sharedRateLimitStore } from './rate-store.js';
import { sharedLimitsFor } from '../db/shared-limits.js';

/** Requests per minute: per signed-in user, and per client address for anything unauthenticated. */
export const API_RATE_LIMITS = { perUser: 600, perIp: 300 } as const;
const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Per user when the bearer token is valid (a forged token cannot spend someone else's budget), else per address. */
async function rateKey(req: FastifyRequest): Promise<string> {
  const p = await authenticate(req);
  return p && !(p instanceof TokenError) ? `user:${p.userId}` : `ip:${req.ip}`;
}

export function checkGuard(route: RouteOptions): void {
  if (!route.url.startsWith('/api/')) return;
  const handlers = [route.preHandler ?? []].flat();
  const guards = handlers.filter((h) => permissionOf(h) !== undefined);
  if (guards.length !== 1) {
    throw new Error(`${String(route.method)} ${route.url}: every /api route needs exactly one requirePermission(...) preHandler, found ${guards.length}`);
  }
  // Say in the OpenAPI description which permission the route needs (the schema object is read when /docs is served).
  if (route.schema) (route.schema as { description?: string }).description = `Needs permission \`${permissionOf(guards[0])}\`.`;
}

export async function adminApi(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.setErrorHandler(apiErrorHandler);
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= DEFAULT_BODY_LIMIT;
    checkGuard(route);
    checkStrictSchemas(route);
  });
  strictJsonParser(app);
  app.addHook('preValidation', refuseNul);
  app.addHook('preValidation', refuseUndeclaredBody);
  // CORS stays off unless CORS_ORIGINS names the origins of an admin front end.
  if (deps.config.corsOrigins.length > 0) {
    await app.register(cors, { origin: deps.config.corsOrigins, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], maxAge: 600 });
  }
  // Several instances on one PostgreSQL count a client once, wherever nginx sends it; a hiccup there lets the request
  // through (nginx's own limits still stand) rather than failing it.
  const shared = sharedLimitsFor(deps.db);
  await app.register(rateLimit, {
    ...(shared ? { store: sharedRateLimitStore(shared.counters), skipOnError: true } : {}),
    global: true,
    timeWindow: '1 minute',
    keyGenerator: rateKey,
    max: async (_req, key) => (key.startsWith('user:') ? API_RATE_LIMITS.perUser : API_RATE_LIMITS.perIp),
  });
  await app.register(authRoutes, deps);
  await app.register(async (api) => {
    await api.register(callRoutes, deps);
    await api.register(intakeRoutes, deps);
    await api.register(flowRoutes, deps);
    await api.register(numberRoutes, deps);
    await api.register(integrationRoutes, deps);
    await api.register(stripeConnectRoutes, deps);
    await api.register(firmRoutes, deps);
    await api.register(analyticsRoutes, deps);
    await api.register(userRoutes, deps);
    await api.register(messagingRoutes, deps);
    await api.register(inboxRoutes, deps);
    await api.register(eventRoutes, deps);
    await api.register(meRoutes, deps);
    await api.register(flowGraphRoutes, deps);
    await api.register(callDeliveryRoutes, deps);
    await api.register(integrationSettingRoutes, deps);
    await api.register(onCallRoutes, deps);
    await api.register(recordingRoutes, deps);
    await api.register(privacyRoutes, deps);
  }, { prefix: '/api' });
}
