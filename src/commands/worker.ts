// `hermes worker`: delivers the outbox in its own process (run the server with IN_PROCESS_WORKER=false). Several
// workers may share one PostgreSQL database: rows are claimed with FOR UPDATE SKIP LOCKED. Stops cleanly on
// SIGINT/SIGTERM after the deliveries in flight settle.
import type { Command } from 'commander';
import { configWarnings } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrationStatus } from '../db/migrate.js';
import { createWorker, runRetentionPurge, startOutboxWorker } from '../integrations/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { configOrExit } from './migrate.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Deliver outbox rows (Clio, LawPay links by SMS, SMS, Zapier) until stopped')
    .option('--once', 'deliver what is due now, run the retention purge, then exit')
    .action(async (opts: { once?: boolean }) => {
      const config = configOrExit();
      const log = createLogger(config.logLevel, undefined, config.logFormat);
      for (const w of configWarnings(config).filter((x) => /ENCRYPTION_KEY/.test(x))) log.warn(w);
      const db = createDb(config.databaseUrl);
      const { pending } = await migrationStatus(db);
      if (pending.length) {
        console.error(`error: ${pending.length} migration(s) pending; run \`hermes migrate up\` (or start \`hermes serve\`) first`);
        await db.destroy();
        process.exit(2);
      }
      const metrics = createMetrics();
      if (opts.once) {
        const w = createWorker({ db, config, log, metrics, lawpayPollMs: 0 });
        let total = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
        for (;;) {
          const r = await w.runOnce();
          total = { claimed: total.claimed + r.claimed, delivered: total.delivered + r.delivered, retried: total.retried + r.retried, dead: total.dead + r.dead };
          if (r.claimed === 0) break;
        }
        console.log(`claimed ${total.claimed}, delivered ${total.delivered}, retry later ${total.retried}, dead ${total.dead}`);
        // The retention purge the running worker does hourly: firms' expired transcripts, recordings, undelivered intakes.
        const purged = await runRetentionPurge({ db, config });
        console.log(`purged ${purged.transcripts} transcript turns, ${purged.recordings} recordings, ${purged.intakes} undelivered intakes${purged.failed ? ` (${purged.failed} recordings Twilio did not delete; next run)` : ''}`);
        await db.destroy();
        return;
      }
      const worker = startOutboxWorker({ db, config, log, metrics });
      const stop = async (signal: string) => {
        log.info({ signal }, 'worker stopping');
        await worker.stop();
        await db.destroy();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
