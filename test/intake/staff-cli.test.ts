// `hermes staff add|list|remove --tenant` as a person runs them: real CLI processes on a real database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'hermes-staff-cli-'));
const DATABASE_URL = `sqlite://${join(dir, 'h.sqlite')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Firms are made directly (hermes tenants is tested elsewhere): each CLI process costs seconds on a busy machine.
beforeAll(async () => {
  const db = createDb(DATABASE_URL);
  await migrateLatest(db);
  await db('tenants').insert([{ name: 'Rivera & Associates', slug: 'rivera' }, { name: 'Other LLP', slug: 'other' }]);
  await db.destroy();
});

function hermes(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/hermes.js'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, DATABASE_URL, LOG_LEVEL: 'silent' }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('hermes staff', () => {
  it('adds, lists and removes the staff contacts of one firm, and refuses bad input with exit 2', () => {
    const add = hermes(['staff', 'add', '--tenant', 'rivera', '--name', 'Ana Rivera', '--phone', '312-555-0199', '--email', 'ana@rivera.example', '--kinds', 'emergency,message']);
    expect(add.code).toBe(0);
    const id = /added staff contact (\d+): Ana Rivera receives message, emergency/.exec(add.out)?.[1];
    expect(id).toBeDefined();
    expect(hermes(['staff', 'list', '--tenant', 'rivera']).out).toBe(`${id}\tAna Rivera\t+13125550199\tana@rivera.example\tmessage,emergency\n`);

    const badKind = hermes(['staff', 'add', '--tenant', 'rivera', '--name', 'Bo', '--phone', '+13125550123', '--kinds', 'pager']);
    expect(badKind.code).toBe(2);
    expect(badKind.err).toMatch(/kinds: unknown kind "pager"/);

    // Another firm's slug cannot remove it.
    expect(hermes(['staff', 'remove', '--tenant', 'other', '--id', id!]).code).toBe(2);
    const rm = hermes(['staff', 'remove', '--tenant', 'rivera', '--id', id!]);
    expect(rm.code).toBe(0);
    expect(hermes(['staff', 'list', '--tenant', 'rivera']).out).toMatch(/no staff contacts: taken messages reach nobody/);
  }, 240_000);
});
