import { describe, expect, it } from 'vitest';
import { extractDeterministic } from '../../src/reasoning/extract.js';
import { spokenValue } from '../../src/reasoning/readback.js';
import { checkSentence, looksLikeAdvice } from '../../src/reasoning/safety.js';
import { takeSentence } from '../../src/reasoning/stream-reply.js';
import type { SlotSpec } from '../../src/reasoning/types.js';
import { normaliseDate } from '../../src/reasoning/normalisers/date.js';
import { normaliseName } from '../../src/reasoning/normalisers/name.js';

const ctx = { now: new Date('2026-11-26T15:00:00Z'), timezone: 'America/Chicago', defaultRegion: 'US', slots: {} };
const slot = (type: SlotSpec['type'], extra: Partial<SlotSpec> = {}): SlotSpec => ({ name: type, type, confirm: 'when_unsure', ...extra });
const value = (type: SlotSpec['type'], text: string, extra: Partial<SlotSpec> = {}) => {
  const r = extractDeterministic(slot(type, extra), text, ctx);
  return r.status === 'ok' ? r.value : r.status;
};

describe('non-answers are not values', () => {
  it.each(['hold on a second', 'can you repeat that', "I don't know", 'I need to speak to a lawyer', 'the same as before'])(
    'a name slot hears nothing in "%s"', (text) => expect(value('person_name', text)).toBe('none'));

  it('does not read "one moment please" as the number one', () => {
    expect(value('number', 'one moment please')).toBe('none');
    expect(value('digits', 'hang on, one second')).toBe('none');
  });

  it('treats "I don\'t know" as neither yes nor no, and a story as no answer', () => {
    expect(value('yes_no', "I don't know")).toBe('none');
    expect(value('yes_no', 'I was in an accident')).toBe('none');
    expect(value('yes_no', 'I do.')).toBe(true);
    expect(value('yes_no', 'no señorita')).toBe(false);
  });
});

describe('dates said the way callers say them', () => {
  // Saturday evening in New York, already Sunday on a server clock in UTC.
  const evening = { ...ctx, now: new Date('2026-12-05T21:15:00-05:00'), timezone: 'America/New_York' };
  const date = (text: string) => {
    const r = extractDeterministic(slot('date', { dateRange: 'past' }), text, evening);
    return r.status === 'ok' ? r.value : r.status;
  };
  it('reads "last night" as the caller\'s yesterday, whatever the server clock says', () => {
    expect(date('last night, Friday')).toBe('2026-12-04');
    expect(date('last night')).toBe('2026-12-04');
    expect(date('this morning')).toBe('2026-12-05');
  });
  it('reads a weekday before or after a holiday', () => {
    expect(date('the Saturday before Thanksgiving')).toBe('2026-11-21');
    expect(date('the Friday after Thanksgiving')).toBe('2026-11-27');
  });
});

describe('validation', () => {
  it('rejects a future date for a past slot and a past date for a future one', () => {
    expect(value('date', 'next Tuesday', { dateRange: 'past' })).toBe('invalid');
    expect(value('date', 'last Friday', { dateRange: 'future' })).toBe('invalid');
    expect(value('date', 'last Friday', { dateRange: 'past' })).toBe('2026-11-20');
  });

  it('enforces digit-slot lengths', () => {
    expect(value('digits', 'six oh six', { minLength: 5, maxLength: 5 })).toBe('invalid');
    expect(value('digits', 'six oh six one four', { minLength: 5, maxLength: 5 })).toBe('60614');
  });
});

describe('read-back text', () => {
  it('speaks phone numbers in the call language and international numbers with their prefix', () => {
    expect(spokenValue('phone', '+13125550142', 'es', 'US')).toBe('tres uno dos, cinco cinco cinco, cero uno cuatro dos');
    expect(spokenValue('phone', '+442079460958', 'en', 'US')).toMatch(/^plus four four, two zero/);
  });

  it('spells the local part of an email and says common domains as words', () => {
    expect(spokenValue('email', 'maria.g@gmail.com', 'en', 'US')).toBe('m a r i a dot g, at gmail dot com');
    expect(spokenValue('email', 'ana_l@x9.mx', 'es', 'US')).toBe('a n a guion bajo l, arroba x nueve punto mx');
  });

  it('says dates in words with their weekday, and a month-precision date as the month alone', () => {
    expect(spokenValue('date', '1985-03-05', 'en', 'US')).toBe('the 5th of March 1985, a Tuesday');
    expect(spokenValue('date', '2026-11-03', 'en', 'US')).toBe('the 3rd of November 2026, a Tuesday');
    expect(spokenValue('date', '1985-03-05', 'es', 'US')).toBe('el 5 de marzo de 1985, un martes');
    expect(spokenValue('date', '2026-03', 'en', 'US')).toBe('March 2026');
    expect(spokenValue('date', '2026-03', 'es', 'US')).toBe('marzo de 2026');
  });
});

describe('legal-advice check', () => {
  it.each(['You should sue them right away.', 'I recommend you settle.', 'You have a strong case.', 'You will definitely win.', 'Usted debería demandar.'])(
    'replaces "%s"', (s) => expect(looksLikeAdvice(s)).toBe(true));

  it.each(['A lawyer will call you back today.', 'I am sorry to hear about your accident.', 'Could you spell your last name?'])(
    'keeps "%s"', (s) => expect(checkSentence(s, 'en')).toBe(s));

  it('splits streamed text at sentence ends only', () => {
    expect(takeSentence('Thanks for calling. How')).toEqual(['Thanks for calling. ', 'How']);
    expect(takeSentence('Thanks for calling')).toBeNull();
  });
});

describe('recogniser homophones', () => {
  it('reads "for" and "to" as digits only between digits', () => {
    expect(value('phone', 'three one two, five five five, oh one for two')).toBe('+13125550142');
    expect(value('phone', 'it is for me, three one two five five five oh one four two')).toBe('+13125550142');
    expect(value('digits', 'six oh six one four, that is the code for two buildings', { minLength: 5, maxLength: 5 })).toBe('60614');
  });
});

describe('issue 10 classes: names with suffixes, dates that are not dates, months with "the"', () => {
  const now = new Date('2026-11-18T19:45:00-05:00'); // a Wednesday
  const d = (text: string, range: 'past' | 'future' | 'any' = 'past') => normaliseDate(text, now, 'America/Chicago', range);
  it('a generational suffix is part of the name, never a day of the month', () => {
    expect(normaliseName('Desmond Clarke the second')).toEqual({ status: 'ok', value: 'Desmond Clarke II' });
    expect(normaliseName('my name is Luis Ortega junior')).toEqual({ status: 'ok', value: 'Luis Ortega Jr.' });
    expect(d("I missed a hearing. I'm Desmond Clarke the second.", 'any')).toEqual({ status: 'none' });
    expect(d('it was Friday the 13th')).toEqual({ status: 'ok', value: '2026-11-13' });
  });
  it('"June the fourth" and "August the 9th" name the day; a season or "I don\'t know the exact day" keeps the month', () => {
    expect(d('June the fourth')).toEqual({ status: 'ok', value: '2026-06-04' });
    expect(d('August the 9th')).toEqual({ status: 'ok', value: '2026-08-09' });
    expect(d('last winter')).toMatchObject({ status: 'ok', value: '2026-01' });
    expect(d('el verano pasado')).toMatchObject({ status: 'ok', value: '2026-07' });
    expect(d('sometime in May 2019, not sure of the exact date')).toMatchObject({ status: 'ok', value: '2019-05' });
  });
});
