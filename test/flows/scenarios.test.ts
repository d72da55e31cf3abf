// Every caller script in flows/tests runs against the bundled intake flow with the real offline reasoner.
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { simulate } from '../../src/simulate/run.js';
import { readScript } from '../../src/simulate/script.js';

const scripts = readdirSync('flows/tests').filter((f) => f.endsWith('.yaml')).sort();
let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

describe('scenario scripts in flows/tests', () => {
  it('there are at least 30, covering every practice area, both languages, emergencies, conflicts, silence and hang-ups', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(30);
    for (const topic of ['pi-', 'family-', 'criminal-', 'immigration-', 'estate-', 'spanish', 'emergency-', 'conflict-', 'correction', 'silence-', 'hangup-'])
      expect(scripts.some((s) => s.includes(topic)), topic).toBe(true);
  });

  it.each(scripts)('%s meets its expectations', async (file) => {
    const script = await readScript(`flows/tests/${file}`);
    const result = await simulate(flow, script, createOfflineReasoner());
    expect(result.failures, result.transcript.map((t) => `${t.speaker}: ${t.text}`).join('\n')).toEqual([]);
    expect(script.expect?.outcome).toBeDefined();
  });
});
