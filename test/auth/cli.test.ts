// `hermes tenants create` and `hermes users create` as a person runs them: real CLI processes on a real database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { verifyPassword } from '../../src/auth/passwords.js';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'hermes-cli-'));
const DATABASE_URL = `sqlite://${join(dir, 'h.sqlite')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hermes(args: string[], input = '') {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/hermes.js'), ...args], {
    cwd: REPO, input, encoding: 'utf8', env: { ...process.env, DATABASE_URL, LOG_LEVEL: 'silent' }, timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('hermes tenants / users', () => {
  it('creates a firm, an owner with a password from stdin, and a user with a generated password', async () => {
    const t = hermes(['tenants', 'create', '--slug', 'smith-law', '--name', 'Smith LLP', '--timezone', 'America/Chicago']);
    expect(t.err).toBe('');
    expect(t.out).toMatch(/created tenant smith-law \(id \d+, America\/Chicago\)/);

    const o = hermes(['users', 'create', '--tenant', 'smith-law', '--role', 'owner', '--email', 'Owner@Smith-Law.example', '--password-stdin'], 'a long passphrase here\n');
    expect(o.code).toBe(0);
    expect(o.out).toMatch(/created owner owner@smith-law\.example/);
    expect(o.out).not.toContain('passphrase');

    const s = hermes(['users', 'create', '--tenant', 'smith-law', '--role', 'staff', '--email', 'clerk@smith-law.example']);
    const generated = /password \(shown once\): (\S+)/.exec(s.out)?.[1];
    expect(generated).toBeDefined();

    const bad = hermes(['users', 'create', '--tenant', 'smith-law', '--role', 'boss', '--email', 'x@smith-law.example']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/role: must be one of owner, attorney, staff, viewer/);

    const db = createDb(DATABASE_URL);
    try {
      const owner = await db('users').where({ email: 'owner@smith-law.example' }).first();
      expect(owner.role).toBe('owner');
      // The trailing newline of the piped input is not part of the password.
      expect(await verifyPassword('a long passphrase here', owner.password_hash)).toBe(true);
      const clerk = await db('users').where({ email: 'clerk@smith-law.example' }).first();
      expect(await verifyPassword(generated!, clerk.password_hash)).toBe(true);
      expect(await db('users').count({ n: '*' })).toEqual([{ n: 2 }]);
    } finally {
      await db.destroy();
    }
  });
});
