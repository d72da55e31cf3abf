// Builds the Fastify app from one plugin per feature. Tests call buildApp() and use app.inject();
// listen() lives only in the CLI (src/commands/serve.ts).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.js';
import { healthRoutes } from './observability/health-routes.js';
import { apiFoundation } from './api/foundation.js';
import { adminApi } from './api/index.js';
import { telephonyPlugin } from './telephony/plugin.js';
import { integrationCallbacks } from './integrations/routes.js';
import { webApp } from './web/plugin.js';

export type { AppDeps } from './app-deps.js';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps FastifyInstance's default generics for plugins.
    loggerInstance: deps.log as FastifyBaseLogger,
    // Twilio media and admin bodies are small; a larger body is a mistake or an attack.
    bodyLimit: 1024 * 1024,
    // Behind nginx the client address comes from X-Forwarded-For; signatures still use PUBLIC_URL, never Host.
    trustProxy: true,
    // Strict input: fastify's default (removeAdditional) would silently drop a field no schema names, so
    // `?tenant_id=2` answered 200 as if it meant something. Off, an unknown field fails validation and the admin API
    // answers 400 naming it (src/api/errors.ts). Coercion of query strings and defaults stay as fastify sets them.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // Node's server.close() closes the idle keep-alive connections once, when it starts; a connection whose request is
  // still being answered then stays open after its response for keepAliveTimeout (72 s in Fastify), holding close()
  // (Twilio's <Connect action> request in flight at SIGTERM; a test's fake ending a call just before teardown).
  // Responses sent while closing say `Connection: close`, so Node ends such a connection with its response.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  // First: security headers, the OpenAPI collector (/docs) and the auth services must see every later route.
  await app.register(apiFoundation, deps);
  await app.register(healthRoutes, deps);
  await app.register(adminApi, deps);
  await app.register(integrationCallbacks, deps);
  // The staff app at /app (and `/` redirects there); built by `npm run build:web`.
  await app.register(webApp);
  if (deps.callRuntime) await app.register(telephonyPlugin, { ...deps, callRuntime: deps.callRuntime });
  return app;
}
