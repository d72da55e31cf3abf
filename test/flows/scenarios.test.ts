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

describe('what callers of the bundled intake hear and what it does', () => {
  const runScript = async (file: string) => simulate(flow, await readScript(`flows/tests/${file}`), createOfflineReasoner());
  const said = (r: Awaited<ReturnType<typeof runScript>>) => r.transcript.filter((t) => t.speaker === 'agent').map((t) => t.text).join('\n');

  it('every call opens with the AI and no-advice disclosures, and claims no recording for a firm that does not record', async () => {
    const r = await runScript('pi-english-basic.yaml');
    expect(r.transcript[0]!.text).toMatch(/AI assistant.*can't give legal advice.*attorney-client relationship/);
    expect(r.transcript[0]!.text).not.toMatch(/record/);
  });

  it('checks conflicts on caller and opposing party before asking for contact details or facts', async () => {
    const r = await runScript('pi-english-basic.yaml');
    expect(r.effects[0]).toEqual({ action: 'clio.conflict_check', args: { caller_name: 'Maria Lopez', opposing_party: 'Acme Trucking', phone: '+13125551234' } });
    const text = said(r);
    expect(text.indexOf('check our records')).toBeLessThan(text.indexOf('the best one to reach you'));
    expect(text.indexOf('check our records')).toBeLessThan(text.indexOf('When did the accident happen'));
    expect(r.effects.find((e) => e.action === 'payment.link_sms')?.args).toMatchObject({ to: '+13125551234', amount: 150 });
    expect(r.effects.find((e) => e.action === 'clio.create_intake')?.args.intake).toMatchObject({ caller_name: 'Maria Lopez', practice_area: 'personal_injury' });
  });

  it('a conflicted caller hears the non-engagement line that mentions deadlines and gives no details', async () => {
    const r = await runScript('conflict-opposing-party.yaml');
    expect(said(r)).toMatch(/not able to help.*statutes of limitations/s);
    expect(r.effects.map((e) => e.action)).toEqual(['clio.conflict_check']);
  });

  it('emergencies go to the on-call number', async () => {
    const r = await runScript('emergency-yes.yaml');
    expect(said(r)).toContain('[transfers the call to +13125550199 (warm)]');
  });

  it('after hours the intake still runs and promises a callback on the next business day', async () => {
    const r = await runScript('pi-after-hours.yaml');
    expect(said(r)).toMatch(/office is closed right now/);
    expect(r.transcript.at(-1)!.text).toMatch(/call you back on the next business day/);
  });

  it('a statute-of-limitations risk is flagged and the caller is told it is urgent', async () => {
    const r = await runScript('pi-sol-near.yaml');
    expect(said(r)).toMatch(/legal deadline may be coming up soon/);
  });

  it('Spanish callers hear Spanish prompts', async () => {
    const r = await runScript('pi-spanish.yaml');
    expect(said(r)).toContain('¿Cuándo ocurrió el accidente?');
    expect(r.transcript.at(-1)!.text).toMatch(/^Eso es todo lo que necesito, María López/);
  });
});

describe('corrections with the real offline reasoner', () => {
  it('"no, my name is ..." during a later question fixes the name and asks that question again', async () => {
    const { createConversation } = await import('../../src/flows/index.js');
    const c = createConversation(flow, { callSid: 'CA-corr', from: '+13125551234', to: '+13125550100', startedAt: new Date('2026-11-24T15:00:00Z'), channel: 'simulate' }, { reasoner: createOfflineReasoner() });
    await c.start();
    const utter = (text: string) => c.handle({ type: 'utterance', text, alternatives: [{ text, confidence: 0.95 }], confidence: 0.95, final: true });
    await utter('Maria Lopes');
    const out = await utter('no, my name is Maria Lopez');
    expect(out).toContainEqual({ type: 'slot', name: 'caller_name', value: 'Maria Lopez', confirmed: true });
    const listen = out.find((x) => x.type === 'listen') as { expect: { slot?: string } } | undefined;
    expect(listen?.expect.slot).toBe('is_emergency');
    expect(c.slots().is_emergency).toBeUndefined();
  });
});
