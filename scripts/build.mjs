#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` builds): compiles src/ and migrations/ to dist/ with tsc
// (tsconfig.build.json), from an empty dist/ so a deleted source leaves no stale module behind, then writes
// dist/.built, the stamp bin/hermes.js compares with the sources' times to tell whether the build is current.
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
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
