#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` builds): compiles src/ and migrations/ to dist/ with tsc
// (tsconfig.build.json), from an empty dist/ so a deleted source leaves no stale module behind; then bundles that
// JavaScript with esbuild into dist/bundle/ (what bin/hermes.js runs), and writes dist/.built, the stamp bin/hermes.js
// compares with the sources' times to tell whether the build is current.
//
// Why a bundle: on Node 20 (no module compile cache) `serve` spent about a third of its start-up resolving, reading
// and compiling some 2,000 separate module files of fastify, knex and the SDKs; one bundle with code-split chunks
// (each command still loads only its own) took `serve` to /health from ~3.1 s to ~2.0 s of CPU (docs/benchmarks.md).
// Left outside the bundle, loaded from node_modules as before: native addons, packages that start worker threads
// from their own files (pino transports) or read their own files by __dirname (which an ES module bundle has not),
// and knex's optional database drivers that HERMES does not install.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
let tsc;
try {
  // typescript's exports map hides bin/, so the compiler is found next to its package.json.
  tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  // `npm ci --omit=dev` has no compiler: the install must still succeed (a build made elsewhere may be copied in),
  // and bin/hermes.js says what to do if there is none.
  console.error('hermes build: typescript is not installed (npm ci --omit=dev?); dist/ left as it is. Run `npm run build` where dev dependencies are installed.');
  process.exit(0);
}
rmSync(dist, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  // Half a build must not look current to bin/hermes.js.
  rmSync(dist, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}

const EXTERNAL = [
  'better-sqlite3', 'pg', 'pg-query-stream', // native addon; pg is loaded by knex only for a postgres:// URL
  'pino', 'pino-pretty', 'thread-stream', // transports run in worker threads from their own files
  '@fastify/static', '@fastify/swagger', '@fastify/swagger-ui', // read their own files (Swagger UI assets, package.json)
  'mysql', 'mysql2', 'mariadb', 'oracledb', 'tedious', 'sqlite3', // knex dialects HERMES does not use
  'twilio', // 8 MB bundled, most of it REST resources its own index loads lazily: parsing them all cost more than it saved
];
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('hermes build: esbuild is not installed; dist/ keeps only the unbundled build (slower start).');
}
if (esbuild) {
  try {
    await esbuild.build({
      // The bench's child processes (callers, fake providers, cluster workers) are forked by their file names beside
      // the bench code.
      entryPoints: {
        cli: join(dist, 'src/cli.js'), loadgen: join(dist, 'src/bench/loadgen.js'),
        'fakes-process': join(dist, 'src/bench/fakes-process.js'), worker: join(dist, 'src/bench/worker.js'),
      },
      outdir: join(dist, 'bundle'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      // Bundled CommonJS packages call require(); an ES module has none of its own.
      banner: { js: "import { createRequire as __hermesRequire } from 'node:module'; const require = __hermesRequire(import.meta.url);" },
      // Stack traces map back to dist/src with NODE_OPTIONS=--enable-source-maps (off by default: it slows start-up).
      sourcemap: 'linked',
      logLevel: 'warning',
    });
  } catch (err) {
    rmSync(dist, { recursive: true, force: true });
    console.error(`hermes build: bundling failed: ${err.message}`);
    process.exit(1);
  }
}
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
