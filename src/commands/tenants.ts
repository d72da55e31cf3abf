// `hermes tenants create|list`: firms sharing this HERMES. A tenant must exist before its users and numbers.
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createDb, type Db } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createTenant, UserInputError } from '../auth/users.js';
import { FirmSettingsInputError, updateFirmSettings, type FirmSettings } from '../intake/firm-settings.js';

interface PrivacyOpts {
  recording?: string;
  retentionDays?: string;
}

/** --recording and --retention-days as settings; `keep` (or 0) for no retention limit. Exits 2 on a bad value. */
function privacyPatch(o: PrivacyOpts): Partial<FirmSettings> {
  const patch: Partial<FirmSettings> = {};
  if (o.recording !== undefined) patch.recording = o.recording as FirmSettings['recording'];
  if (o.retentionDays !== undefined) {
    const v = o.retentionDays.trim().toLowerCase();
    patch.retentionDays = v === 'keep' || v === '0' ? null : /^\d+$/.test(v) ? Number(v) : NaN;
  }
  return patch;
}

const describeSettings = (s: FirmSettings) => `recording ${s.recording}, ${s.retentionDays === null ? 'kept until deleted' : `kept ${s.retentionDays} days`}`;

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
    .option('--recording <mode>', 'off (default) or on: record calls (dual channel), and the disclosure says so')
    .option('--retention-days <days>', 'days transcripts, recordings and undelivered intakes are kept (default: keep)')
    .action(async (opts: { slug: string; name: string; timezone: string } & PrivacyOpts) => {
      await withDb(async (db) => {
        try {
          const patch = privacyPatch(opts);
          const t = await db.transaction(async (trx) => {
            const created = await createTenant(trx, { slug: opts.slug, name: opts.name, timezone: opts.timezone });
            return { ...created, settings: await updateFirmSettings(trx, created.id, patch) };
          });
          console.log(`created tenant ${t.slug} (id ${t.id}, ${t.timezone})`);
          if (Object.keys(patch).length > 0) console.log(`  ${describeSettings(t.settings!)}`);
        } catch (err) {
          if (err instanceof FirmSettingsInputError) failOnInput(new UserInputError(err.field === 'retentionDays' ? 'retention-days' : err.field, err.message.slice(err.field.length + 2)));
          failOnInput(err);
        }
      });
    });
  tenants
    .command('set')
    .description("Change a firm's recording and retention settings")
    .requiredOption('--slug <slug>', 'the firm')
    .option('--recording <mode>', 'off or on')
    .option('--retention-days <days>', 'days kept, or keep')
    .action(async (opts: { slug: string } & PrivacyOpts) => {
      await withDb(async (db) => {
        try {
          const t = (await db('tenants').where({ slug: opts.slug }).first('id')) as { id: number } | undefined;
          if (!t) throw new UserInputError('slug', `no tenant ${opts.slug}`);
          const s = await updateFirmSettings(db, Number(t.id), privacyPatch(opts));
          console.log(`${opts.slug}: ${describeSettings(s!)}`);
        } catch (err) {
          if (err instanceof FirmSettingsInputError) failOnInput(new UserInputError(err.field === 'retentionDays' ? 'retention-days' : err.field, err.message.slice(err.field.length + 2)));
          failOnInput(err);
        }
      });
    });
  tenants
    .command('list')
    .description('List firms')
    .action(async () => {
      await withDb(async (db) => {
        const rows = (await db('tenants').orderBy('id').select('id', 'slug', 'name', 'timezone', 'recording', 'retention_days')) as { id: number; slug: string; name: string; timezone: string; recording: string; retention_days: number | null }[];
        if (rows.length === 0) console.log('no tenants yet: hermes tenants create --slug <slug> --name <name>');
        for (const r of rows) console.log(`${r.id}\t${r.slug}\t${r.timezone}\t${r.name}\trecording ${r.recording}\t${r.retention_days === null ? 'keep' : `${r.retention_days}d`}`);
      });
    });
}
