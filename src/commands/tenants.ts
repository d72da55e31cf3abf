// `hermes tenants create|list`: firms sharing this HERMES. A tenant must exist before its users and numbers.
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createDb, type Db } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createTenant, UserInputError } from '../auth/users.js';

/** Opens the configured database (migrated unless AUTO_MIGRATE=false), runs `fn`, always closes it. */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const db = createDb(config.databaseUrl);
  try {
    if (config.autoMigrate) await migrateLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Prints a UserInputError as a one-line problem and exits 2; anything else propagates. */
export function failOnInput(err: unknown): never {
  if (err instanceof UserInputError) {
    console.error(`error: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

export function registerTenants(program: Command): void {
  const tenants = program.command('tenants').description('Manage firms (tenants)');
  tenants
    .command('create')
    .description('Create a firm')
    .requiredOption('--slug <slug>', 'short name used in URLs and the CLI, e.g. smith-law')
    .requiredOption('--name <name>', 'display name, e.g. "Smith & Jones LLP"')
    .option('--timezone <tz>', 'IANA time zone of the firm', 'America/New_York')
    .action(async (opts: { slug: string; name: string; timezone: string }) => {
      await withDb(async (db) => {
        try {
          const t = await createTenant(db, opts);
          console.log(`created tenant ${t.slug} (id ${t.id}, ${t.timezone})`);
        } catch (err) {
          failOnInput(err);
        }
      });
    });
  tenants
    .command('list')
    .description('List firms')
    .action(async () => {
      await withDb(async (db) => {
        const rows = (await db('tenants').orderBy('id').select('id', 'slug', 'name', 'timezone')) as { id: number; slug: string; name: string; timezone: string }[];
        if (rows.length === 0) console.log('no tenants yet: hermes tenants create --slug <slug> --name <name>');
        for (const r of rows) console.log(`${r.id}\t${r.slug}\t${r.timezone}\t${r.name}`);
      });
    });
}
