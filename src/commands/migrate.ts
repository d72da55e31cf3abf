// `hermes migrate [up|down|status]`: the schema (top-level migrations/, the same on SQLite and PostgreSQL). `migrate`
// alone applies, as `knex migrate:latest` and `rails db:migrate` do.
// `serve` applies pending migrations by itself unless AUTO_MIGRATE=false or --no-migrate; this is for operators who
// migrate as a separate step (several instances on one PostgreSQL) and for rolling back.
import type { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createDb, type Db } from '../db/knex.js';
import { migrateDown, migrateLatest, migrationStatus } from '../db/migrate.js';

// The records-side commands (migrate, worker, outbox) open the database without migrating as a side effect:
// `migrate down` and `migrate status` must see it as it is.
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

export async function withRawDb<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = configOrExit();
  const db = createDb(config.databaseUrl);
  try {
    return await fn(db, config);
  } finally {
    await db.destroy();
  }
}


export function registerMigrate(program: Command): void {
  const up = async () => {
    await withRawDb(async (db) => {
      const applied = await migrateLatest(db);
      console.log(applied.length ? applied.map((n) => `applied ${n}`).join('\n') : 'already up to date');
    });
  };
  const m = program.command('migrate').description('Apply pending database migrations (DATABASE_URL); also up, down, status').action(up);
  m.command('up')
    .description('Apply every pending migration (the same as `hermes migrate`)')
    .action(up);
  m.command('down')
    .description('Roll back the most recent migration')
    .action(async () => {
      await withRawDb(async (db) => {
        const reverted = await migrateDown(db);
        console.log(reverted.length ? reverted.map((n) => `rolled back ${n}`).join('\n') : 'nothing to roll back');
      });
    });
  m.command('status')
    .description('List applied and pending migrations (exit 1 when some are pending)')
    .action(async () => {
      const pending = await withRawDb(async (db) => {
        const s = await migrationStatus(db);
        for (const n of s.applied) console.log(`applied  ${n}`);
        for (const n of s.pending) console.log(`pending  ${n}`);
        return s.pending.length;
      });
      if (pending > 0) process.exitCode = 1;
    });
}
