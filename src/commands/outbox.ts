// `hermes outbox list|retry <id>|dead`: what is waiting, what failed for good and why, and putting a dead row back
// in line once its cause is fixed (a dead row gets a fresh attempt budget; its recorded progress is kept, so a
// half-done Clio delivery resumes where it stopped). Arguments and caller details are never printed.
import type { Command } from 'commander';
import { listRows, OutboxRetryError, retryRow, type OutboxRow, type OutboxStatus } from '../integrations/outbox/store.js';
import { withRawDb } from './migrate.js';

const STATUSES: OutboxStatus[] = ['pending', 'in_flight', 'delivered', 'dead'];

function line(r: OutboxRow): string {
  const when = r.status === 'delivered' ? r.deliveredAt : r.nextAttemptAt;
  const err = r.lastError ? `\t${r.lastError.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  return `${r.id}\t${r.status}\t${r.action}\t${r.attempts}/${r.maxAttempts}\t${when?.toISOString() ?? '-'}\t${r.callSid ?? '-'}${err}`;
}

const HEADER = 'id\tstatus\taction\tattempts\tnext/delivered at\tcall\tlast error';

export function registerOutbox(program: Command): void {
  const o = program.command('outbox').description('Inspect and retry deliveries (Clio, LawPay, SMS, Zapier)');
  o.command('list')
    .description('Newest outbox rows')
    .option('--status <status>', `only ${STATUSES.join(' | ')}`)
    .option('--limit <n>', 'how many', '50')
    .action(async (opts: { status?: string; limit: string }) => {
      if (opts.status && !STATUSES.includes(opts.status as OutboxStatus)) {
        console.error(`error: --status must be one of ${STATUSES.join(', ')}`);
        process.exit(2);
      }
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        console.error('error: --limit must be a whole number from 1 to 10000');
        process.exit(2);
      }
      await withRawDb(async (db) => {
        const rows = await listRows(db, { ...(opts.status ? { status: opts.status as OutboxStatus } : {}), limit });
        if (rows.length === 0) return console.log('no outbox rows');
        console.log(HEADER);
        for (const r of rows) console.log(line(r));
      });
    });
  o.command('dead')
    .description('Dead letters with the reason each gave up')
    .option('--limit <n>', 'how many', '100')
    .action(async (opts: { limit: string }) => {
      await withRawDb(async (db) => {
        const rows = await listRows(db, { status: 'dead', limit: Math.max(1, Number(opts.limit) || 100) });
        if (rows.length === 0) return console.log('no dead letters');
        console.log(HEADER);
        for (const r of rows) console.log(line(r));
        console.log(`\nfix the cause, then: hermes outbox retry <id>`);
      });
    });
  o.command('retry')
    .description('Deliver a dead or pending row again as soon as a worker runs')
    .argument('<id>', 'outbox row id (hermes outbox dead)')
    .action(async (idArg: string) => {
      const id = Number(idArg);
      if (!Number.isInteger(id) || id < 1) {
        console.error(`error: "${idArg}" is not an outbox row id`);
        process.exit(2);
      }
      await withRawDb(async (db) => {
        try {
          const r = await retryRow(db, id, new Date());
          console.log(`row ${r.id} (${r.action}) queued for delivery`);
        } catch (err) {
          if (err instanceof OutboxRetryError) {
            console.error(`error: ${err.message}`);
            process.exitCode = 2;
            return;
          }
          throw err;
        }
      });
    });
}
