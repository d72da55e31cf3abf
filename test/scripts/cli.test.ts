// The `hermes` entry point: commands load lazily (src/cli.ts and the command table import nothing but commander, so
// `hermes --help` pays for no SDK), the table's summaries are what each command registers, and bin/hermes.js picks
// the compiled build only while it is current.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandFor } from '../../src/commands/index.js';

const REPO = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(REPO, p), 'utf8');
const valueImports = (file: string) =>
  [...read(file).matchAll(/^import (?!type )[^;]*?from '([^']+)'/gm)].map((m) => m[1]);

describe('hermes command table', () => {
  it('is all src/cli.ts and src/commands/index.ts import besides commander and the .env loader', () => {
    expect(valueImports('src/cli.ts')).toEqual(['commander', './commands/index.js', './env-file.js']);
    expect(valueImports('src/env-file.ts')).toEqual(['node:fs', 'node:path']);
    expect(valueImports('src/commands/index.ts')).toEqual([]);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s registers itself under its name with the summary the help shows', async (_name, c) => {
    const program = new Command();
    (await c.load())(program);
    const registered = program.commands.find((x) => x.name() === c.name);
    expect(registered?.description()).toBe(c.summary);
  });

  it('picks the command from the first word, or the word after help', () => {
    expect(commandFor(['serve', '--port', '3000'])?.name).toBe('serve');
    expect(commandFor(['help', 'migrate'])?.name).toBe('migrate');
    expect(commandFor(['--help'])).toBeUndefined();
    expect(commandFor(['servee'])).toBeUndefined();
  });

  it('prints the top-level help with every command, and a suggestion for a typo', () => {
    const help = spawnSync(process.execPath, ['bin/hermes.js', '--help'], { cwd: REPO, encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${c.name} `, 'm'));
    const typo = spawnSync(process.execPath, ['bin/hermes.js', 'servee'], { cwd: REPO, encoding: 'utf8' });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('Did you mean serve?');
  });
});

describe('bin/hermes.js', () => {
  // A copy of bin/ with a fake dist/ and src/, each printing which one ran, so the choice is observable.
  const dir = mkdtempSync(join(tmpdir(), 'hermes-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(REPO, 'bin'), join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  mkdirSync(join(dir, 'dist/src'), { recursive: true });
  writeFileSync(join(dir, 'dist/src/cli.js'), "console.log('ran dist');\n");
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src/cli.ts'), "console.log('ran src');\n");
  // tsx resolves from the copy's node_modules: link the repository's.
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const run = () => spawnSync(process.execPath, [join(dir, 'bin/hermes.js')], { encoding: 'utf8' }).stdout.trim();
  const age = (p: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(dir, p), t, t);
  };

  it('runs dist/ when its build stamp is newer than every source, and the sources through tsx otherwise', () => {
    expect(run()).toBe('ran src'); // never built
    writeFileSync(join(dir, 'dist/.built'), 'now\n');
    age('src/cli.ts', 60);
    expect(run()).toBe('ran dist');
    age('dist/.built', 120); // a source edited after the build
    expect(run()).toBe('ran src');
  });

  it('runs dist/ when the sources are not shipped (installed package, Docker image)', () => {
    writeFileSync(join(dir, 'dist/.built'), 'now\n');
    rmSync(join(dir, 'src'), { recursive: true });
    expect(run()).toBe('ran dist');
  });

  it('prefers the esbuild bundle in dist/bundle/ over tsc\'s module tree when the build made one', () => {
    writeFileSync(join(dir, 'dist/.built'), 'now\n');
    mkdirSync(join(dir, 'dist/bundle'), { recursive: true });
    writeFileSync(join(dir, 'dist/bundle/cli.js'), "console.log('ran bundle');\n");
    expect(run()).toBe('ran bundle');
    rmSync(join(dir, 'dist/bundle'), { recursive: true });
    expect(run()).toBe('ran dist');
  });
});
