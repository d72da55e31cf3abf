// Throwaway databases for tests: a temp SQLite file, or a fresh PostgreSQL database created on the local server
// (HERMES_TEST_PG_URL, default postgres://root@127.0.0.1:5432/test) and dropped afterwards.
// Repository tests run `describeEachDb(...)` so the same suite proves both engines.
// Without a PostgreSQL server the PostgreSQL suites are reported as skipped (with the reason), so `npm test` passes on
// a fresh machine; REQUIRE_POSTGRES=1 (set by .ci/run) turns that skip into a failing test, so CI always covers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import pg from 'pg';
import { describe, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';

const ALL_DATABASES = ['sqlite', 'postgres'] as const;
export type TestDbKind = (typeof ALL_DATABASES)[number];

const PG_ADMIN_URL = process.env.HERMES_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';

/** Why PostgreSQL cannot be used, or undefined when a server answers at PG_ADMIN_URL. */
async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `no PostgreSQL server answers at ${PG_ADMIN_URL} (${(err as Error).message || String(err)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const POSTGRES_UNAVAILABLE = await probePostgres();

/** The engines available here; kept for suites that iterate it themselves (they silently lose PostgreSQL). */
export const TEST_DATABASES: readonly TestDbKind[] = POSTGRES_UNAVAILABLE ? ['sqlite'] : ALL_DATABASES;

/**
 * `describe.each` over both engines. `name` may contain `%s` for the engine. Without a PostgreSQL server its suite is
 * still collected but skipped, with the reason in the suite name; with REQUIRE_POSTGRES=1 it fails instead.
 */
export function describeEachDb(name: string, fn: (kind: TestDbKind) => void): void {
  for (const kind of ALL_DATABASES) {
    const title = name.includes('%s') ? name.replace('%s', kind) : `${name} (${kind})`;
    if (kind === 'postgres' && POSTGRES_UNAVAILABLE) {
      if (REQUIRE_POSTGRES) {
        describe(title, () => {
          it('needs PostgreSQL (REQUIRE_POSTGRES=1)', () => {
            throw new Error(`REQUIRE_POSTGRES=1 but ${POSTGRES_UNAVAILABLE}`);
          });
        });
      } else {
        describe.skip(`${title} [skipped: ${POSTGRES_UNAVAILABLE}; set HERMES_TEST_PG_URL or start PostgreSQL]`, () => fn(kind));
      }
      continue;
    }
    describe(title, () => fn(kind));
  }
}

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
