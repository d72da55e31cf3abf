import { describe, expect, it } from 'vitest';
import { createOfflineReasoner } from '../../src/reasoning/offline.js';
import { normaliseName } from '../../src/reasoning/normalisers/name.js';
import { partyNames } from '../../src/reasoning/understand/people.js';
import { ctxFor, said } from './understand-fixtures.js';

// Parties as callers name them (stop 20 classes), worded unlike the corpus.
describe('party names', () => {
  it('a first name alone, then said in full, is the full name', () => {
    expect(partyNames('my ex, Dana, Dana Whitcomb, she went back to Whitcomb')).toBe('Dana Whitcomb');
  });
  it('letters spelled after the name are its spelling, and "se llamaba" names', () => {
    expect(partyNames('la señora se llamaba Gloria Funes, F U N E S')).toBe('Gloria Funes');
  });
  it('the company of a vehicle is the party', () => {
    expect(partyNames('it was a FedEx truck that backed into me')).toBe('FedEx');
  });
  it('a bare "no" to the party question is "none", not a party called No', async () => {
    const r = createOfflineReasoner();
    const i = await r.understand!(said('nope'), ctxFor('opposing_party'));
    expect(i.fills.find((f) => f.slot === 'opposing_party')).toBeUndefined();
    expect(i.requests).toContainEqual({ kind: 'skip', slot: 'opposing_party' });
  });
  it('"she\'s still alive" at a name question is no name', () => {
    expect(normaliseName("she's still alive, her name is Ida Brandt")).toEqual({ status: 'none' });
  });
});

describe('a name after a kinship word', () => {
  it('"mi mamá, X" and "my late husband, X" are X', () => {
    expect(normaliseName('mi papá, Aurelio Paz Duarte')).toEqual({ status: 'ok', value: 'Aurelio Paz Duarte' });
    expect(normaliseName('my late wife, Corinne Abbott')).toEqual({ status: 'ok', value: 'Corinne Abbott' });
  });
});

describe('a person asked for in other words', () => {
  it('"can I just talk to somebody at the front desk?" is a request for a person', async () => {
    const { detectRequests } = await import('../../src/reasoning/understand/requests.js');
    expect(detectRequests('honestly, could I just talk to somebody up at the front desk?', { language: 'en' })).toContainEqual({ kind: 'human' });
    expect(detectRequests('can I speak with somebody please', { language: 'en' })).toContainEqual({ kind: 'human' });
  });
});

describe('wanting to talk to someone about the matter, inside the story', () => {
  it('is why they call, not a request to leave the intake for a person', async () => {
    const { detectRequests } = await import('../../src/reasoning/understand/requests.js');
    expect(detectRequests('my landlord kept my whole deposit and I was hoping to talk to somebody about it', { language: 'en' })).not.toContainEqual({ kind: 'human' });
  });
});

describe('a cue with an intensifier inside', () => {
  it('"tengo muchísimo... tengo mucho miedo" still hears the cue "tengo miedo"', async () => {
    const { findCues } = await import('../../src/reasoning/understand/cues.js');
    const slot = { name: 'safety_concern', type: 'yes_no' as const, confirm: 'when_unsure' as const, cues: { es: ['tengo miedo'] } };
    expect(findCues('la verdad tengo muy miedo de volver', slot, 'es')).toHaveLength(1);
  });
});

describe('an other party whose name the caller does not know', () => {
  it('is "unknown", not the sentence read back as a name; "Tyrell something" is Tyrell', async () => {
    const r = createOfflineReasoner();
    const i = await r.understand!(said('some kid on a bike, he rode off and I never got his name'), ctxFor('opposing_party'));
    expect(i.fills.find((f) => f.slot === 'opposing_party')).toBeUndefined();
    expect(i.requests).toContainEqual({ kind: 'unknown', slot: 'opposing_party' });
    expect(partyNames('the driver was Marcus something, I only saw his badge')).toBe('Marcus');
  });
});

describe('dates told with the event', () => {
  it('"a fender bender yesterday" dates the incident', async () => {
    const r = createOfflineReasoner();
    const i = await r.understand!(said('I had a fender bender yesterday at the Jewel lot'), ctxFor(null));
    expect(i.fills.find((f) => f.slot === 'incident_date')?.value).toBe('2026-11-25');
  });
});

describe('a cue with the day said inside it', () => {
  it('"arrested Friday for ..." still hears "arrested for"', async () => {
    const { findCues } = await import('../../src/reasoning/understand/cues.js');
    const slot = { name: 'charges', type: 'text' as const, confirm: 'when_unsure' as const, cues: { en: ['arrested for'] } };
    expect(findCues('my nephew got arrested Tuesday for a DUI', slot, 'en')).toHaveLength(1);
  });
});

describe('titles and hedges around a party name', () => {
  it('a title is not the name; a hedged name is read back', async () => {
    const { readParties } = await import('../../src/reasoning/understand/parties.js');
    expect(readParties('my supervisor, Ms. Okonkwo')?.value).toBe('Okonkwo');
    expect(readParties('el dueño, don Ernesto Salgado')?.value).toBe('Ernesto Salgado');
    expect(readParties('I believe it was Ridgeway Towing')?.confidence).toBeLessThan(0.8);
    expect(readParties('the other driver was like Kim Sung or Song')?.confidence).toBeLessThan(0.8);
    expect(readParties('the other driver was Kim Sung')?.confidence).toBeGreaterThanOrEqual(0.8);
  });
});

describe('opening statements: negations, names and kin', () => {
  it('"Tony hasn\'t paid child support": the party is Tony and there are children; "my father, X, he fell" is no decedent', async () => {
    const r = createOfflineReasoner();
    const slots = [...ctxFor(null).slotsInScope,
      { name: 'children', type: 'yes_no' as const, confirm: 'when_unsure' as const, cues: { en: ['child support'] } },
      { name: 'decedent_name', type: 'person_name' as const, confirm: 'when_unsure' as const, description: 'The person who passed away', cues: { en: ['my father'] } }];
    const i = await r.understand!(said("my ex-husband Tony hasn't paid child support since March"), { ...ctxFor(null), slotsInScope: slots });
    expect(i.fills.find((f) => f.slot === 'opposing_party')?.value).toBe('Tony');
    expect(i.fills.find((f) => f.slot === 'children')?.value).toBe(true);
    const j = await r.understand!(said('I am calling for my father, Walter Grange, he tripped at the pharmacy'), { ...ctxFor(null), slotsInScope: slots });
    expect(j.fills.find((f) => f.slot === 'decedent_name')).toBeUndefined();
  });
});

describe('a client of someone else, and the police in an accident story', () => {
  it('"I\'m a client of Geico" is not an existing client of the firm', async () => {
    const r = createOfflineReasoner();
    const slots = [...ctxFor(null).slotsInScope, { name: 'existing_client', type: 'yes_no' as const, confirm: 'when_unsure' as const, cues: { en: ["i'm a client"] } }];
    const i = await r.understand!(said("I'm a client of Geico and they won't pay for my car"), { ...ctxFor(null), slotsInScope: slots });
    expect(i.fills.find((f) => f.slot === 'existing_client')).toBeUndefined();
    const j = await r.understand!(said("I'm a client of yours, Ms. Rivera has my case"), { ...ctxFor(null), slotsInScope: slots });
    expect(j.fills.find((f) => f.slot === 'existing_client')?.value).toBe(true);
  });
  it('an accident with the police at the scene is an injury matter', async () => {
    const { decideByRules } = await import('../../src/reasoning/rules.js');
    const A = { name: 'practice_area', question: 'Which practice area?', options: ['personal_injury', 'family', 'criminal', 'immigration', 'estate', 'other'] };
    expect(decideByRules(A, 'a truck sideswiped me on 55 and the police wrote it up').confidence).toBeGreaterThanOrEqual(0.7);
  });
});

describe('an enum answer that names two values', () => {
  it('is read back, whichever is taken', async () => {
    const { normaliseEnum } = await import('../../src/reasoning/normalisers/enum.js');
    const values = [{ value: 'personal_injury', synonyms: ['injury', 'car accident'] }, { value: 'criminal', synonyms: ['criminal', 'dui'] }];
    expect(normaliseEnum('a DUI and also a car accident', values)).toMatchObject({ status: 'ok', note: 'several options matched' });
    expect(normaliseEnum('a car accident', values)).toEqual({ status: 'ok', value: 'personal_injury' });
  });
});

describe('yes/no as people hedge it', () => {
  it('"yeah, no" is a no; "yes and no", "más o menos" are neither', async () => {
    const { normaliseYesNo } = await import('../../src/reasoning/normalisers/yes-no.js');
    expect(normaliseYesNo("yeah no, I never went to a doctor")).toEqual({ status: 'ok', value: false });
    expect(normaliseYesNo('yes and no, it depends')).toEqual({ status: 'none' });
    expect(normaliseYesNo('más o menos')).toEqual({ status: 'none' });
    expect(normaliseYesNo('yeah')).toEqual({ status: 'ok', value: true });
  });
});

describe('a county said with doubt', () => {
  it('is read back, and "not sure" is no county', async () => {
    const { normalisePlace } = await import('../../src/reasoning/normalisers/misc.js');
    expect(normalisePlace('I believe Kendall, or maybe Kane')).toMatchObject({ value: 'Kendall', corrected: true });
    expect(normalisePlace("I'm not sure, somewhere past Aurora")?.value).not.toMatch(/sure/i);
    expect(normalisePlace('Cook')).toMatchObject({ value: 'Cook', corrected: false });
  });
});

describe('a party that does not exist', () => {
  it('"she didn\'t have insurance" and "ninguno, no tenía seguro" are a skip, not the sentence stored', async () => {
    const r = createOfflineReasoner();
    for (const t of ["she didn't have any insurance", 'ninguno, no tenía seguro']) {
      const i = await r.understand!(said(t), ctxFor('insurance_company'));
      expect(i.fills.find((f) => f.slot === 'insurance_company')).toBeUndefined();
      expect(i.requests).toContainEqual({ kind: 'skip', slot: 'insurance_company' });
    }
  });
});
