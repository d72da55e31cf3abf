#!/usr/bin/env node
// Top items of V8 CPU profiles (`hermes bench --profile-dir`, `node --cpu-prof`): self time per function summed over
// every .cpuprofile given (files or folders), as a share of busy time (everything but "(idle)").
// Usage: node scripts/profile-top.mjs <file-or-dir>... [--top 25]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
const files = args.flatMap((a) => (statSync(a).isDirectory() ? readdirSync(a).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(a, f)) : [a]));
if (files.length === 0) {
  console.error('usage: node scripts/profile-top.mjs <file-or-dir>... [--top N]');
  process.exit(2);
}
const self = new Map();
let total = 0;
let idle = 0;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    const f = byId.get(id).callFrame;
    total += us;
    if (f.functionName === '(idle)') {
      idle += us;
      return;
    }
    const where = f.url ? `${relative(process.cwd(), f.url.replace(/^file:\/\//, '')) || basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + us);
  });
}
const busy = total - idle;
console.log(`${files.length} profile(s): ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(1)}%)`);
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}`);
}
