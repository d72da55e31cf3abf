// The first hour as a new user meets it, with real CLI processes in a fresh folder: `hermes init` writes a .env with
// usable secrets and never clobbers one, every command reads .env (the real environment wins), `hermes migrate` alone
// applies, and an http PUBLIC_URL stops `serve` with a clear error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const BIN = resolve(import.meta.dirname, '../../bin/hermes.js');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'hermes-first-hour-'));
  dirs.push(d);
  return d;
}

/** A hermes process in `cwd` with none of this process's HERMES settings, so only the .env can supply them. */
function hermes(cwd: string, args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|PUBLIC_URL|JWT_SECRET|ENCRYPTION_KEY|TWILIO_|LOG_|HERMES_)/.test(k)));
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...clean, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('hermes init', () => {
  it('writes a private .env whose generated secrets the configuration accepts, and refuses to overwrite it', () => {
    const cwd = folder();
    const first = hermes(cwd, ['init']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('wrote .env with a new JWT_SECRET and ENCRYPTION_KEY');
    const file = join(cwd, '.env');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const vars = parseEnv(text) as Record<string, string>;
    const config = loadConfig(vars);
    expect(config.jwtSecret!.length).toBeGreaterThanOrEqual(32);
    expect(config.encryptionKey).toMatch(/^[0-9a-f]{64}$/);

    const again = hermes(cwd, ['init']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('.env already exists, left as it is (--force replaces it');
    expect(readFileSync(file, 'utf8')).toBe(text);

    const forced = hermes(cwd, ['init', '--force']);
    expect(forced.code).toBe(0);
    const replaced = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(replaced.JWT_SECRET).not.toBe(vars.JWT_SECRET);
    expect(replaced.ENCRYPTION_KEY).not.toBe(vars.ENCRYPTION_KEY);
  });
});

describe('.env and migrate', () => {
  it('reads DATABASE_URL from .env, applies with `hermes migrate` alone, and lets the real environment win', () => {
    const cwd = folder();
    writeFileSync(join(cwd, '.env'), 'DATABASE_URL=sqlite://./from-dotenv.sqlite\n');
    const up = hermes(cwd, ['migrate']);
    expect(up.err).toBe('');
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/^applied \d+_core$/m);
    expect(existsSync(join(cwd, 'from-dotenv.sqlite'))).toBe(true);
    expect(hermes(cwd, ['migrate']).out.trim()).toBe('already up to date');
    expect(hermes(cwd, ['migrate', 'status']).code).toBe(0);

    const env = hermes(cwd, ['migrate'], { DATABASE_URL: 'sqlite://./from-env.sqlite' });
    expect(env.code).toBe(0);
    expect(existsSync(join(cwd, 'from-env.sqlite'))).toBe(true);
  });

  it('fails clearly when HERMES_ENV_FILE names a file that is not there', () => {
    const r = hermes(folder(), ['migrate', 'status'], { HERMES_ENV_FILE: 'nope.env' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/HERMES_ENV_FILE: no file at .*nope\.env/);
  });
});

describe('serve', () => {
  it('stops at start on an http PUBLIC_URL, naming the setting and the fix', () => {
    const cwd = folder();
    const r = hermes(cwd, ['serve', '--port', '0'], { PUBLIC_URL: 'http://hermes.example.com', DATABASE_URL: 'sqlite://./h.sqlite' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('PUBLIC_URL: must be https://');
  });
});
