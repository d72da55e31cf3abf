// `hermes tenants create|list`: firms sharing this HERMES. A tenant must exist before its users and numbers.
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createDb, type Db } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createTenant, findTenantBySlug, UserInputError } from '../auth/users.js';
import { checkFirmFacts } from '../flows/firm-facts.js';
import { firmFactsOf, FirmFactsError, updateFirmFacts } from '../intake/firm-facts-repo.js';

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
  factOptions(create).action(async (opts: FactOptions & { slug: string; name: string; timezone: string }) => {
    await withDb(async (db) => {
      try {
        const facts = factsFromOptions(opts);
        // Checked before the firm exists, so a typo in one fact does not leave a half-made firm behind.
        const { problems } = checkFirmFacts(facts);
        if (problems.length) throw new UserInputError('facts', problems.join('; '));
        const t = await createTenant(db, opts);
        if (Object.keys(facts).length) await saveFacts(db, t.id, facts);
        console.log(`created tenant ${t.slug} (id ${t.id}, ${t.timezone})`);
      } catch (err) {
        failOnInput(err);
      }
    });
  });
  const set = tenants
    .command('set')
    .description('Change the facts a firm\'s callers hear (an empty value, e.g. --address "", goes back to the flow\'s default)')
    .argument('<slug>', 'the firm')
    .option('--name <name>', 'display name callers hear')
    .option('--timezone <tz>', 'IANA time zone of the firm');
  factOptions(set).action(async (slug: string, opts: FactOptions & { name?: string; timezone?: string }) => {
    await withDb(async (db) => {
      try {
        const t = await findTenantBySlug(db, slug);
        if (!t) throw new UserInputError('slug', `no tenant "${slug}" (hermes tenants list)`);
        const facts = { ...factsFromOptions(opts), ...(opts.name !== undefined ? { name: opts.name } : {}), ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}) };
        if (!Object.keys(facts).length) throw new UserInputError('facts', 'nothing to change: give at least one option (hermes tenants set --help)');
        printFacts(slug, await saveFacts(db, t.id, facts));
      } catch (err) {
        failOnInput(err);
      }
    });
  });
  tenants
    .command('show')
    .description('The facts a firm\'s callers hear (facts not shown come from the flow\'s firm: block)')
    .argument('<slug>', 'the firm')
    .action(async (slug: string) => {
      await withDb(async (db) => {
        try {
          const t = await findTenantBySlug(db, slug);
          if (!t) throw new UserInputError('slug', `no tenant "${slug}" (hermes tenants list)`);
          printFacts(slug, (await firmFactsOf(db, t.id))!);
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

interface FactOptions {
  mainNumber?: string;
  onCall?: string;
  fee?: string;
  address?: string;
  hours?: string;
  holidays?: string;
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
