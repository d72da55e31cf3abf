// Issue 10, the last two pieces, through the engine and the bundled flow: a party's relationship and the caller's
// words travel with the slot command (the value keeps the names the conflict check searches), and an unsure person
// name is read back with its surname spelled, in English and Spanish, the spelling only ever in the read-back.
import { beforeAll, describe, expect, it } from 'vitest';
import { createConversation, loadFlow, restoreConversation, type CallFacts, type LoadedFlow } from '../../src/flows/index.js';
import { respelled, spelled, spellTarget } from '../../src/flows/spell-back.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { Call as BaseCall, noRepeats, OFFICE_HOURS } from './call-helper.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

class Call extends BaseCall {
  constructor(facts: Partial<CallFacts> = {}) {
    super(flow, createOfflineReasoner(), facts);
  }
  /** The last slot command for `slot`. */
  slotCommand(slot: string) {
    return this.slotCommands.filter((c) => c.name === slot).at(-1);
  }
}

/** A call up to the other-party question: opening, a clear name, not an emergency, not a client. */
async function atOpposing(language?: 'es'): Promise<Call> {
  const c = new Call(language ? { language } : {});
  await c.start();
  if (language === 'es') for (const t of ['tuve un accidente de carro', 'Ana Torres', 'no', 'no']) await c.say(t);
  else for (const t of ['I was in a car accident', 'Dana Whitfield', 'no', 'no']) await c.say(t);
  expect(c.asked, c.transcript).toBe('opposing_party');
  return c;
}

/** A call up to the name question. */
async function atName(language?: 'es'): Promise<Call> {
  const c = new Call(language ? { language } : {});
  await c.start();
  await c.say(language === 'es' ? 'tuve un accidente de carro' : 'I was in a car accident');
  expect(c.asked, c.transcript).toBe('caller_name');
  return c;
}

/** Every line with a spelling in it is a read-back question. */
function spellingOnlyInReadBacks(c: Call): void {
  for (const line of c.heard) if (/\b[A-Z](?:-[A-Z])+\b/.test(line)) expect(line, c.transcript).toMatch(/(?:Is that right\?|Is that correct\?|Please say yes or no\.|¿Es correcto\?|¿Está bien\?|¿Sí o no\?)$/);
}

describe('a party slot keeps each party with its relationship and the caller\'s words', () => {
  it('"the other driver was a guy named kevin walsh and his employer Acme Trucking": two parties, names only in the value and the conflict check', async () => {
    const c = await atOpposing();
    const said = 'the other driver was a guy named kevin walsh and his employer Acme Trucking';
    await c.say(said);
    expect(c.slotCommand('opposing_party'), c.transcript).toEqual({
      type: 'slot', name: 'opposing_party', value: 'Kevin Walsh; Acme Trucking', confirmed: true,
      parties: [{ name: 'Kevin Walsh', relationship: 'other driver', phrase: said }, { name: 'Acme Trucking', relationship: 'employer', phrase: said }],
    });
    const check = c.effects.recorded.find((e) => e.action === 'clio.conflict_check')!;
    expect(check.args.opposing_party).toBe('Kevin Walsh; Acme Trucking');
    expect(c.heard.join(' ')).not.toMatch(/other driver|employer/);
    noRepeats(c);
  });

  it('"my husband, arjun raman" is read back as the name; the confirmed slot command carries "husband" and the words', async () => {
    const c = await atOpposing();
    expect((await c.say('my husband, arjun raman')).at(-1)).toBe('I have Arjun Raman. Is that right?');
    expect(c.slotCommand('opposing_party'), 'nothing stored before the yes').toBeUndefined();
    await c.say('yes');
    expect(c.slotCommand('opposing_party')).toEqual({ type: 'slot', name: 'opposing_party', value: 'Arjun Raman', confirmed: true, parties: [{ name: 'Arjun Raman', relationship: 'husband', phrase: 'my husband, arjun raman' }] });
    noRepeats(c);
  });

  it('a party corrected at its read-back never carries the old answer\'s relationship ("husband" was Arjun Raman\'s)', async () => {
    const c = await atOpposing();
    await c.say('my husband, arjun raman');
    await c.say('no, it is Ravi Menon');
    await c.say('yes');
    const cmd = c.slotCommand('opposing_party')!;
    expect(cmd.value, c.transcript).toBe('Ravi Menon');
    // The correction is a party answer of its own: Ravi Menon, with no relationship said, never Arjun's "husband".
    expect((cmd.parties ?? []).map((p) => [p.name, p.relationship ?? null])).toEqual([['Ravi Menon', null]]);
    noRepeats(c);
  });

  it('the parties and a spelled read-back survive a snapshot (a call resumed on another instance), and an older snapshot without them still resumes', async () => {
    const facts = { callSid: 'CA-snap', from: '+13125551234', to: '+13125550100', startedAt: OFFICE_HOURS, channel: 'simulate' as const };
    const utter = (text: string, confidence = 0.95) => ({ type: 'utterance' as const, text, alternatives: [{ text, confidence }], confidence, final: true });
    const deps = { reasoner: createOfflineReasoner(), now: () => OFFICE_HOURS };
    const first = createConversation(flow, facts, deps);
    await first.start();
    for (const t of ['I was in a car accident', 'Dana Whitfield', 'no', 'no']) await first.handle(utter(t));
    await first.handle(utter('my husband, arjun raman'));
    const resumed = restoreConversation(flow, facts, deps, JSON.parse(JSON.stringify(first.snapshot())));
    const yes = await resumed.handle(utter('yes'));
    expect(yes.find((c) => c.type === 'slot' && c.name === 'opposing_party')).toMatchObject({ parties: [{ name: 'Arjun Raman', relationship: 'husband' }] });

    const named = createConversation(flow, facts, deps);
    await named.start();
    await named.handle(utter('I was in a car accident'));
    await named.handle(utter('Maria Kowalski', 0.6));
    const snap = JSON.parse(JSON.stringify(named.snapshot())) as Record<string, unknown>;
    const again = restoreConversation(flow, facts, deps, snap);
    const said = (await again.handle({ type: 'resumed' })).flatMap((c) => (c.type === 'say' ? [c.text] : []));
    expect(said.at(-1)).toBe("I have Maria Kowalski, that's K-O-W-A-L-S-K-I. Is that right?");
    delete snap.parties;
    delete snap.spellBack;
    const old = restoreConversation(flow, facts, deps, snap);
    await old.handle(utter('yes'));
    expect(old.slots().caller_name).toBe('Maria Kowalski');
  });

  it('Spanish: "mi esposo, Arjun Raman" keeps "husband" (in English, for the file) and the Spanish words', async () => {
    const c = await atOpposing('es');
    await c.say('mi esposo, Arjun Raman');
    expect(c.slotCommand('opposing_party'), c.transcript).toMatchObject({ value: 'Arjun Raman', parties: [{ name: 'Arjun Raman', relationship: 'husband', phrase: 'mi esposo, Arjun Raman' }] });
  });

  it('a party slot answered "none" stays empty and carries no parties', async () => {
    const c = await atOpposing();
    await c.say('none');
    expect(c.slotCommand('opposing_party')).toBeUndefined();
    expect(c.slots.opposing_party).toBeUndefined();
  });
});

describe('an unsure name is read back with its surname spelled', () => {
  it('"Maria Kowalski" heard unsure: spelled in the read-back, "no, it\'s K O W A L S K Y" corrects the surname only (read back in other words)', async () => {
    const c = await atName();
    expect((await c.say('Maria Kowalski', 0.6)).at(-1)).toBe("I have Maria Kowalski, that's K-O-W-A-L-S-K-I. Is that right?");
    expect((await c.say("no, it's K O W A L S K Y")).at(-1), c.transcript).toBe("Just to be sure: Maria Kowalsky, that's K-O-W-A-L-S-K-Y. Is that correct?");
    await c.say('yes');
    expect(c.slots.caller_name).toBe('Maria Kowalsky');
    expect(c.slotCommand('caller_name')).toEqual({ type: 'slot', name: 'caller_name', value: 'Maria Kowalsky', confirmed: true });
    expect(c.asked).toBe('is_emergency');
    spellingOnlyInReadBacks(c);
    noRepeats(c);
  });

  it('Spanish: "Tengo María Kowalski, K-O-W-A-L-S-K-I. ¿Es correcto?", and "no, es K O W A L S K Y" keeps María', async () => {
    const c = await atName('es');
    expect((await c.say('María Kowalski', 0.6)).at(-1)).toBe('Tengo María Kowalski, K-O-W-A-L-S-K-I. ¿Es correcto?');
    expect((await c.say('no, es K O W A L S K Y')).at(-1)).toBe('Solo para confirmar: María Kowalsky, K-O-W-A-L-S-K-Y. ¿Está bien?');
    await c.say('sí');
    expect(c.slots.caller_name, c.transcript).toBe('María Kowalsky');
    spellingOnlyInReadBacks(c);
    noRepeats(c);
  });

  it('the acknowledgement after a spelled read-back says the name plainly ("Thank you, Maria Kowalski.")', async () => {
    const c = await atName();
    await c.say('Maria Kowalski', 0.6);
    await c.say('yes');
    // An emergency asks for the name in its own branch, where the flow acknowledges the name it already has.
    const heard = await c.say('yes');
    expect(heard, c.transcript).toContain('Thank you, Maria Kowalski.');
    expect(c.heard.filter((l) => l.includes('K-O-W'))).toEqual(["I have Maria Kowalski, that's K-O-W-A-L-S-K-I. Is that right?"]);
    spellingOnlyInReadBacks(c);
  });

  it('the same letters again ("yes, K O W A L S K I") are a yes', async () => {
    const c = await atName();
    await c.say('Maria Kowalski', 0.6);
    await c.say('yes, K O W A L S K I');
    expect(c.slots.caller_name, c.transcript).toBe('Maria Kowalski');
    expect(c.asked).toBe('is_emergency');
  });

  it('a full name at the spelled read-back ("no, Marie Kowalsky") is the whole name, read back spelled again', async () => {
    const c = await atName();
    await c.say('Maria Kowalski', 0.6);
    expect((await c.say('no, Marie Kowalsky')).at(-1), c.transcript).toBe("Just to be sure: Marie Kowalsky, that's K-O-W-A-L-S-K-Y. Is that correct?");
  });

  it('a common surname heard unsure is read back plainly; a name heard clearly is not read back at all', async () => {
    const common = await atName();
    expect((await common.say('Maria Garcia', 0.6)).at(-1)).toBe('I have Maria Garcia. Is that right?');
    const clear = await atName();
    expect((await clear.say('Maria Kowalski')).join(' ')).not.toMatch(/Is that right|K-O-W/);
    expect(clear.slots.caller_name).toBe('Maria Kowalski');
  });

  it('Spanish two surnames: only the uncommon one is spelled ("Ana Torres Kowalczyk" -> K-O-W-A-L-C-Z-Y-K)', async () => {
    const c = await atName('es');
    expect((await c.say('Ana Torres Kowalczyk', 0.6)).at(-1), c.transcript).toBe('Tengo Ana Torres Kowalczyk, K-O-W-A-L-C-Z-Y-K. ¿Es correcto?');
    await c.say('no, es K O V A L C H I K');
    await c.say('sí');
    expect(c.slots.caller_name, c.transcript).toBe('Ana Torres Kovalchik');
  });
});

describe('the spelling rule', () => {
  it('spells letters, apostrophes and hyphens the way they are said', () => {
    expect(spelled('Kowalski', 'en')).toBe('K-O-W-A-L-S-K-I');
    expect(spelled("O'Brien", 'en')).toBe('O, apostrophe, B-R-I-E-N');
    expect(spelled('Nic-Giolla', 'es')).toBe('N-I-C, guion, G-I-O-L-L-A');
    expect(spelled('Muñoz', 'es')).toBe('M-U-Ñ-O-Z');
  });

  it('skips particles and common surnames unless recognition heard the surname another way', () => {
    expect(spellTarget('Maria de la Cruz', 'en')).toBeNull();
    expect(spellTarget('Marisol Vega-Ortiz', 'en')).toBeNull();
    expect(spellTarget('John Smith', 'en')).toBeNull();
    expect(spellTarget('John Smith', 'en', [{ text: 'John Smith', confidence: 0.6 }, { text: 'John Smyth', confidence: 0.5 }])).toBe('Smith');
    expect(spellTarget('Omar', 'en')).toBeNull();
    expect(spellTarget('Minh Nguyen', 'en')).toBe('Nguyen');
  });

  it('a one-word answer replaces the spelled part; a longer one is the whole name', () => {
    expect(respelled('Maria Kowalski', 'Kowalski', 'Kowalsky', 'en')).toEqual({ value: 'Maria Kowalsky', target: 'Kowalsky' });
    expect(respelled('Ana Torres Kowalczyk', 'Kowalczyk', 'Kovalchik', 'es')).toEqual({ value: 'Ana Torres Kovalchik', target: 'Kovalchik' });
    expect(respelled('Maria Kowalski', 'Kowalski', 'Marie Smith', 'en')).toEqual({ value: 'Marie Smith', target: null });
  });
});
