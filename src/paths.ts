// Where the package's shipped data folders are (flows/, corpus/), found from this module's own location so the same
// code works from the TypeScript sources (src/paths.ts) and from the compiled build (dist/src/paths.js), which sit at
// different depths below the package root. Never depends on the working directory.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}: HERMES is installed without its package files`);
    dir = up;
  }
}

/** The folder holding package.json, flows/, corpus/ and migrations/. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package (`packagePath('flows', 'intake.yaml')`). */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

/**
 * A sibling module of `moduleUrl` by base name, with the extension the caller itself runs under (`.ts` from the
 * sources, `.js` from the build), and the Node flags a child process needs to run it.
 */
export function siblingModule(moduleUrl: string, baseName: string): { path: string; execArgv: string[] } {
  const ts = moduleUrl.endsWith('.ts');
  return { path: fileURLToPath(new URL(`./${baseName}${ts ? '.ts' : '.js'}`, moduleUrl)), execArgv: ts ? ['--import', 'tsx'] : [] };
}
