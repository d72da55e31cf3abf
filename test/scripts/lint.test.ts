// The house lint configuration (.oxlintrc.json + scripts/lint/hermes-plugin.mjs) fails on what the house forbids:
// imports out of group order, unused code; and passes a module that follows the rules. (Floating promises need type
// information from the whole project; the type-aware run is the `lint` gate in .ci/run.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importGroup } from '../../scripts/lint/hermes-plugin.mjs';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'hermes-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lint(name: string, text: string, ...flags: string[]) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const oxlint = join(REPO, 'node_modules/.bin/oxlint');
  const r = spawnSync(oxlint, ['-c', join(REPO, '.oxlintrc.json'), '--quiet', ...flags, file], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr, text: () => readFileSync(file, 'utf8') };
}

describe('house lint rules', () => {
  it('groups imports as built-ins, packages, relative paths', () => {
    expect([importGroup('node:fs'), importGroup('fs'), importGroup('fastify'), importGroup('@deepgram/sdk'), importGroup('./x.js'), importGroup('../y.js')]).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('fails on an import out of order, naming both imports', () => {
    const r = lint('order.ts', "import { parse } from 'yaml';\nimport { join } from 'node:path';\nexport const f = () => [parse, join];\n");
    expect(r.code).toBe(1);
    expect(r.out).toContain("hermes(import-order)");
    expect(r.out).toContain("Node built-in import 'node:path' comes after the package import 'yaml'");
  });

  it('sorts a block of imports by group with --fix, keeping the order inside each group', () => {
    const r = lint('fix.ts', "// head\nimport { parse } from 'yaml';\nimport { x } from './x.js';\nimport { join } from 'node:path';\nimport { readFileSync } from 'node:fs';\nexport const f = () => [parse, x, join, readFileSync];\n", '--fix');
    expect(r.text()).toBe("// head\nimport { join } from 'node:path';\nimport { readFileSync } from 'node:fs';\nimport { parse } from 'yaml';\nimport { x } from './x.js';\nexport const f = () => [parse, x, join, readFileSync];\n");
    expect(lint('fix.ts', r.text()).code).toBe(0);
  });

  it('fails on an unused import or variable', () => {
    const r = lint('unused.ts', "import { join } from 'node:path';\nconst left = 1;\nexport const f = () => 2;\n");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no-unused-vars.*'join'|'join'.*never used/s);
    expect(r.out).toMatch(/'left'/);
  });

  it('passes a module that follows the rules', () => {
    const r = lint('good.ts', "import { join } from 'node:path';\nimport { parse } from 'yaml';\nimport type { X } from './x.js';\nexport const f = (x: X) => [parse, join, x];\n");
    expect(r.out).not.toMatch(/ x /);
    expect(r.code).toBe(0);
  });
});
