#!/usr/bin/env node
// Start-up figures for docs/benchmarks.md: wall time of `hermes --help`, and of `hermes serve` from spawn to the first
// 200 from /health (fresh SQLite database in a temporary folder, so migrations run as on a first start).
// After /health it keeps polling /ready until it answers 200 (the default flow loaded), so both are reported: /health
// says the process serves requests, /ready that it can take calls.
// Usage: node scripts/measure-startup.mjs [--runs N] [--bin path/to/hermes.js] [--bin2 other/hermes.js]
// With --bin2 the two builds are measured in alternation (one run of each in turn), so both see the same machine load.
// Each figure is the median of N runs (default 7) with min and max; runs are sequential so they do not compete.
// Wall time depends on what else the machine runs; CPU time (user + system of the hermes process) much less so, and on
// an idle machine start-up is single-threaded, so wall ~ CPU + a little I/O. Both are reported.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const BINS = [resolve(opt('--bin', join(fileURLToPath(new URL('..', import.meta.url)), 'bin/hermes.js')))];
if (opt('--bin2')) BINS.push(resolve(opt('--bin2')));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor(s.length / 2)]), min: Math.round(s[0]), max: Math.round(s[s.length - 1]) };
};

/** CPU milliseconds (user + system) a live process has used so far, from /proc (Linux). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function help(BIN) {
  // bash's `times` prints the CPU its children used: the one hermes process.
  const started = performance.now();
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --help >/dev/null && times`], { encoding: 'utf8' });
  const wall = performance.now() - started;
  if (r.status !== 0) throw new Error(`hermes --help exited ${r.status}: ${r.stderr}`);
  const [user, sys] = r.stdout.trim().split('\n')[1].split(/\s+/).map((t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  });
  return { wall, cpu: user + sys };
}

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });

async function serveToHealth(BIN) {
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
      if (performance.now() - started > 90_000) throw new Error(`no /health within 90 s: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const health = { wall: performance.now() - started, cpu: cpuMs(child.pid) };
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
      if (performance.now() - started > 90_000) throw new Error(`not ready within 90 s: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
      if (ok) return { ...health, readyWall: performance.now() - started, readyCpu: cpuMs(child.pid) };
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

const times = BINS.map(() => ({ help: [], serve: [] }));
for (let i = 0; i < RUNS; i++) BINS.forEach((b, j) => times[j].help.push(help(b)));
for (let i = 0; i < RUNS; i++) for (const [j, b] of BINS.entries()) times[j].serve.push(await serveToHealth(b));
const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
for (const [j, b] of BINS.entries()) {
  const { help: h, serve: s } = times[j];
  console.log(JSON.stringify({
    bin: b, runs: RUNS, node: process.version, load_average_1m: Number(load),
    help_wall_ms: stats(h.map((t) => t.wall)), help_cpu_ms: stats(h.map((t) => t.cpu)),
    serve_to_health_wall_ms: stats(s.map((t) => t.wall)), serve_to_health_cpu_ms: stats(s.map((t) => t.cpu)),
    serve_to_ready_wall_ms: stats(s.map((t) => t.readyWall)), serve_to_ready_cpu_ms: stats(s.map((t) => t.readyCpu)),
  }));
}
