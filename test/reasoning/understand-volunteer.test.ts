import { describe, expect, it } from 'vitest';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import type { Interpretation } from '../../src/reasoning/interpretation.js';
import { decideByRules } from '../../src/reasoning/rules.js';
import { ctxFor, said } from './understand-fixtures.js';

const r = createOfflineReasoner();
const value = (i: Interpretation, slot: string) => i.fills.find((f) => f.slot === slot)?.value;
const fill = (i: Interpretation, slot: string) => i.fills.find((f) => f.slot === slot);

describe('offline understand: volunteered values', () => {
  it('an opening statement gives the caller name, practice area, custody and the emergency at once', async () => {
    const i = await r.understand(said("my grandson was just arrested, I'm his grandmother Rosa Diaz"), ctxFor(null));
    expect(value(i, 'caller_name')).toBe('Rosa Diaz');
    expect(value(i, 'practice_area')).toBe('criminal');
    expect(value(i, 'in_custody')).toBe(true);
    expect(i.requests).toContainEqual({ kind: 'emergency' });
    expect(fill(i, 'caller_name')!.source).toContain('Rosa Diaz');
  });

  it('hears a self-introduction after a greeting, in English and Spanish', async () => {
    expect(value(await r.understand(said('hi there, this is Omar'), ctxFor(null)), 'caller_name')).toBe('Omar');
    const es = await r.understand(said('Sí, buenas noches, habla Ana Torres'), ctxFor(null, { language: 'es' }));
    expect(value(es, 'caller_name')).toBe('Ana Torres');
    expect(es.language).toBe('es');
  });

  it('takes the name out of a party phrase and places each date by its cue', async () => {
    const i = await r.understand(said('I got rear-ended last Friday. The other driver was a guy named Kevin Walsh and my court date is next Tuesday'), ctxFor(null));
    expect(value(i, 'opposing_party')).toBe('Kevin Walsh');
    expect(value(i, 'incident_date')).toBe('2026-11-20');
    expect(value(i, 'next_court_date')).toBe('2026-12-01');
  });

  it('gives the asked date slot only the date not placed elsewhere', async () => {
    const i = await r.understand(said('it was last Friday, and my court date is next Tuesday'), ctxFor('incident_date'));
    expect(value(i, 'incident_date')).toBe('2026-11-20');
    expect(value(i, 'next_court_date')).toBe('2026-12-01');
    expect(i.fills[0]!.slot).toBe('incident_date');
  });

  it('picks up a phone number and an email said at the name prompt, each to be read back', async () => {
    const i = await r.understand(said('Ann Lee, and my number is 312 555 0199, email ann.lee@gmail.com'), ctxFor('caller_name'));
    expect(value(i, 'caller_name')).toBe('Ann Lee');
    expect(fill(i, 'callback_phone')).toMatchObject({ value: '+13125550199', confirm: true });
    expect(fill(i, 'email')).toMatchObject({ value: 'ann.lee@gmail.com', confirm: true });
  });

  it('fills yes/no slots from their cues, and a negated cue as an unsure no', async () => {
    expect(value(await r.understand(said("he's in jail downtown"), ctxFor(null)), 'in_custody')).toBe(true);
    const not = await r.understand(said("he's not in custody anymore, they let him go"), ctxFor(null));
    expect(fill(not, 'in_custody')).toMatchObject({ value: false, confirm: true });
    expect(value(await r.understand(said('there was a police report'), ctxFor('description')), 'police_report')).toBe(true);
  });

  it('reads charges and the insurer from their cues', async () => {
    const i = await r.understand(said('he was charged with DUI. His insurance is Geico'), ctxFor(null));
    expect(value(i, 'charges')).toBe('DUI');
    expect(value(await r.understand(said('I was charged with possession last month'), ctxFor(null)), 'charges')).toBe('possession');
    expect(value(i, 'insurance_company')).toBe('Geico');
  });

  it('stores a month alone as the month, read back, never as the 1st', async () => {
    const i = await r.understand(said('back in March'), ctxFor('incident_date'));
    expect(fill(i, 'incident_date')).toMatchObject({ value: '2026-03', confirm: true, spoken: 'March 2026' });
  });

  it('reads back a day the caller never said ("last week", "a few days ago")', async () => {
    for (const t of ['last week', 'a few days ago', 'la semana pasada']) expect(fill(await r.understand(said(t), ctxFor('incident_date')), 'incident_date')?.confirm, t).toBe(true);
    expect(fill(await r.understand(said('last Friday'), ctxFor('incident_date')), 'incident_date')?.confirm).toBe(false);
  });

  it('takes the self-repair inside one answer', async () => {
    const i = await r.understand(said('October twenty-ninth, no wait, the twenty-eighth'), ctxFor('incident_date'));
    expect(value(i, 'incident_date')).toBe('2026-10-28');
    expect(value(await r.understand(said('it was last month on the 3rd'), ctxFor('incident_date')), 'incident_date')).toBe('2026-10-03');
  });
});

describe('offline understand: dates and names checked against themselves', () => {
  it('places a day with its weekday in the month where they agree, and reads back a mismatch', async () => {
    expect(value(await r.understand(said("the 28th, it's a Wednesday"), ctxFor('incident_date')), 'incident_date')).toBe('2026-10-28');
    expect(fill(await r.understand(said('October 28th, it was a Tuesday'), ctxFor('incident_date')), 'incident_date')).toMatchObject({ value: '2026-10-28', confirm: true });
  });
  it('finds the introduction inside a longer answer to the name question', async () => {
    const i = await r.understand(said("my grandson was just arrested, I'm his grandmother Rosa Diaz"), ctxFor('caller_name'));
    expect(i.fills[0]).toMatchObject({ slot: 'caller_name', value: 'Rosa Diaz' });
  });
  it('hears a court date tomorrow in an opening statement as an emergency', async () => {
    expect((await r.understand(said('I have court tomorrow morning and no lawyer'), ctxFor(null))).requests).toContainEqual({ kind: 'emergency' });
  });
});

describe('offline understand: the person a cue names', () => {
  const dec = { name: 'decedent_name', type: 'person_name' as const, confirm: 'when_unsure' as const, cues: { en: ['my late father', 'passed away', 'died'] } };
  const withDecedent = (asked: string | null) => { const c = ctxFor(asked); c.slotsInScope = [...c.slotsInScope, dec]; return c; };
  it('takes the name beside the cue, before or after it', async () => {
    expect(value(await r.understand(said('my mom Helen Papadopoulos passed away last month'), withDecedent(null)), 'decedent_name')).toBe('Helen Papadopoulos');
    expect(value(await r.understand(said('my late father, Robert Diaz, left a house'), withDecedent(null)), 'decedent_name')).toBe('Robert Diaz');
  });
  it('does not give the other party\'s name to the decedent', async () => {
    const i = await r.understand(said('my brother, Steven Papadopoulos, he is hiding the will since mom passed away'), withDecedent('opposing_party'));
    expect(value(i, 'opposing_party')).toBe('Steven Papadopoulos');
    expect(value(i, 'decedent_name')).toBeUndefined();
  });
});

describe('offline understand: no false fills', () => {
  it('does not take an ordinary clause for a name', async () => {
    for (const t of ["I'm calling about my son", "I'm not sure what to do", 'this is about my divorce', "I'm so scared right now", "yes I'm Miguel's grandmother"]) {
      const i = await r.understand(said(t), ctxFor(null));
      expect(value(i, 'caller_name'), t).toBeUndefined();
    }
  });

  it('does not make a party out of a role with no name', async () => {
    for (const t of ['my ex and I share the kids', 'the other driver ran the red light', "the other driver, I don't know his name"]) {
      expect(value(await r.understand(said(t), ctxFor('description')), 'opposing_party'), t).toBeUndefined();
    }
  });

  it('never overwrites a held value with a volunteered one', async () => {
    const c = ctxFor('description', { slots: { practice_area: 'family', caller_name: 'Ann Lee' } });
    const i = await r.understand(said('the police came and he was arrested, this is Mark'), c);
    expect(value(i, 'practice_area')).toBeUndefined();
    expect(value(i, 'caller_name')).toBeUndefined();
  });

  it('places no date without a cue, and no enum without its cue', async () => {
    const i = await r.understand(said('last Friday I think'), ctxFor('caller_name'));
    expect(i.fills.some((f) => f.slot.endsWith('date'))).toBe(false);
    expect(value(await r.understand(said('you can call me Dave'), ctxFor(null)), 'preferred_contact')).toBeUndefined();
    expect(value(await r.understand(said('I prefer text messages'), ctxFor(null)), 'preferred_contact')).toBe('text');
  });

  it('does not read "in custody" as family law, nor a question as a fact', async () => {
    expect(value(await r.understand(said('my son is in custody at the county jail'), ctxFor(null)), 'practice_area')).toBe('criminal');
    expect(value(await r.understand(said('do you handle DUI cases?'), ctxFor('caller_name', { faq: [{ id: 'practice_areas', examples: { en: ['what kind of cases do you handle'] } }] })), 'practice_area')).toBeUndefined();
  });

  it('does not read a matter into the caller\'s name or a modal verb', async () => {
    expect(value(await r.understand(said("Sure, it's Will Turner"), ctxFor('caller_name')), 'practice_area')).toBeUndefined();
    expect(value(await r.understand(said('I will call back tomorrow about it'), ctxFor(null)), 'practice_area')).toBeUndefined();
    expect(value(await r.understand(said("it's about my mom's will"), ctxFor(null)), 'practice_area')).toBe('estate');
  });

  it('does not take a refusal for a name, and drops a title', async () => {
    expect(value(await r.understand(said("I'd rather talk to a lawyer"), ctxFor('caller_name')), 'caller_name')).toBeUndefined();
    expect(value(await r.understand(said('this is Sergeant Miller from the police department'), ctxFor('caller_name')), 'caller_name')).toBe('Miller');
  });

  it('does not store a vague charge, nor a greeting as the decedent', async () => {
    expect(value(await r.understand(said("I got arrested for a domestic thing and I'm out on bond now"), ctxFor(null)), 'charges')).toBeUndefined();
    const c = ctxFor(null);
    c.slotsInScope = [...c.slotsInScope, { name: 'decedent_name', type: 'person_name', confirm: 'when_unsure', cues: { en: ['my grandfather', 'passed away'] } }];
    expect(value(await r.understand(said('Hi, my grandfather passed away last month, on the 12th'), c), 'decedent_name')).toBeUndefined();
  });

  it('does not take a case number for the callback number', async () => {
    const i = await r.understand(said('the case number is 312 555 0199'), ctxFor('description'));
    expect(value(i, 'callback_phone')).toBeUndefined();
  });
});

describe('offline understand: the other party when asked', () => {
  it('keeps the name, not the phrase', async () => {
    const cases: [string, string][] = [
      ['my husband, arjun raman', 'Arjun Raman'],
      ['the store, it was the Jewel-Osco on Clark Street', 'Jewel-Osco'],
      ['Walmart', 'Walmart'],
      ['the other driver was a guy named kevin walsh', 'Kevin Walsh'],
      ['my ex husband john smith and his girlfriend lisa park', 'John Smith; Lisa Park'],
      ['her biological father, Adam Pierce', 'Adam Pierce'],
      ['a city bus, the CTA', 'CTA'],
      ['the truck was from Midwest Freight Lines', 'Midwest Freight Lines'],
      ["the bar is called murphy's tap, I don't know the guy's name", "Murphy's Tap"],
      ['el otro chofer se llama Luis Romero', 'Luis Romero'],
      ["I think it's State Farm", 'State Farm'],
    ];
    for (const [t, want] of cases) expect(value(await r.understand(said(t), ctxFor('opposing_party')), 'opposing_party'), t).toBe(want);
  });
  it('keeps the phrase when it names nobody, unless the caller says they do not know the name', async () => {
    expect(value(await r.understand(said('the truck'), ctxFor('opposing_party')), 'opposing_party')).toBe('the truck');
    const i = await r.understand(said("the other driver, I don't know his name"), ctxFor('opposing_party'));
    expect(value(i, 'opposing_party')).toBeUndefined();
    expect(i.requests).toContainEqual({ kind: 'unknown', slot: 'opposing_party' });
  });
  it('does not read "and now there\'s a warrant" as a court date', async () => {
    const i = await r.understand(said("he missed his court date for a ticket and now there's a warrant"), ctxFor('description'));
    expect(value(i, 'next_court_date')).toBeUndefined();
  });
});

describe('the emergency decision on an opening statement', () => {
  const spec = { name: 'is_emergency', question: 'Is this an emergency?', options: ['yes', 'no'] };
  it('an arrest the caller is already out of is not an emergency; a fresh one is', () => {
    expect(decideByRules(spec, "I got arrested for a domestic thing and I'm out on bond now, I need a lawyer before my court date").choice).toBe('no');
    expect(decideByRules(spec, 'my son was arrested this morning and they have him at the station').choice).toBe('yes');
  });
  it('an injury to the caller\'s own body is not a threat', () => {
    expect(decideByRules(spec, 'I slipped and fell at a Jewel-Osco and hurt my back').choice).toBe('no');
    expect(decideByRules(spec, 'he said he is going to hurt me').choice).toBe('yes');
  });
});
