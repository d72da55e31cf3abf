// Runs the migrations in ../../migrations through knex. The list is imported statically (migrations/index.ts), so
// the same migrations run under tsx, vitest and a bundled build without knex having to load .ts files itself.
import type { Knex } from 'knex';
import type { Db } from './knex.js';
import { MIGRATIONS } from '../../migrations/index.js';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map((m) => m.name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const m = MIGRATIONS.find((x) => x.name === name);
    if (!m) throw new Error(`unknown migration ${name}`);
    return m.module;
  },
};

const config: Knex.MigratorConfig = { migrationSource: source, tableName: 'knex_migrations' };

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}

export async function migrateDown(db: Db): Promise<string[]> {
  const [, reverted] = (await db.migrate.down(config)) as [number, string[]];
  return reverted;
}

export async function migrationStatus(db: Db): Promise<{ applied: string[]; pending: string[] }> {
  const [done, pending] = (await db.migrate.list(config)) as [{ name: string }[] | string[], string[]];
  const name = (x: { name: string } | string) => (typeof x === 'string' ? x : x.name);
  return { applied: done.map(name), pending: pending.map((p) => name(p as never)) };
}
