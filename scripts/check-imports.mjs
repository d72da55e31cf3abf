#!/usr/bin/env node
// House layering check, run by .ci/run as a gate (and by test/scripts/check-imports.test.ts on fixtures):
//   1. nothing under src/ (or bin/, migrations/) imports test/: what ships must not need the tests;
//   2. no import circle among the shipped modules, type-only imports included (a type circle is still a design
//      circle, and it becomes a runtime one the day someone imports a value along the same edge).
// Plain Node with no dependencies, so it runs before anything is built. Usage: node scripts/check-imports.mjs [root]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Circles known and owned elsewhere, reported as warnings until their owner cuts them. Keep this list empty: an entry
// is a debt with a name on it, not a permission.
// Circles the house has agreed to carry for now (none: the last, reasoning/types.ts <-> interpretation.ts, was cut by
// moving the shared value types to reasoning/values.ts).
const KNOWN_CIRCLES = [];

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SHIPPED = ['src', 'bin', 'migrations'];

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// Static imports and re-exports (`import x from`, `import type {..} from`, `export * from`), side-effect imports,
// dynamic `import('...')` with a literal, and `new URL('...', import.meta.url)` (a file loaded by path at run time).
const SPECIFIER = [
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bnew\s+URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g,
];

/**
 * Comments removed so a path mentioned in prose is not an import: line comments first (one may hold `/*`, as in
 * "corpus/*.yaml"), then block comments; both only where they start a line or follow whitespace, so `//` inside a URL
 * string stays.
 */
const stripComments = (src) => src.replace(/(^|\s)\/\/.*$/gm, '$1').replace(/(^|\s)\/\*[\s\S]*?\*\//g, '$1');

function specifiers(file) {
  const text = stripComments(readFileSync(file, 'utf8'));
  const found = new Set();
  for (const re of SPECIFIER) for (const m of text.matchAll(re)) found.add(m[1]);
  return [...found].filter((s) => s.startsWith('.'));
}

/** A relative specifier to the file it names: `./x.js` is `./x.ts` in the sources (NodeNext style). */
function resolveSpecifier(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? base;
}

const files = SHIPPED.flatMap((d) => walk(join(root, d)));
const rel = (p) => relative(root, p).split(sep).join('/');
const problems = [];
const graph = new Map();

for (const file of files) {
  const edges = [];
  for (const spec of specifiers(file)) {
    const target = resolveSpecifier(file, spec);
    const r = rel(target);
    if (r === 'test' || r.startsWith('test/')) problems.push(`${rel(file)} imports ${spec} (shipped code must not depend on test/)`);
    else if (files.includes(target)) edges.push(target);
  }
  graph.set(file, edges);
}

// Tarjan's strongly connected components: every component with more than one module (or a self-import) is a circle.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const circles = [];
function strongConnect(v) {
  idx.set(v, index);
  low.set(v, index);
  index += 1;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      strongConnect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(comp);
  }
}
for (const f of files) if (!idx.has(f)) strongConnect(f);

/** One concrete loop inside a component, so the message shows the edges to cut, not just the members. */
function loopIn(comp) {
  const members = new Set(comp);
  const start = comp.slice().sort()[0];
  const path = [start];
  const seen = new Set([start]);
  const dfs = (v) => {
    for (const w of graph.get(v) ?? []) {
      if (w === start) return true;
      if (members.has(w) && !seen.has(w)) {
        seen.add(w);
        path.push(w);
        if (dfs(w)) return true;
        path.pop();
      }
    }
    return false;
  };
  dfs(start);
  return [...path, start].map(rel).join(' -> ');
}
const known = (c) => KNOWN_CIRCLES.some((k) => k.length === c.length && c.every((m) => k.includes(rel(m))));
for (const c of circles) {
  if (known(c)) console.error(`warning: known import circle, still to cut: ${loopIn(c)}`);
  else problems.push(`import circle (${c.length} modules): ${loopIn(c)}`);
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`check-imports: ${problems.length} problem(s) in ${files.length} modules`);
  process.exit(1);
}
console.error(`check-imports: ${files.length} modules, no import of test/, no import circle`);
