// Every declared dependency is used: a package nothing imports only costs install time, image size and audit noise.
// Packages used without an import statement are listed with the reason.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

const USED_WITHOUT_IMPORT: Record<string, string> = {
  'better-sqlite3': 'the knex driver for sqlite:// URLs, loaded by knex',
  typescript: 'tsc: the type check and the build',
  tsx: 'bin/hermes.js runs the sources through it in a checkout without a current build',
  vitest: 'the test runner',
  oxlint: 'the linter (npm run lint)',
  'oxlint-tsgolint': 'type-aware rules of the linter',
  'pino-pretty': 'loaded by name with require() only when logs go to a terminal',
  'axe-core': 'its axe.min.js is injected into the page by the browser tests (test/web/app-e2e.test.ts)',
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'dist' && name !== 'node_modules') sources(p, out); }
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

describe('package.json dependencies', () => {
  const text = ['src', 'test', 'bin', 'migrations', 'scripts', 'web'].flatMap((d) => sources(join(REPO, d))).join('\n');
  const imported = (name: string) => new RegExp(`(from|import\\(|require\\()\\s*'${name.replace(/[/.]/g, '\\$&')}(/[^']*)?'`).test(text);

  it.each(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !n.startsWith('@types/')))('%s is imported or has a stated use', (name) => {
    expect(imported(name) || name in USED_WITHOUT_IMPORT).toBe(true);
  });
});
