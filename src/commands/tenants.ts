// `hermes tenants create|list`: firms sharing this HERMES. A tenant must exist before its users and numbers.
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createDb, type Db } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createTenant, findTenantBySlug, UserInputError } from '../auth/users.js';
import { checkFirmFacts } from '../flows/firm-facts.js';
import { firmFactsOf, FirmFactsError, updateFirmFacts } from '../intake/firm-facts-repo.js';
import { firmSettings, FirmSettingsInputError, updateFirmSettings, type FirmSettings } from '../intake/firm-settings.js';

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

const settingsInput = (err: unknown): unknown =>
  err instanceof FirmSettingsInputError ? new UserInputError(err.field === 'retentionDays' ? 'retention-days' : err.field, err.message.slice(err.field.length + 2)) : err;

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
  const create = tenants
    .command('create')
    .description('Create a firm (with the facts its callers hear; any left out come from the flow\'s firm: block)')
    .requiredOption('--slug <slug>', 'short name used in URLs and the CLI, e.g. smith-law')
    .requiredOption('--name <name>', 'display name callers hear, e.g. "Smith & Jones LLP"')
    .option('--timezone <tz>', 'IANA time zone of the firm', 'America/New_York');
  privacyOptions(factOptions(create)).action(async (opts: FactOptions & PrivacyOpts & { slug: string; name: string; timezone: string }) => {
    await withDb(async (db) => {
      try {
        const facts = factsFromOptions(opts);
        // Checked before the firm exists, so a typo in one fact does not leave a half-made firm behind.
        const { problems } = checkFirmFacts(facts);
        if (problems.length) throw new UserInputError('facts', problems.join('; '));
        const patch = privacyPatch(opts);
        const t = await db.transaction(async (trx) => {
          const created = await createTenant(trx, { slug: opts.slug, name: opts.name, timezone: opts.timezone });
          if (Object.keys(facts).length) await saveFacts(trx, created.id, facts);
          return { ...created, settings: await updateFirmSettings(trx, created.id, patch) };
        });
        console.log(`created tenant ${t.slug} (id ${t.id}, ${t.timezone})`);
        if (Object.keys(patch).length > 0) console.log(`  ${describeSettings(t.settings!)}`);
      } catch (err) {
        failOnInput(settingsInput(err));
      }
    });
  });
  const set = tenants
    .command('set')
    .description('Change what a firm\'s callers hear and its recording and retention (an empty fact, e.g. --address "", goes back to the flow\'s default)')
    .argument('[slug]', 'the firm (or --slug)')
    .option('--slug <slug>', 'the firm')
    .option('--name <name>', 'display name callers hear')
    .option('--timezone <tz>', 'IANA time zone of the firm');
  privacyOptions(factOptions(set)).action(async (arg: string | undefined, opts: FactOptions & PrivacyOpts & { slug?: string; name?: string; timezone?: string }) => {
    await withDb(async (db) => {
      try {
        const slug = arg ?? opts.slug;
        if (!slug) throw new UserInputError('slug', 'which firm? hermes tenants set <slug> ... (hermes tenants list)');
        const t = await findTenantBySlug(db, slug);
        if (!t) throw new UserInputError('slug', `no tenant "${slug}" (hermes tenants list)`);
        const facts = { ...factsFromOptions(opts), ...(opts.name !== undefined ? { name: opts.name } : {}), ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}) };
        const patch = privacyPatch(opts);
        if (!Object.keys(facts).length && !Object.keys(patch).length) throw new UserInputError('options', 'nothing to change: give at least one option (hermes tenants set --help)');
        const { problems } = checkFirmFacts(facts);
        if (problems.length) throw new UserInputError('facts', problems.join('; '));
        if (Object.keys(patch).length) console.log(`${slug}: ${describeSettings((await updateFirmSettings(db, t.id, patch))!)}`);
        if (Object.keys(facts).length) printFacts(slug, await saveFacts(db, t.id, facts));
      } catch (err) {
        failOnInput(settingsInput(err));
      }
    });
  });
  tenants
    .command('show')
    .description('The facts a firm\'s callers hear (facts not shown come from the flow\'s firm: block) and its recording and retention')
    .argument('<slug>', 'the firm')
    .action(async (slug: string) => {
      await withDb(async (db) => {
        try {
          const t = await findTenantBySlug(db, slug);
          if (!t) throw new UserInputError('slug', `no tenant "${slug}" (hermes tenants list)`);
          printFacts(slug, (await firmFactsOf(db, t.id))!);
          console.log(`  ${describeSettings(await firmSettings(db, t.id))}`);
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
        const rows = (await db('tenants').orderBy('id').select('id', 'slug', 'name', 'timezone', 'recording', 'retention_days')) as { id: number; slug: string; name: string; timezone: string; recording: string; retention_days: number | null }[];
        if (rows.length === 0) console.log('no tenants yet: hermes tenants create --slug <slug> --name <name>');
        for (const r of rows) console.log(`${r.id}\t${r.slug}\t${r.timezone}\t${r.name}\trecording ${r.recording}\t${r.retention_days === null ? 'keep' : `${r.retention_days}d`}`);
      });
    });
}

interface FactOptions {
  mainNumber?: string;
  onCall?: string;
  fee?: string;
  address?: string;
  hours?: string;
  holidays?: string;
}

function privacyOptions(c: Command): Command {
  return c
    .option('--recording <mode>', 'off (default) or on: record calls (dual channel), and the disclosure says so')
    .option('--retention-days <days>', 'days transcripts, recordings and undelivered intakes are kept (default: keep)');
}

function factOptions(c: Command): Command {
  return c
    .option('--main-number <e164>', 'the firm\'s own line, where "talk to a person" transfers go (not a number mapped to HERMES)')
    .option('--on-call <numbers>', 'on-call attorney numbers, comma-separated, first rung first')
    .option('--fee <dollars>', 'consultation fee in dollars, 0 for free')
    .option('--address <text>', 'office address as callers should hear it')
    .option('--hours <spec>', 'business hours, e.g. "mon-fri 09:00-17:30"')
    .option('--holidays <dates>', 'closed all day, comma-separated YYYY-MM-DD');
}

function factsFromOptions(o: FactOptions): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (o.mainNumber !== undefined) f.main_number = o.mainNumber;
  if (o.onCall !== undefined) f.on_call = o.onCall;
  if (o.fee !== undefined) f.consultation_fee = o.fee;
  if (o.address !== undefined) f.address = o.address;
  if (o.hours !== undefined) f.business_hours = o.hours;
  if (o.holidays !== undefined) f.holidays = o.holidays;
  return f;
}

async function saveFacts(db: Db, tenantId: number, facts: Record<string, unknown>) {
  try {
    return await updateFirmFacts(db, tenantId, facts);
  } catch (err) {
    if (err instanceof FirmFactsError) throw new UserInputError('facts', err.message);
    throw err;
  }
}

function printFacts(slug: string, facts: Record<string, unknown>): void {
  console.log(`${slug}:`);
  for (const [k, v] of Object.entries(facts)) console.log(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
}
