// /health (process is up), /ready (database reachable, migrations applied, start-up work such as loading the default
// flow finished, not draining) and /metrics (Prometheus text).
// /metrics is for the internal network only: nginx refuses it from outside, and it answers 404 to public addresses.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { migrationStatus } from '../db/migrate.js';
import { oldestDueOutboxAgeSeconds } from './outbox-lag.js';

const PRIVATE_ADDR = /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|::ffff:127\.|fc|fd)/;

// Probes and scrapes arrive every few seconds from Docker, nginx and Prometheus: at info they would bury the request
// lines that matter, so these routes log at warn (their errors still show).
const PROBE = { logLevel: 'warn' } as const;

export async function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/health', PROBE, async () => ({ status: 'ok' }));

  app.get('/ready', PROBE, async (_req, reply) => {
    // SIGTERM: this instance takes no new call (src/call/drain.ts); load balancers and orchestrators move on.
    if (deps.callRuntime?.draining) return reply.code(503).send({ status: 'not-ready', reason: 'draining' });
    try {
      const { pending } = await migrationStatus(deps.db);
      if (pending.length > 0) return reply.code(503).send({ status: 'not-ready', reason: 'pending migrations', pending });
      const starting = deps.startup?.pending() ?? [];
      if (starting.length > 0) return reply.code(503).send({ status: 'not-ready', reason: 'starting', pending: starting });
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'not-ready', reason: `database unreachable: ${(err as Error).message}` });
    }
  });

  app.get('/metrics', PROBE, async (req, reply) => {
    // The socket address, not X-Forwarded-For: a proxied request from outside arrives from nginx with a forwarded header.
    const forwarded = req.headers['x-forwarded-for'];
    const addr = req.socket.remoteAddress ?? '';
    if (forwarded || !PRIVATE_ADDR.test(addr)) return reply.code(404).send({ error: 'Not Found' });
    // A database hiccup must not cost the whole scrape: the gauge keeps its last value and the error is logged.
    await oldestDueOutboxAgeSeconds(deps.db).then(
      (s) => deps.metrics.outboxOldestDue.set(s),
      (err: Error) => req.log.warn({ err: err.message }, 'outbox lag not read'),
    );
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
