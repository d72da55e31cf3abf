// scripts/check-imports.mjs, the layering gate in .ci/run: it fails on shipped code that imports test/ and on an
// import circle (type-only edges included), names the edges, and passes on this repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const SCRIPT = join(REPO, 'scripts/check-imports.mjs');
const dirs: string[] = [];

function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hermes-imports-'));
  dirs.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const check = (root: string) => spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('check-imports', () => {
  it('passes on this repository', () => {
    const r = check(REPO);
    expect(r.stderr).toContain('no import circle');
    expect(r.status).toBe(0);
  });

  it('fails when shipped code imports test/, statically, dynamically or by URL', () => {
    const root = fixture({
      'src/a.ts': "import { x } from '../test/fakes/x.js';\nexport const a = x;\n",
      'src/b.ts': "export const b = () => import('../test/y.js');\n",
      'src/c.ts': "export const c = new URL('../test/corpus/', import.meta.url);\n",
      'test/fakes/x.ts': 'export const x = 1;\n',
    });
    const r = check(root);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('src/a.ts imports ../test/fakes/x.js');
    expect(r.stderr).toContain('src/b.ts imports ../test/y.js');
    expect(r.stderr).toContain('src/c.ts imports ../test/corpus/');
  });

  it('fails on a type-only import circle and shows the loop', () => {
    const root = fixture({
      'src/app.ts': "import type { Deps } from './api/users.js';\nexport interface App { deps: Deps }\n",
      'src/api/users.ts': "import type { App } from '../app.js';\nexport interface Deps { app?: App }\n",
    });
    const r = check(root);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/import circle \(2 modules\): src\/api\/users\.ts -> src\/app\.ts -> src\/api\/users\.ts/);
  });

  it('ignores paths named in comments and imports of packages', () => {
    const root = fixture({
      'src/a.ts': "// reads test/corpus/*.yaml, see '../test/corpus/'\n/* import x from '../test/x.js' */\nimport { parse } from 'yaml';\nexport const a = parse;\n",
    });
    const r = check(root);
    expect(r.stderr).toContain('1 modules');
    expect(r.status).toBe(0);
  });
});
