// Issue 10 through the engine and the bundled flow: every phrase the issue quotes ends as the right stored value or a
// read-back the caller confirms, names reach the goodbye as written, and an unsure date never drives an emergency.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { simulate, type SimulationResult } from '../../src/simulate/run.js';
import type { CallerScriptT } from '../../src/simulate/script.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

const AT = '2026-11-24T10:00:00-05:00'; // a Tuesday; Thanksgiving 2026 is Thursday the 26th
const BASE = { is_emergency: 'no', existing_client: 'no', callback_phone: '312 555 1234', email: 'skip', opposing_party: 'none', description: 'I hurt my back' };

async function call(answers: Record<string, string>, expect: Record<string, unknown> = {}, language?: 'es'): Promise<SimulationResult> {
  const script = { caller: { from: '+13125551234', to: '+13125550100', at: AT, ...(language ? { language } : {}) }, answers: { ...BASE, ...answers }, default: "I'm not sure", expect: { slots: expect } } as CallerScriptT;
  return simulate(flow, script, createOfflineReasoner());
}
const transcript = (r: SimulationResult) => r.transcript.map((t) => `${t.speaker}: ${t.text}`).join('\n');
const agent = (r: SimulationResult) => r.transcript.filter((t) => t.speaker === 'agent').map((t) => t.text).join('\n');
const readBack = (r: SimulationResult, slot: string) => r.readBacks.find((b) => b.slot === slot);

describe('person names as said', () => {
  it.each([
    ['my name is Dana Whitfield, I, uh, I slipped at the store', 'Dana Whitfield'],
    ['Greg, uh, Gregory McDonald', 'Gregory McDonald'],
    ['Marisol Vega Ortiz, with a hyphen, Vega, hyphen, Ortiz', 'Marisol Vega-Ortiz'],
    ['Nguyen. Minh Nguyen. Spelled N G U Y E N', 'Minh Nguyen'],
    ['Kevin O apostrophe Brien', "Kevin O'Brien"],
    ["it's, uh, well, Maria de la Cruz, I'm calling about my son", 'Maria de la Cruz'],
    ['Reginald Thompson the third', 'Reginald Thompson III'],
  ])('"%s" is stored as %s and the caller hears it written that way', async (said, name) => {
    const r = await call({ caller_name: said, practice_area: 'car accident' }, { caller_name: name });
    expect(r.intake.caller_name, transcript(r)).toBe(name);
    expect(agent(r)).not.toMatch(/apostrophe|hyphen|spelled|\bI slipped\b/i);
  });

  it('"hi there, this is Omar" and "Sí, buenas noches, habla Ana Torres" at the open question give the name', async () => {
    const en = await call({ reason_for_call: 'hi there, this is Omar, I was in a car accident', practice_area: 'car accident' });
    expect(en.intake.caller_name, transcript(en)).toBe('Omar');
    const es = await call({ reason_for_call: 'Sí, buenas noches, habla Ana Torres García, tuve un accidente de carro', practice_area: 'accidente' }, {}, 'es');
    expect(es.intake.caller_name, transcript(es)).toBe('Ana Torres García');
  });
});

describe('other parties as said', () => {
  it('"the other driver was a guy named kevin walsh" is Kevin Walsh, and the conflict check gets the name', async () => {
    const r = await call({ caller_name: 'Dana Whitfield', practice_area: 'car accident', opposing_party: 'the other driver was a guy named kevin walsh' }, { opposing_party: 'Kevin Walsh' });
    expect(r.intake.opposing_party, transcript(r)).toBe('Kevin Walsh');
    expect(r.effects.find((e) => e.action === 'clio.conflict_check')!.args).toMatchObject({ opposing_party: 'Kevin Walsh' });
  });

  it('"my husband, arjun raman" (lower case, not a known name) is read back as Arjun Raman before it counts', async () => {
    const r = await call({ caller_name: 'Priya Raman', practice_area: 'divorce', opposing_party: 'my husband, arjun raman' }, { opposing_party: 'Arjun Raman' });
    expect(readBack(r, 'opposing_party'), transcript(r)).toEqual({ slot: 'opposing_party', value: 'Arjun Raman', confirmed: true });
    expect(r.intake.opposing_party).toBe('Arjun Raman');
  });

  it('"the store, it was the Jewel-Osco on Clark Street" is Jewel-Osco; a script listing "Jewel Osco" is a conflict, as in production', async () => {
    const script = { caller: { from: '+13125551234', to: '+13125550100', at: AT }, answers: { ...BASE, caller_name: 'Dana Whitfield', practice_area: 'slip and fall', opposing_party: 'the store, it was the Jewel-Osco on Clark Street' }, default: "I'm not sure", conflicts: ['Jewel Osco'] } as CallerScriptT;
    const r = await simulate(flow, script, createOfflineReasoner());
    expect(r.intake.opposing_party).toBe('Jewel-Osco');
    expect(r.outcome, transcript(r)).toBe('conflict');
  });
});

describe('dates as said (personal injury, incident date)', () => {
  const pi = (said: string, want: string, language?: 'es') => call({ caller_name: language ? 'Ana Torres' : 'Dana Whitfield', practice_area: language ? 'accidente' : 'car accident', incident_date: said, ...(language ? { opposing_party: 'ninguna', description: 'me lastimé la espalda', email: 'omitir' } : {}) }, { incident_date: want }, language);

  it.each([
    ['it was last month on the 3rd', '2026-10-03'],
    ['two weeks ago Friday', '2026-11-13'],
    ['the day after Thanksgiving', '2025-11-28'],
    ['October twenty-ninth, no wait, the twenty-eighth', '2026-10-28'],
  ])('"%s" is %s', async (said, want) => {
    const r = await pi(said, want);
    expect(r.intake.incident_date, transcript(r)).toBe(want);
    expect(r.outcome).not.toBe('transferred');
  });

  it.each([
    ['el mes pasado, el día tres', '2026-10-03'],
    ['el tres de marzo', '2026-03-03'],
    ['el 3 de octubre, no, perdón, el 4', '2026-10-04'],
  ])('Spanish "%s" is %s', async (said, want) => {
    const r = await pi(said, want, 'es');
    expect(r.intake.incident_date, transcript(r)).toBe(want);
  });

  it('"back in March" is kept as the month (2026-03), read back as the month, never as the 1st', async () => {
    const r = await pi('back in March', '2026-03');
    expect(readBack(r, 'incident_date'), transcript(r)).toEqual({ slot: 'incident_date', value: '2026-03', confirmed: true });
    expect(agent(r)).toContain('March 2026');
    expect(r.intake.incident_date).toBe('2026-03');
  });

  it('"hace dos semanas" is approximate: read back with its weekday before it counts', async () => {
    const r = await pi('hace dos semanas', '2026-11-10', 'es');
    expect(readBack(r, 'incident_date'), transcript(r)).toMatchObject({ value: '2026-11-10', confirmed: true });
    expect(agent(r)).toContain('el 10 de noviembre de 2026, un martes');
  });

  it('a weekday that does not agree with the day is asked about: "October 28th, it was a Thursday"', async () => {
    const r = await pi('October 28th, it was a Thursday', '2026-10-28');
    expect(readBack(r, 'incident_date'), transcript(r)).toMatchObject({ value: '2026-10-28', confirmed: true });
    expect(agent(r)).toContain('the 28th of October 2026, a Wednesday');
  });
});

describe('emergencies decide on certain dates only', () => {
  const family = (hearing: string) => call({ caller_name: 'Dana Whitfield', practice_area: 'custody', opposing_party: 'my ex-husband, Mark Whitfield', children: 'yes', safety_concern: 'no', existing_orders: 'no', hearing_date: hearing });

  it('a hearing "sometime in December" (month only) is no hearing within two days', async () => {
    const r = await family('sometime in December');
    expect(r.intake.hearing_date, transcript(r)).toBe('2026-12');
    expect(agent(r)).not.toMatch(/on-call attorney now/);
  });

  it('a hearing the day after tomorrow is urgent', async () => {
    const r = await family('this Thursday');
    expect(r.intake.hearing_date, transcript(r)).toBe('2026-11-26');
    expect(agent(r)).toMatch(/on-call attorney now/);
  });
});
