// Other parties (issue 10): the name out of the caller's phrase, the relationship and the phrase beside it, several
// parties as several values, and a read-back when the name was not said plainly. Wording differs from the corpus on
// purpose; the phrases quoted in the issue are included verbatim.
import { describe, expect, it } from 'vitest';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import type { Interpretation } from '../../src/reasoning/interpretation.js';
import { readParties } from '../../src/reasoning/understand/parties.js';
import { isPartySlot } from '../../src/reasoning/understand/volunteer.js';
import { conflictQuery, partyVariants, listedConflicts } from '../../src/integrations/clio/conflict-query.js';
import { ctxFor, said } from './understand-fixtures.js';

const r = createOfflineReasoner();
const fill = (i: Interpretation, slot: string) => i.fills.find((f) => f.slot === slot);

describe('reading parties from a phrase', () => {
  it.each([
    ['my husband, arjun raman', 'Arjun Raman', 'husband'],
    ['the other driver was a guy named kevin walsh', 'Kevin Walsh', 'other driver'],
    ['the store, it was the Jewel-Osco on Clark Street', 'Jewel-Osco', 'store'],
    ['my employer, Brightline Staffing LLC', 'Brightline Staffing LLC', 'employer'],
    ['our landlord is Lakeview Property Group', 'Lakeview Property Group', 'landlord'],
    ['Priya Anand, she was the other driver', 'Priya Anand', 'other driver'],
    ['mi ex esposo, Rogelio Fuentes', 'Rogelio Fuentes', 'ex-husband'],
    ['el otro conductor se llama Mateo Ibarra', 'Mateo Ibarra', 'other driver'],
  ])('"%s" -> %s (%s)', (phrase, name, relationship) => {
    const p = readParties(phrase)!;
    expect(p.value).toBe(name);
    expect(p.parties).toEqual([{ name, relationship, phrase }]);
  });

  it('several parties in one answer are several values, each with its own relationship', () => {
    const p = readParties('my ex-wife Tamara Holt and her boyfriend Deshawn Price')!;
    expect(p.parties.map((x) => [x.name, x.relationship])).toEqual([['Tamara Holt', 'ex-wife'], ['Deshawn Price', 'boyfriend']]);
    expect(conflictQuery({ opposing_party: p.value }, {}).opposingNames).toEqual(['Tamara Holt', 'Deshawn Price']);
  });

  it('names nobody when no name was said', () => {
    for (const t of ["the other driver, I don't know his name", 'the bus', 'none']) expect(readParties(t)).toBeNull();
  });

  it('a name said plainly is sure; lower-case words no lexicon knows are unsure', () => {
    expect(readParties('the other driver was Kevin Walsh')!.confidence).toBeGreaterThanOrEqual(0.8);
    const unsure = readParties('the shop, it was quikmart express')!;
    expect(unsure.value).toBe('Quikmart Express');
    expect(unsure.confidence).toBeLessThan(0.8);
  });
});

describe('the asked party slot through understanding', () => {
  it('stores the name, never the sentence, with the parties beside it', async () => {
    const i = await r.understand(said('the other driver was a guy named kevin walsh'), ctxFor('opposing_party'));
    expect(fill(i, 'opposing_party')).toMatchObject({ value: 'Kevin Walsh', spoken: 'Kevin Walsh', source: 'the other driver was a guy named kevin walsh', parties: [{ name: 'Kevin Walsh', relationship: 'other driver' }] });
  });

  it('asks the caller to confirm a name that was not said plainly', async () => {
    const i = await r.understand(said('it was the shop, quikmart express'), ctxFor('opposing_party'));
    expect(fill(i, 'opposing_party')).toMatchObject({ value: 'Quikmart Express', confirm: true });
    const sure = await r.understand(said('my landlord, Lakeview Property Group'), ctxFor('opposing_party'));
    expect(fill(sure, 'opposing_party')).toMatchObject({ value: 'Lakeview Property Group', confirm: false });
  });

  it('`party:` in the flow decides whether a text slot is a party slot; without it the name and description do', () => {
    expect(isPartySlot({ name: 'who', type: 'text', confirm: 'when_unsure', party: true })).toBe(true);
    expect(isPartySlot({ name: 'opposing_party', type: 'text', confirm: 'when_unsure', party: false })).toBe(false);
    expect(isPartySlot({ name: 'opposing_party', type: 'text', confirm: 'when_unsure' })).toBe(true);
    expect(isPartySlot({ name: 'county', type: 'text', confirm: 'when_unsure' })).toBe(false);
  });
});

describe('party names for the conflict check', () => {
  it('gives the spellings records may hold a name under', () => {
    expect(partyVariants('Jewel-Osco')).toEqual(['Jewel-Osco', 'Jewel Osco']);
    expect(partyVariants("Siobhan O'Rourke")).toEqual(["Siobhan O'Rourke", 'Siobhan ORourke']);
    expect(partyVariants('Brightline Staffing LLC')).toEqual(['Brightline Staffing LLC', 'Brightline Staffing']);
    expect(partyVariants('José Álvarez')).toContain('Jose Alvarez');
    expect(partyVariants('Luis Romero Díaz')).toContain('Luis Romero');
  });

  it('the simulator matches listed names with the production threshold: near-spellings yes, strangers and surnames alone no', () => {
    const q = (opposing: string) => conflictQuery({ caller_name: 'Dana Whitfield', opposing_party: opposing }, {});
    expect(listedConflicts(q('Jewel-Osco'), ['Jewel Osco'])).toEqual(['Jewel-Osco']);
    expect(listedConflicts(q('Jon Smith'), ['John Smith'])).toEqual(['Jon Smith']);
    expect(listedConflicts(q('Kevin Walsh'), ['Kevin Welch Industries'])).toEqual([]);
    expect(listedConflicts(q('Walsh'), ['Kevin Walsh'])).toEqual([]);
  });
});
