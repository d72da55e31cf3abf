// `hermes serve`: loads config, opens the database (migrating unless told not to), builds the app and listens.
import type { Command } from 'commander';
import { ConfigError, configWarnings, loadConfig, settingsHelp } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { buildApp } from '../app.js';
import { createServices } from '../services.js';
import { numberWarnings } from '../call/number-checks.js';
import { StartupTasks } from '../observability/startup.js';
import { drainCalls } from '../call/drain.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start HERMES: Twilio webhooks, media streams, admin API')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .option('--host <host>', 'interface to bind (overrides HOST)')
    .option('--no-migrate', 'do not apply pending migrations at start')
    .addHelpText('after', `\nSettings (environment variables):\n${settingsHelp()}\n`)
    .action(async (opts: { port?: string; host?: string; migrate: boolean }) => {
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
      for (const w of configWarnings(config)) log.warn(w);
      const db = createDb(config.databaseUrl);
      if (opts.migrate && config.autoMigrate) {
        const applied = await migrateLatest(db);
        if (applied.length) log.info({ applied }, 'migrations applied');
      }
      const metrics = createMetrics();
      const services = createServices({ config, log, metrics, db });
      const startup = new StartupTasks();
      const app = await buildApp({ config, log, metrics, db, callRuntime: services.callRuntime, startup });
      if (config.inProcessWorker) services.worker.start();
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
      void numberWarnings(db, (ref) => services.flows.get(ref), config.defaultFlow).then(
        (ws) => ws.forEach((w) => log.warn(w)),
        (err: Error) => log.warn({ err: err.message }, 'could not check the phone number mapping'),
      );
    });
}
