// The one place a database connection is made. SQLite (WAL) is the embedded default; PostgreSQL is selected by a
// postgres:// DATABASE_URL. Everything that persists receives the Knex instance from here.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type Db = Knex;
export type DbClient = 'sqlite' | 'postgres';

export function dbClient(databaseUrl: string): DbClient {
  return databaseUrl.startsWith('sqlite://') ? 'sqlite' : 'postgres';
}

/** Path of an sqlite:// URL; `sqlite://:memory:` stays in memory. */
export function sqlitePath(databaseUrl: string): string {
  const p = databaseUrl.slice('sqlite://'.length);
  return p === ':memory:' ? p : resolve(p);
}

export function createDb(databaseUrl: string, opts: { searchPath?: string; poolMax?: number } = {}): Db {
  if (dbClient(databaseUrl) === 'sqlite') {
    const filename = sqlitePath(databaseUrl);
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        // WAL lets readers run beside the writer and survives kill -9 with at most the open transaction lost.
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          reusePreparedStatements(conn);
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        },
      },
    });
  }
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    searchPath: opts.searchPath ? [opts.searchPath] : undefined,
    pool: { min: 0, max: opts.poolMax ?? 10 },
  });
}

interface SqliteConnection {
  pragma(s: string): unknown;
  prepare(sql: string): unknown;
}

/** Statements kept per connection; the SQL of the call path is a few dozen shapes, whereIn lists add some more. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * knex prepares every query's SQL again on the better-sqlite3 connection (a parse and plan on the main thread, each
 * time). The same SQL text gives the same statement, and knex runs each one to completion synchronously, so one
 * prepared statement per SQL text is reused (least recently used dropped past the bound).
 */
function reusePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let st = cache.get(sql);
    if (st !== undefined) {
      cache.delete(sql);
      cache.set(sql, st);
      return st;
    }
    st = prepare(sql);
    cache.set(sql, st);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return st;
  };
}

/** JSON columns: PostgreSQL returns objects, SQLite returns text. */
export function parseJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}
