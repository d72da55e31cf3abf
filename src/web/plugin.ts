// Serves the staff app (built by `npm run build:web` into web/dist) at /app, and sends `/` there. Its own CSP: only
// 'self' for scripts, styles and connections, and no upgrade-insecure-requests, so the app also works over plain HTTP
// on a firm's LAN (helmet's default CSP would make the browser fetch every asset over https and show a blank page).
// media-src allows blob: because a call recording needs the bearer token: the app fetches it and plays an object URL.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const APP_CSP = [
  "default-src 'self'", "base-uri 'self'", "connect-src 'self'", "font-src 'self'", "form-action 'self'",
  "frame-ancestors 'none'", "img-src 'self' data:", "media-src 'self' blob:", "object-src 'none'", "script-src 'self'",
  "style-src 'self'", "worker-src 'none'",
].join('; ');

/** web/dist of the installed package: found from this file upwards, so src/ (tsx) and a compiled dist/ both work. */
export function appDistDir(from = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from, i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const dist = join(dir, 'web', 'dist');
      return existsSync(join(dist, 'index.html')) ? dist : null;
    }
  }
  return null;
}

export async function webApp(app: FastifyInstance, opts: { distDir?: string | null } = {}): Promise<void> {
  const dist = opts.distDir === undefined ? appDistDir() : opts.distDir;
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/app/', 302));
  app.get('/app', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/app/', 301));

  await app.register(async (scope) => {
    scope.addHook('onSend', async (req, reply, payload) => {
      reply.header('content-security-policy', APP_CSP);
      // Hashed asset names change with every build; the page itself must always be asked for again.
      reply.header('cache-control', req.url.startsWith('/app/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return payload;
    });
    // The same two routes whether or not the app is built, so the OpenAPI document (and the typed client generated
    // from it) does not depend on whether web/dist exists on the machine that generates it.
    const assets = { schema: { hide: true, params: { type: 'object', properties: { file: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' } }, required: ['file'], additionalProperties: false } } };
    const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    if (!dist) {
      scope.get('/app/', { schema: { hide: true } }, async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8')
        .send('The staff app is not built. Run `npm run build:web` (npm ci runs it) and restart HERMES.\n'));
      scope.get('/app/assets/:file', assets, async (_req, reply) => notFound(reply));
      return;
    }
    // Two fixed routes rather than a wildcard: the page, and hashed files under assets/ (names checked, so no path
    // can climb out of web/dist). serve: false because @fastify/swagger-ui registers its own copy of the plugin.
    await scope.register(fastifyStatic, { root: dist, serve: false });
    scope.get('/app/', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html'));
    scope.get<{ Params: { file: string } }>('/app/assets/:file', assets, async (req, reply) => {
      if (!existsSync(join(dist, 'assets', req.params.file))) return notFound(reply);
      return reply.sendFile(join('assets', req.params.file));
    });
  });
}
