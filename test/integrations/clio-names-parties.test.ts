// Issue 10 at the Clio edge: the caller's name reaches Clio split by the name parser (first / middle / last, particles,
// hyphens, suffixes, two Spanish surnames), and the conflict search gets the party's name as understanding extracted
// it from the caller's phrase, never the phrase, while the Clio note shows each party with the caller's relationship
// to them and the caller's words. The phrases go through the bundled flow and the offline reasoner; Clio is the fake
// speaking API v4.
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { createConversation, loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import type { Command } from '../../src/flows/commands.js';
import { ReadBackWatch } from '../../src/intake/read-backs.js';
import { createEffectRunner } from '../../src/integrations/effect-runner.js';
import { clioConflictCheck } from '../../src/integrations/clio/conflict.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { simulate } from '../../src/simulate/run.js';
import type { CallerScriptT } from '../../src/simulate/script.js';
import { clioWorld, type ClioWorld } from './clio-world.js';
import { drain, seedCall, seedTurns } from './helpers.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

const caller = { from: '+13125550142', to: '+13125550100', at: '2026-11-24T10:00:00-05:00' };

/** The intake the bundled flow keeps for a caller who says `answers`, and the conflict-check effect it asked for. */
async function call(answers: Record<string, string>, language?: 'es') {
  const script = {
    caller: { ...caller, ...(language ? { language } : {}) },
    answers: { is_emergency: 'no', existing_client: 'no', practice_area: 'personal injury', callback_phone: '312 555 0142', email: 'skip', ...answers },
    default: "I'm not sure",
  } as CallerScriptT;
  const r = await simulate(flow, script, createOfflineReasoner());
  const check = r.effects.find((e) => e.action === 'clio.conflict_check');
  expect(check, r.transcript.map((t) => `${t.speaker}: ${t.text}`).join('\n')).toBeDefined();
  return { intake: r.intake, checkArgs: check!.args };
}

describeEachDb('caller names and party names at Clio on %s', (kind) => {
  let w: ClioWorld;
  beforeEach(async () => {
    w = await clioWorld(kind);
  });
  afterEach(async () => w?.close());

  const runner = () => createEffectRunner({ db: w.t.db, log: silentLogger(), now: () => w.clock.now(), conflictCheck: (tid, q, s) => clioConflictCheck(w.access.client(tid), q, s) });
  const searched = () => w.clio.requests.filter((r) => r.method === 'GET' && /contacts\.json|matters\.json/.test(r.path)).map((r) => r.query.get('query') ?? '');

  async function deliver(slots: Record<string, unknown>, turns: [speaker: 'caller' | 'agent', text: string][]) {
    const callSid = await seedCall(w.t.db, w.tenantId);
    await seedTurns(w.t.db, callSid, turns);
    const store = createIntakeStore(w.t.db, { now: () => w.clock.now() });
    for (const [k, v] of Object.entries(slots)) await store.slot(callSid, k, v, true);
    expect(await runner().run({ type: 'effect', id: 'e1', action: 'clio.create_intake', args: {} }, { callSid, tenantId: w.tenantId, slots })).toMatchObject({ ok: true });
    await store.end(callSid, 'completed', slots);
    await drain(w.t.db, w.worker, w.clock);
    return w.clio.contacts.at(-1)!;
  }

  it('"the store, it was the Jewel-Osco on Clark Street": Clio is searched for Jewel-Osco (and "Jewel Osco"), never the phrase, and a firm client filed as "Jewel Osco" is a conflict', async () => {
    w.clio.contacts.push({ id: 900, etag: '"9"', type: 'Company', name: 'Jewel Osco', primary_email_address: null, primary_phone_number: null });
    const { intake, checkArgs } = await call({ caller_name: 'Greg, uh, Gregory McDonald', opposing_party: 'the store, it was the Jewel-Osco on Clark Street' });
    expect(intake).toMatchObject({ caller_name: 'Gregory McDonald', opposing_party: 'Jewel-Osco' });
    const callSid = await seedCall(w.t.db, w.tenantId);
    const r = await runner().run({ type: 'effect', id: 'c1', action: 'clio.conflict_check', args: checkArgs }, { callSid, tenantId: w.tenantId, slots: intake });
    expect(r).toMatchObject({ ok: true, data: { status: 'conflict', matched_names: 'Jewel Osco' } });
    const queries = searched();
    expect(queries).toContain('Jewel-Osco');
    expect(queries).toContain('Jewel Osco');
    expect(queries).toContain('Gregory McDonald');
    expect(queries.some((q) => /store|Clark|it was/i.test(q))).toBe(false);
  });

  it('"my husband, arjun raman" and "the other driver was a guy named kevin walsh": each name searched as a name', async () => {
    w.clio.contacts.push({ id: 901, etag: '"9"', type: 'Person', name: 'Arjun Raman', first_name: 'Arjun', last_name: 'Raman', primary_email_address: null, primary_phone_number: null });
    for (const [said, name, status] of [['my husband, arjun raman', 'Arjun Raman', 'conflict'], ['the other driver was a guy named kevin walsh', 'Kevin Walsh', 'clear']] as const) {
      const { intake, checkArgs } = await call({ caller_name: 'Dana Whitfield', opposing_party: said });
      expect(intake.opposing_party).toBe(name);
      w.clio.requests.length = 0;
      const callSid = await seedCall(w.t.db, w.tenantId);
      const r = await runner().run({ type: 'effect', id: 'c1', action: 'clio.conflict_check', args: checkArgs }, { callSid, tenantId: w.tenantId, slots: intake });
      expect(r).toMatchObject({ ok: true, data: { status } });
      expect(searched()).toContain(name);
      expect(searched().some((q) => /husband|driver|guy named/i.test(q))).toBe(false);
    }
  });

  it('a party answer through the engine: the Clio note shows each party with its relationship and the caller\'s words; the conflict search gets each bare name, separately', async () => {
    const said = 'the other driver was a guy named kevin walsh and his employer Acme Trucking';
    const core = createConversation(flow, { callSid: 'CAPARTIES', from: caller.from, to: caller.to, startedAt: new Date(caller.at), channel: 'simulate' }, { reasoner: createOfflineReasoner(), now: () => new Date(caller.at) });
    const callSid = await seedCall(w.t.db, w.tenantId);
    const store = createIntakeStore(w.t.db, { now: () => w.clock.now() });
    const watch = new ReadBackWatch();
    let checked: Record<string, unknown> | null = null;
    // What a call session does with the core's commands: slot commands to the recorder (read-back marks and parties
    // with them), the conflict check run by the effect runner against the fake Clio.
    const feed = async (cmds: Command[]): Promise<void> => {
      for (const c of cmds) {
        const readBack = watch.see(c);
        if (c.type === 'slot') await store.slot(callSid, c.name, c.value, c.confirmed, readBack, c.parties);
        if (c.type === 'effect' && c.action === 'clio.conflict_check') {
          const r = await runner().run(c, { callSid, tenantId: w.tenantId, slots: core.slots() });
          checked = c.args;
          await feed(await core.handle({ type: 'effectResult', id: c.id, ok: r.ok, ...(r.data ? { data: r.data } : {}) }));
        }
      }
    };
    await feed(await core.start());
    for (const text of ['I was in a car accident', 'Dana Whitfield', 'no', 'no', said]) {
      await feed(await core.handle({ type: 'utterance', text, alternatives: [{ text, confidence: 0.95 }], confidence: 0.95, final: true }));
      if (checked) break;
    }
    expect(checked).toMatchObject({ opposing_party: 'Kevin Walsh; Acme Trucking' });
    const queries = searched();
    expect(queries).toContain('Kevin Walsh');
    expect(queries).toContain('Acme Trucking');
    expect(queries.some((q) => /driver|employer|guy named|;/i.test(q))).toBe(false);

    const intake = (await store.byCall(callSid))!;
    expect(intake.slots.opposing_party).toBe('Kevin Walsh; Acme Trucking');
    expect(intake.parties).toEqual({ opposing_party: [{ name: 'Kevin Walsh', relationship: 'other driver', phrase: said }, { name: 'Acme Trucking', relationship: 'employer', phrase: said }] });
    await seedTurns(w.t.db, callSid, [['agent', 'What is the name of the other person or company involved?'], ['caller', said]]);
    expect(await runner().run({ type: 'effect', id: 'e1', action: 'clio.create_intake', args: {} }, { callSid, tenantId: w.tenantId, slots: intake.slots })).toMatchObject({ ok: true });
    await store.end(callSid, 'completed', intake.slots);
    await drain(w.t.db, w.worker, w.clock);
    const note = String(w.clio.notes.at(-1)!.detail);
    expect(note).toContain(['  opposing party: Kevin Walsh; Acme Trucking', '    - Kevin Walsh, other driver', '    - Acme Trucking, employer', `    Caller's words: "${said}"`].join('\n'));
  });

  it('a company with "&" in a list of parties is searched whole ("Smith & Wesson; Kevin Walsh")', async () => {
    const callSid = await seedCall(w.t.db, w.tenantId);
    await runner().run({ type: 'effect', id: 'c1', action: 'clio.conflict_check', args: { caller_name: 'Dana Whitfield', opposing_party: 'Smith & Wesson; Kevin Walsh' } }, { callSid, tenantId: w.tenantId, slots: {} });
    expect(searched()).toEqual(expect.arrayContaining(['Smith & Wesson', 'Kevin Walsh']));
    expect(searched()).not.toContain('Smith');
  });

  it('sends Clio the first, middle and last names as the parser split them, never a split on the last space', async () => {
    const turns: [speaker: 'caller' | 'agent', text: string][] = [['agent', 'What is your full name?'], ['caller', 'it']];
    expect(await deliver({ caller_name: 'Ann Marie Lee' }, turns)).toMatchObject({ first_name: 'Ann', middle_name: 'Marie', last_name: 'Lee' });
    expect(await deliver({ caller_name: 'Maria de la Cruz' }, turns)).toMatchObject({ first_name: 'Maria', last_name: 'de la Cruz' });
    expect(await deliver({ caller_name: 'Robert Smith Jr.' }, turns)).toMatchObject({ first_name: 'Robert', last_name: 'Smith Jr.' });
    const { intake } = await call({ caller_name: 'Marisol Vega Ortiz, with a hyphen, Vega, hyphen, Ortiz', opposing_party: 'none' });
    expect(await deliver({ caller_name: intake.caller_name }, turns)).toMatchObject({ first_name: 'Marisol', last_name: 'Vega-Ortiz' });
    const spoken = await call({ caller_name: "Kevin O apostrophe Brien", opposing_party: 'none' });
    expect(await deliver({ caller_name: spoken.intake.caller_name }, turns)).toMatchObject({ first_name: 'Kevin', last_name: "O'Brien" });
  });

  it('a Spanish call files two surnames as the last name ("Ana Torres García" -> Ana / Torres García)', async () => {
    const { intake } = await call({ caller_name: 'Sí, buenas noches, habla Ana Torres García', opposing_party: 'ninguna', practice_area: 'accidente' }, 'es');
    expect(intake.caller_name).toBe('Ana Torres García');
    const turns: [speaker: 'caller' | 'agent', text: string][] = [['agent', '¿Cuál es su nombre completo, por favor?'], ['caller', 'Ana Torres García'], ['agent', 'Gracias, le llamaremos pronto.']];
    expect(await deliver({ caller_name: intake.caller_name }, turns)).toMatchObject({ first_name: 'Ana', last_name: 'Torres García' });
    expect(await deliver({ caller_name: 'María José Pérez López' }, turns)).toMatchObject({ first_name: 'María', middle_name: 'José', last_name: 'Pérez López' });
  });
});
