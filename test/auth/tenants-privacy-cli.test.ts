// `hermes tenants create --recording --retention-days` and `hermes tenants set` as a person runs them: real CLI
// processes on a real database; the settings they store are the ones a call reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { firmSettings } from '../../src/intake/firm-settings.js';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'hermes-cli-privacy-'));
const DATABASE_URL = `sqlite://${join(dir, 'h.sqlite')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hermes(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/hermes.js'), ...args], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, DATABASE_URL, LOG_LEVEL: 'silent' }, timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('hermes tenants: recording and retention', () => {
  it('creates a firm that records and keeps 90 days, changes it with set, and refuses bad values', async () => {
    const c = hermes(['tenants', 'create', '--slug', 'rec-law', '--name', 'Rec Law', '--recording', 'on', '--retention-days', '90']);
    expect(c.err).toBe('');
    expect(c.out).toMatch(/created tenant rec-law \(id \d+, America\/New_York\)\n {2}recording on, kept 90 days/);
    const plain = hermes(['tenants', 'create', '--slug', 'plain-law', '--name', 'Plain Law']);
    expect(plain.out.trim()).toMatch(/^created tenant plain-law \(id \d+, America\/New_York\)$/);

    const s = hermes(['tenants', 'set', '--slug', 'rec-law', '--recording', 'off', '--retention-days', 'keep']);
    expect(s.out).toContain('rec-law: recording off, kept until deleted');
    const bad = hermes(['tenants', 'set', '--slug', 'rec-law', '--retention-days', 'forever']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/retention-days: must be a whole number of days/);
    expect(hermes(['tenants', 'create', '--slug', 'x-law', '--name', 'X', '--recording', 'maybe']).err).toMatch(/recording: must be off or on/);
    // A refused create leaves no firm behind.
    expect(hermes(['tenants', 'list']).out).not.toContain('x-law');

    const db = createDb(DATABASE_URL);
    try {
      const id = Number((await db('tenants').where({ slug: 'rec-law' }).first('id')).id);
      expect(await firmSettings(db, id)).toEqual({ recording: 'off', retentionDays: null });
      await db('tenants').where({ slug: 'rec-law' }).update({ recording: 'on', retention_days: 30 });
    } finally {
      await db.destroy();
    }
    expect(hermes(['tenants', 'list']).out).toMatch(/rec-law\tAmerica\/New_York\tRec Law\trecording on\t30d/);
  }, 120_000);
});
