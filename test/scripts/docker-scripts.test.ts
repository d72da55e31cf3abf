// The docker scripts run against a fake `docker` on PATH that records its arguments (no Docker engine runs here):
// flags map to the right docker commands, and destructive ones do nothing unless confirmed.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
let bin: string;
let log: string;

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'hermes-fake-docker-'));
  log = join(bin, 'calls.log');
  writeFileSync(join(bin, 'docker'), '#!/bin/sh\nprintf "%s\\n" "$*" >> "$FAKE_DOCKER_LOG"\n');
  chmodSync(join(bin, 'docker'), 0o755);
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function run(script: string, args: string[], input = '') {
  rmSync(log, { force: true });
  const r = spawnSync('bash', [join(REPO, 'scripts', script), ...args], {
    input, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_DOCKER_LOG: log },
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
  // The compose file path is absolute; shorten it so assertions read like the command a person types.
  return { code: r.status, stderr: r.stderr, stdout: r.stdout, calls: calls.map((c) => c.replaceAll(`--file ${REPO}/docker-compose.yml --project-directory ${REPO}`, '-f C')) };
}

describe('scripts/docker-build.sh', () => {
  it('builds the runtime and dev images by default', () => {
    expect(run('docker-build.sh', []).calls).toEqual([`build --target runtime --tag hermes:latest ${REPO}`, `build --target dev --tag hermes:dev ${REPO}`]);
  });
  it('honours --no-cache, --prod-only and --dev-only', () => {
    expect(run('docker-build.sh', ['--prod-only', '--no-cache']).calls).toEqual([`build --no-cache --target runtime --tag hermes:latest ${REPO}`]);
    expect(run('docker-build.sh', ['--dev-only']).calls).toEqual([`build --target dev --tag hermes:dev ${REPO}`]);
  });
  it('refuses contradictory or unknown flags without calling docker', () => {
    const both = run('docker-build.sh', ['--prod-only', '--dev-only']);
    expect(both.code).toBe(2);
    expect(both.calls).toEqual([]);
    const unknown = run('docker-build.sh', ['--fast']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--fast'/);
  });
});

describe('scripts/docker-start.sh', () => {
  it('starts everything detached, with --build rebuilding and --follow tailing the logs', () => {
    expect(run('docker-start.sh', []).calls).toEqual(['compose -f C up --detach', 'compose -f C ps']);
    expect(run('docker-start.sh', ['--build', '--follow', 'hermes-1']).calls).toEqual([
      'compose -f C up --detach --build hermes-1', 'compose -f C ps', 'compose -f C logs --follow --tail 50 hermes-1',
    ]);
  });
});

describe('scripts/docker-logs.sh', () => {
  it('passes --follow and --tail N through, and rejects a bad --tail', () => {
    expect(run('docker-logs.sh', []).calls).toEqual(['compose -f C logs --tail 100']);
    expect(run('docker-logs.sh', ['--follow', '--tail', '20', 'nginx']).calls).toEqual(['compose -f C logs --follow --tail 20 nginx']);
    const bad = run('docker-logs.sh', ['--tail', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.calls).toEqual([]);
    expect(run('docker-logs.sh', ['--tail']).code).toBe(2);
  });
});

describe('scripts/docker-stop.sh', () => {
  it('stops the containers and keeps the volumes by default', () => {
    expect(run('docker-stop.sh', []).calls).toEqual(['compose -f C down --remove-orphans']);
  });
  it('deletes volumes only after "yes"', () => {
    const no = run('docker-stop.sh', ['--volumes'], 'y\n');
    expect(no.code).toBe(1);
    expect(no.calls).toEqual([]);
    expect(no.stderr).toMatch(/not confirmed/);
    expect(run('docker-stop.sh', ['--volumes'], '').calls).toEqual([]);
    expect(run('docker-stop.sh', ['--volumes'], 'yes\n').calls).toEqual(['compose -f C down --volumes --remove-orphans']);
  });
});

describe('scripts/docker-clean.sh', () => {
  it('needs something to remove', () => {
    const r = run('docker-clean.sh', [], 'DELETE\n');
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
  });
  it('removes nothing unless DELETE is typed exactly', () => {
    for (const answer of ['delete\n', 'yes\n', '', 'DELETE it\n']) {
      const r = run('docker-clean.sh', ['--all'], answer);
      expect(r.code).toBe(1);
      expect(r.calls).toEqual([]);
    }
  });
  it('maps --containers, --images, --volumes and --all to compose down', () => {
    expect(run('docker-clean.sh', ['--containers'], 'DELETE\n').calls).toEqual(['compose -f C down --remove-orphans']);
    expect(run('docker-clean.sh', ['--volumes'], 'DELETE\n').calls).toEqual(['compose -f C down --remove-orphans --volumes']);
    expect(run('docker-clean.sh', ['--images'], 'DELETE\n').calls).toEqual(['compose -f C down --remove-orphans --rmi all', 'image rm --force hermes:latest hermes:dev']);
    const all = run('docker-clean.sh', ['--all'], 'DELETE\n');
    expect(all.stderr).toMatch(/PostgreSQL database/);
    expect(all.calls).toEqual(['compose -f C down --remove-orphans --rmi all --volumes', 'image rm --force hermes:latest hermes:dev']);
  });
});

const SHELLCHECK = spawnSync('sh', ['-c', 'command -v shellcheck'], { encoding: 'utf8' }).stdout.trim();
if (!SHELLCHECK) console.warn('[scripts] shellcheck not found: lint skipped (install Debian package shellcheck)');

describe.skipIf(!SHELLCHECK)('shellcheck', () => {
  it('finds nothing in the docker scripts', () => {
    const scripts = ['build', 'start', 'stop', 'logs', 'clean'].map((s) => join(REPO, `scripts/docker-${s}.sh`));
    const r = spawnSync(SHELLCHECK, ['--severity=style', ...scripts], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
