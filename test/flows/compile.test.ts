// Load-time checks: the bundled flows pass, the published schema is current, and each deliberately broken flow fails
// with the right position and a message a firm's office manager can act on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowLoadError, loadFlow } from '../../src/flows/index.js';
import { loadProgram } from '../../src/flows/load.js';
import { schemaText } from '../../src/commands/flows.js';

async function issuesOf(file: string) {
  try {
    await loadProgram(file);
  } catch (err) {
    if (err instanceof FlowLoadError) return err.issues;
    throw err;
  }
  return [];
}

describe('flow loading', () => {
  it('the committed flows/flow.schema.json matches the TypeBox definition (run `hermes flows schema --write`)', () => {
    expect(readFileSync('flows/flow.schema.json', 'utf8')).toBe(schemaText());
  });

  it('the bundled intake flow and every practice subflow load without problems', async () => {
    const flow = await loadFlow('flows/intake.yaml');
    expect(flow.id).toBe('intake');
    for (const sub of ['personal_injury', 'family', 'criminal', 'immigration', 'estate'])
      await expect(loadProgram(`flows/practice/${sub}.yaml`, { allowSubflow: true })).resolves.toBeTruthy();
  });

  it('the bundled flows declare the public slot names with their contract types', async () => {
    const p = await loadProgram('flows/intake.yaml');
    const want: Record<string, string> = {
      caller_name: 'person_name', callback_phone: 'phone', email: 'email', existing_client: 'yes_no', is_emergency: 'yes_no',
      practice_area: 'enum', opposing_party: 'text', incident_date: 'date', description: 'text', county: 'text',
      referral_source: 'text', injuries: 'text', police_report: 'yes_no', children: 'yes_no', hearing_date: 'date',
      charges: 'text', in_custody: 'yes_no', next_court_date: 'date', immigration_status: 'text', detained: 'yes_no',
      decedent_name: 'person_name', date_of_death: 'date', has_will: 'yes_no',
    };
    for (const [slot, type] of Object.entries(want)) expect(p.slots.get(slot)?.type, slot).toBe(type);
    expect(p.slots.get('practice_area')!.values!.map((v) => v.value)).toEqual(['personal_injury', 'family', 'criminal', 'immigration', 'estate', 'other']);
  });

  it('a subflow file without a firm cannot be run as a main flow', async () => {
    await expect(loadFlow('flows/practice/family.yaml')).rejects.toThrow(/firm block/);
  });
});

const B = 'test/flows/broken';
const cases: [string, number, number, RegExp][] = [
  ['unknown-step.yaml', 16, 11, /goes to "finsh", which is not a step .*did you mean "finish"/],
  ['unknown-slot.yaml', 18, 10, /asks for slot "favourite_color", which is not declared under slots/],
  ['unreachable.yaml', 19, 3, /step "orphan" can never be reached/],
  ['loop-without-question.yaml', 17, 3, /ping -> pong loop forever without asking the caller anything/],
  ['read-before-set.yaml', 20, 16, /reads slot "callback_phone" before any step can have asked for it/],
  ['missing-translation.yaml', 20, 7, /no Spanish \(es\) text for "say"/],
  ['transfer-without-number.yaml', 18, 15, /transfers the call but gives no number/],
  ['effect-without-failure.yaml', 17, 3, /runs clio.create_intake but says nothing about failure; add on_failure/],
  ['card-number-by-voice.yaml', 20, 13, /payment card details by voice, which is never allowed.*payment.link_sms/],
  ['unknown-setting.yaml', 17, 5, /unknown setting "retries"/],
  ['bad-condition.yaml', 19, 27, /condition "caller_name ==" cannot be read/],
  ['bad-slot-type.yaml', 10, 24, /"type" must be one of text, person_name, phone/],
  ['not-yaml.yaml', 6, 3, /not valid YAML/],
  ['missing-subflow.yaml', 18, 14, /calls subflow "practice\/missing.yaml", but there is no file/],
];

describe('broken flows are refused at load with file:line:col', () => {
  it.each(cases)('%s fails at line %i col %i', async (file, line, col, message) => {
    const issues = await issuesOf(`${B}/${file}`);
    const hit = issues.find((i) => message.test(i.message));
    expect(hit, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(hit).toMatchObject({ file: `${B}/${file}`, line, col });
  });

  it('a flow that collects a card number by voice is refused for the slot name too', async () => {
    const issues = await issuesOf(`${B}/card-number-by-voice.yaml`);
    expect(issues.some((i) => /slot "card_number" looks like payment card data/.test(i.message))).toBe(true);
  });
});
