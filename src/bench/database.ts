// The benchmark's database: a fresh SQLite file in the run's directory (default), or with --database-url postgres://...
// a fresh database created on that server for the run and dropped after it, so runs never share rows.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { dbClient } from '../db/knex.js';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function benchDatabase(dir: string, serverUrl: string | undefined): Promise<BenchDatabase> {
  if (!serverUrl || dbClient(serverUrl) === 'sqlite') return { url: serverUrl ?? `sqlite://${join(dir, 'bench.sqlite')}`, drop: async () => undefined };
  const name = `hermes_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
