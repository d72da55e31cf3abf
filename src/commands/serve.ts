// `hermes serve`: loads config, opens the database (migrating unless told not to), builds the app and listens.
// --workers N (default one per core with PostgreSQL, one with SQLite) makes this process the cluster primary
// (src/cluster.ts): it migrates and warms the prompt cache once, then N workers run this same command as servers on one
// port. Several workers need PostgreSQL: a SQLite writer waiting for another process's lock waits synchronously,
// which stalls that worker's media path (measured in docs/benchmarks.md).
import cluster from 'node:cluster';
import type { Command } from 'commander';
import { ConfigError, configWarnings, loadConfig, settingsHelp } from '../config.js';
import { createDb, dbClient } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { buildApp } from '../app.js';
import { createServices } from '../services.js';
import { numberWarnings } from '../call/number-checks.js';
import { StartupTasks } from '../observability/startup.js';
import { drainCalls } from '../call/drain.js';
import { clusterWorkerId, defaultWorkers, runPrimary } from '../cluster.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start HERMES: Twilio webhooks, media streams, admin API')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .option('--host <host>', 'interface to bind (overrides HOST)')
    .option('--no-migrate', 'do not apply pending migrations at start')
    .option('--workers <n>', 'server processes on this machine (node:cluster, one port; more than 1 needs PostgreSQL); default: one per core with PostgreSQL, 1 with SQLite')
    .addHelpText('after', `\nSettings (environment variables):\n${settingsHelp()}\n`)
    .action(async (opts: { port?: string; host?: string; migrate: boolean; workers?: string }) => {
      let config;
      try {
        const env = { ...process.env };
        if (opts.port !== undefined) env.PORT = opts.port;
        if (opts.host !== undefined) env.HOST = opts.host;
        config = loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) {
          console.error(err.message);
          process.exit(2);
        }
        throw err;
      }
      const log = createLogger(config.logLevel, undefined, config.logFormat);
      const sqlite = dbClient(config.databaseUrl) === 'sqlite';
      const workers = opts.workers === undefined ? (sqlite ? 1 : defaultWorkers()) : Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1) {
        console.error(`--workers: expected a whole number >= 1, got "${opts.workers}"`);
        process.exit(2);
      }
      if (workers > 1 && sqlite) {
        console.error('--workers: several workers need PostgreSQL (DATABASE_URL=postgres://...); with SQLite run one (--workers 1)');
        process.exit(2);
      }
      if (cluster.isPrimary && workers > 1) {
        await runPrimary({ workers, log, prepare: () => prepareCluster(config, log, opts.migrate) });
        process.exit(0);
      }
      const workerId = clusterWorkerId();
      if (workerId === null) for (const w of configWarnings(config)) log.warn(w);
      const db = createDb(config.databaseUrl);
      // In a cluster the primary has migrated already.
      if (workerId === null && opts.migrate && config.autoMigrate) {
        const applied = await migrateLatest(db);
        if (applied.length) log.info({ applied }, 'migrations applied');
      }
      const metrics = createMetrics();
      const services = createServices({ config, log, metrics, db });
      const startup = new StartupTasks();
      const app = await buildApp({ config, log, metrics, db, callRuntime: services.callRuntime, startup });
      // One outbox worker per machine is enough (rows are claimed either way); in a cluster, worker 1 runs it.
      if (config.inProcessWorker && (workerId === null || workerId === 1)) services.worker.start();
      // Every instance settles the calls a crash left in progress: now (a restart after kill -9) and periodically.
      services.settleSweep.start();
      const shutdown = async (signal: string) => {
        log.info({ signal }, 'shutting down');
        // SIGTERM (a deploy, docker stop): live calls finish or move to another instance before the server goes.
        if (signal === 'SIGTERM') await drainCalls(services.callRuntime, { graceMs: config.drainGraceMs, log });
        await app.close();
        await services.close();
        await db.destroy();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      await app.listen({ port: config.port, host: config.host });
      // The reasoner and the default flow load once listening, so /health answers sooner; /ready waits for both
      // (StartupTasks), and a call that arrives first waits on the same loads. The flow's errors still show at start.
      void startup.track('reasoner', services.loadDeferred()).catch((err: Error) => log.error({ err: err.message }, 'reasoner failed to load'));
      void startup.track('default flow', services.callRuntime.deps.flows.get(config.defaultFlow).then(
        (flow) => log.info({ flow: flow.id, version: flow.version }, 'default flow loaded'),
        (err: Error) => log.error({ flow: config.defaultFlow, err: err.message }, 'default flow failed to load; calls to unmapped numbers will hear an apology'),
      ));
      // Off the start-up path: it reads the number mapping and loads each mapped flow once.
      if (workerId === null || workerId === 1) void numberWarnings(db, (ref) => services.flows.get(ref), config.defaultFlow).then(
        (ws) => ws.forEach((w) => log.warn(w)),
        (err: Error) => log.warn({ err: err.message }, 'could not check the phone number mapping'),
      );
    });
}

/** The cluster primary's once-only work: migrations, then the default flow's prompts synthesized into the disk cache,
 * which every worker then reads instead of calling the provider. */
async function prepareCluster(config: ReturnType<typeof loadConfig>, log: ReturnType<typeof createLogger>, migrate: boolean): Promise<void> {
  for (const w of configWarnings(config)) log.warn(w);
  const db = createDb(config.databaseUrl);
  try {
    if (migrate && config.autoMigrate) {
      const applied = await migrateLatest(db);
      if (applied.length) log.info({ applied }, 'migrations applied');
    }
    const services = createServices({ config, log, metrics: createMetrics({ defaultMetrics: false }), db });
    try {
      const flow = await services.callRuntime.deps.flows.get(config.defaultFlow);
      await services.warmPrompts(flow);
    } catch (err) {
      log.error({ flow: config.defaultFlow, err: (err as Error).message }, 'default flow failed to load; workers will report it');
    } finally {
      await services.close();
    }
  } finally {
    await db.destroy();
  }
}
