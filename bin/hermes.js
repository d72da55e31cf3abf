#!/usr/bin/env node
// Entry point of `hermes`. Runs the compiled JavaScript in dist/ (built by `npm run build`, which `npm ci` runs
// through `prepare`): the esbuild bundle dist/bundle/ (faster to start), or tsc's module tree dist/src/ when the build
// had no esbuild. In a development checkout whose src/ or migrations/ changed after the last build, or that was
// never built, it runs the TypeScript sources through tsx instead (a dev dependency), so an edit is never hidden by a
// stale build. An installed package or the Docker image ships dist/ without src/ and always runs dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built');

/** The newest modification time of any file below dir (0 when dir is absent). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) max = Math.max(max, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return max;
}

function buildIsCurrent() {
  if (!existsSync(stamp)) return false;
  if (!existsSync(join(root, 'src'))) return true;
  const built = statSync(stamp).mtimeMs;
  return newest(join(root, 'src')) <= built && newest(join(root, 'migrations')) <= built;
}

// Node 22.1+ keeps compiled bytecode of every loaded module on disk between runs (a third or more off start-up);
// absent on Node 20, where this is a no-op.
module.enableCompileCache?.();

if (buildIsCurrent()) {
  if (existsSync(join(root, 'dist', 'bundle', 'cli.js'))) await import('../dist/bundle/cli.js');
  else await import('../dist/src/cli.js');
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error('hermes: dist/ is missing or older than src/, and tsx (a dev dependency) is not installed: run `npm run build`');
    process.exit(1);
  }
  if (process.stderr.isTTY) console.error('hermes: running the TypeScript sources through tsx (dist/ is missing or older than src/; `npm run build` makes start-up fast)');
  register();
  await import('../src/cli.ts');
}
