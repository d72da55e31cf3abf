// What must wrap every route, so it is registered on the root before any feature plugin: security headers (helmet),
// the OpenAPI collector (@fastify/swagger sees only routes registered after it) with its UI at /docs, and the auth
// services behind requirePermission. Registered first in src/app.ts.
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../app-deps.js';
import { authPlugin } from '../auth/plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the foundation (method, url): lets a test prove /docs describes all of them. */
    routeCatalog: { method: string; url: string }[];
  }
}

async function foundation(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const catalog: { method: string; url: string }[] = [];
  app.decorate('routeCatalog', catalog);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) catalog.push({ method, url: route.url });
  });

  // Defaults are right for an API: nosniff, frame deny, HSTS, no referrer, a strict CSP. The docs page brings its
  // own CSP (staticCSP below) because Swagger UI needs its inline bootstrap. Without upgrade-insecure-requests: over
  // plain http on a firm's LAN (http://10.0.0.5:3000/docs) it made the browser fetch Swagger UI's files over https,
  // which fail, and /docs was a blank page; behind nginx's TLS every request is https already.
  await app.register(helmet, { global: true, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'HERMES admin API',
        description: 'Calls, intakes, flows, numbers, integrations and analytics of one firm. Every /api route needs '
          + '`Authorization: Bearer <access token>` from POST /auth/login; each route names the permission it needs.',
        version: '1',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      tags: [
        { name: 'auth' }, { name: 'calls' }, { name: 'intakes' }, { name: 'flows' }, { name: 'numbers' },
        { name: 'integrations' }, { name: 'analytics' }, { name: 'users' },
        { name: 'operations', description: 'Health, readiness and metrics (metrics: internal networks only)' },
        { name: 'twilio', description: 'Called by Twilio; refused unless the X-Twilio-Signature checks out' },
        { name: 'callbacks', description: 'Called by Clio (OAuth redirect) and LawPay (payment webhook), not by you' },
      ],
    },
    // Every route is described, including the ones other features mark hidden or leave untagged: an operator
    // should see the whole surface HERMES exposes. Only the docs' own routes stay out.
    transform: ({ schema, url }) => {
      if (url.startsWith('/docs')) return { schema, url };
      const tags = (schema as { tags?: string[] } | undefined)?.tags ?? [tagFor(url)];
      return { schema: { ...schema, hide: false, tags } as typeof schema, url };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI's own CSP adds upgrade-insecure-requests too (see helmet above).
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
    uiConfig: { deepLinking: false },
  });
  await app.register(authPlugin, deps);
}

function tagFor(url: string): string {
  if (url.startsWith('/twilio')) return 'twilio';
  if (url.startsWith('/integrations')) return 'callbacks';
  return 'operations';
}

export const apiFoundation = fp(foundation, { name: 'hermes-api-foundation', fastify: '5.x' });
