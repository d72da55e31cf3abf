// Throwaway databases for tests: a temp SQLite file, or a fresh PostgreSQL database created on the local server
// (HERMES_TEST_PG_URL, default postgres://root@127.0.0.1:5432/test) and dropped afterwards.
// Repository tests run `describe.each(TEST_DATABASES)` so the same suite proves both engines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';

export const TEST_DATABASES = ['sqlite', 'postgres'] as const;
export type TestDbKind = (typeof TEST_DATABASES)[number];

const PG_ADMIN_URL = process.env.HERMES_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

export interface TestDb {
  kind: TestDbKind;
  url: string;
  db: Db;
  /** Closes the pool and deletes the database. */
  destroy(): Promise<void>;
}

export async function createTestDb(kind: TestDbKind, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  let url: string;
  let drop: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hermes-test-'));
    url = `sqlite://${join(dir, 'hermes.sqlite')}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `hermes_t_${randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: PG_ADMIN_URL, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name}`);
    await admin.destroy();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const a = knexFactory({ client: 'pg', connection: PG_ADMIN_URL, pool: { min: 0, max: 1 } });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    };
  }
  const db = createDb(url);
  if (opts.migrate ?? true) await migrateLatest(db);
  return {
    kind,
    url,
    db,
    async destroy() {
      await db.destroy();
      await drop();
    },
  };
}
