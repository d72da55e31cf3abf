// The flow registry caches flows by identity (real path or stored reference), not by spelling, and stays bounded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE_FLOW, startHarness, type Harness } from '../telephony/harness.js';
import { FLOW_CACHE_MAX } from '../../src/services.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ deepgram: null });
});
afterAll(async () => {
  await h.close();
});

describe('flow cache', () => {
  it('200 distinct spellings of one flow path leave one cache entry, and every spelling gets the same flow', async () => {
    const flows = h.services.flows;
    const rel = relative(process.cwd(), PHONE_FLOW);
    const spellings = new Set<string>();
    // 20 prefixes of ./ times 10 slash widths: 200 spellings of the same file, relative to the working directory.
    for (let dots = 0; dots < 20; dots++) {
      for (let w = 1; w <= 10; w++) spellings.add('./'.repeat(dots) + rel.split('/').join('/'.repeat(w)));
    }
    expect(spellings.size).toBe(200);
    const loaded = await Promise.all([...spellings].map((s) => flows.get(s)));
    expect(new Set(loaded).size).toBe(1);
    expect(flows.cacheSize!()).toBe(1);
  });

  it('is bounded: more distinct flows than it holds leave it at its limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hermes-flows-'));
    const text = readFileSync(PHONE_FLOW, 'utf8');
    for (let i = 0; i < FLOW_CACHE_MAX + 6; i++) {
      const file = join(dir, `f${i}.yaml`);
      writeFileSync(file, text);
      await h.services.flows.get(file);
    }
    expect(h.services.flows.cacheSize!()).toBe(FLOW_CACHE_MAX);
    rmSync(dir, { recursive: true, force: true });
  });
});
