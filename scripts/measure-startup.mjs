#!/usr/bin/env node
// Start-up figures for docs/benchmarks.md: wall time of `hermes --help`, and of `hermes serve` from spawn to the first
// 200 from /health (fresh SQLite database in a temporary folder, so migrations run as on a first start).
// Usage: node scripts/measure-startup.mjs [--runs N] [--bin path/to/hermes.js]
// Each figure is the median of N runs (default 7) with min and max; runs are sequential so they do not compete.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(opt('--runs', '7'));
const BIN = resolve(opt('--bin', join(fileURLToPath(new URL('..', import.meta.url)), 'bin/hermes.js')));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor(s.length / 2)]), min: Math.round(s[0]), max: Math.round(s[s.length - 1]) };
};

function help() {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hermes --help exited ${r.status}: ${r.stderr}`);
  return performance.now() - started;
}

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });

async function serveToHealth() {
  const dir = mkdtempSync(join(tmpdir(), 'hermes-startup-'));
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite://${join(dir, 'hermes.sqlite')}`,
    PROMPT_CACHE_DIR: join(dir, 'prompts'),
    LOG_LEVEL: 'warn',
  };
  const started = performance.now();
  // From the package folder, as an operator would start it, so the default flow (flows/intake.yaml) loads too.
  const child = spawn(process.execPath, [BIN, 'serve'], { env, cwd: resolve(BIN, '../..'), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
      if (performance.now() - started > 30_000) throw new Error(`no /health within 30 s: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

const helpTimes = [];
for (let i = 0; i < RUNS; i++) helpTimes.push(help());
const serveTimes = [];
for (let i = 0; i < RUNS; i++) serveTimes.push(await serveToHealth());
console.log(JSON.stringify({ bin: BIN, runs: RUNS, node: process.version, help_ms: stats(helpTimes), serve_to_health_ms: stats(serveTimes) }));
