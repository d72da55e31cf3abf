// The bundled intake flow with the `cues:` this branch suggests for flows/*.yaml (test/reasoning/fixtures/
// suggested-cues.json), run through `simulate` with the offline reasoner: opening statements fill several slots and
// their questions are not asked.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { simulate } from '../../src/simulate/run.js';
import type { CallerScriptT } from '../../src/simulate/script.js';

const cues = JSON.parse(readFileSync(new URL('./fixtures/suggested-cues.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
let dir = '';
let flow: LoadedFlow;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hermes-cues-'));
  mkdirSync(join(dir, 'practice'));
  const files = ['intake.yaml', ...readdirSync('flows/practice').map((f) => `practice/${f}`)];
  for (const f of files) {
    const doc = YAML.parseDocument(readFileSync(join('flows', f), 'utf8'));
    for (const [slot, list] of Object.entries(cues[f] ?? {})) {
      const node = doc.getIn(['slots', slot], true) as YAML.YAMLMap | undefined;
      if (!node) throw new Error(`${f}: no slot ${slot}`);
      node.flow = false;
      node.set('cues', doc.createNode(list));
    }
    writeFileSync(join(dir, f), doc.toString());
  }
  flow = await loadFlow(join(dir, 'intake.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const caller = { from: '+13125551234', to: '+13125550100', at: '2026-11-24T10:00:00-05:00' };
const asked = (t: { speaker: string; text: string }[], words: RegExp) => t.some((x) => x.speaker === 'agent' && words.test(x.text));

describe('opening statements through the bundled flow with suggested cues', () => {
  it('a run-on accident story fills name, date, other party and area, and those questions are skipped', async () => {
    const script = {
      caller,
      opening: 'I got rear-ended last Friday. The other driver was a guy named Kevin Walsh. My name is Dana Whitfield',
      answers: { is_emergency: 'no', existing_client: 'no', callback_phone: '312 555 1234', email: 'skip', description: 'my neck hurts' },
      default: "I'm not sure",
    } as CallerScriptT;
    const r = await simulate(flow, script, createOfflineReasoner());
    expect(r.intake).toMatchObject({ caller_name: 'Dana Whitfield', opposing_party: 'Kevin Walsh', incident_date: '2026-11-20', practice_area: 'personal_injury' });
    expect(asked(r.transcript, /other person or company involved/)).toBe(false);
    expect(asked(r.transcript, /When did the accident happen/)).toBe(false);
  });

  it('"my grandson was just arrested, I\'m his grandmother Rosa Diaz" keeps the name and the matter before the transfer', async () => {
    const script = { caller, opening: "my grandson was just arrested, I'm his grandmother Rosa Diaz", answers: { callback_phone: '312 555 1234' }, default: "I'm not sure" } as CallerScriptT;
    const r = await simulate(flow, script, createOfflineReasoner());
    expect(r.outcome).toBe('transferred');
    expect(r.intake).toMatchObject({ caller_name: 'Rosa Diaz', practice_area: 'criminal', in_custody: true });
  });
});
