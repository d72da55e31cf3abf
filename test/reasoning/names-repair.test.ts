import { describe, expect, it } from 'vitest';
import { normaliseName } from '../../src/reasoning/normalisers/name.js';
import { callerName } from '../../src/reasoning/understand/people.js';

// Names repaired while said, abbreviated particles, and spelling hints that are ordinary words (stop 20 classes).
describe('a name the caller repairs while saying it', () => {
  it('takes the repaired name, and marks it for a read-back', () => {
    const a = normaliseName('Betty, I mean, Elizabeth Crane');
    expect(a).toMatchObject({ status: 'ok', value: 'Elizabeth Crane' });
    expect(a.status === 'ok' && a.note).toBeTruthy();
    expect(normaliseName('Jim, uh, James Okafor')).toMatchObject({ status: 'ok', value: 'James Okafor' });
    expect(normaliseName('Paula Reyes, sorry, Raines')).toMatchObject({ status: 'ok', value: 'Paula Raines' });
  });
  it('a hesitation before a single surname is one name said slowly, not a repair', () => {
    expect(normaliseName('Carmen, um, Delgado')).toEqual({ status: 'ok', value: 'Carmen Delgado' });
  });
  it('a restatement that only adds is not read back for the repair', () => {
    expect(normaliseName('Luz, perdón, Luz Marina Ochoa')).toEqual({ status: 'ok', value: 'Luz Marina Ochoa' });
  });
  it('the clause after a pause is not a repaired name', () => {
    expect(normaliseName('Owen Hart, I, um, I tripped on the stairs')).toMatchObject({ status: 'ok', value: 'Owen Hart' });
  });
  it('an introduction with a repair is read back on the opening too', () => {
    expect(callerName('hi, this is Bob, well, Robert Lindqvist, calling about my mother')).toMatchObject({ value: 'Robert Lindqvist', confidence: 0.7 });
  });
});

describe('particles and hints', () => {
  it('keeps "St." and "Ste." as particles of the surname', () => {
    expect(normaliseName("uh, it's Dominic St. Pierre")).toEqual({ status: 'ok', value: 'Dominic St. Pierre' });
  });
  it('"con una persona" after a name is no spelling hint', () => {
    expect(normaliseName('Soy Irene Esparza, quiero hablar con una persona')).toEqual({ status: 'ok', value: 'Irene Esparza' });
    expect(normaliseName('Smyth with an i')).toEqual({ status: 'ok', value: 'Smith' });
  });
});

describe('holidays people date things by', () => {
  it('Monday holidays and their long weekends', async () => {
    const { normaliseDate } = await import('../../src/reasoning/normalisers/date.js');
    const now = new Date('2026-07-10T12:00:00-05:00');
    expect(normaliseDate('on Memorial Day', now, 'America/Chicago', 'past')).toEqual({ status: 'ok', value: '2026-05-25' });
    expect(normaliseDate('the Saturday of Memorial Day weekend', now, 'America/Chicago', 'past')).toEqual({ status: 'ok', value: '2026-05-23' });
    expect(normaliseDate('over Labor Day weekend, the Saturday', now, 'America/Chicago', 'past')).toEqual({ status: 'ok', value: '2025-08-30' });
    expect(normaliseDate("the day after Father's Day", now, 'America/Chicago', 'past')).toEqual({ status: 'ok', value: '2026-06-22' });
  });
});

describe('restarts without a repair word, and remarks after the name', () => {
  it('"Bill, William Hartley" is William Hartley, read back', () => {
    expect(normaliseName('yes, it is Andy, Andrew Kowalczyk')).toMatchObject({ status: 'ok', value: 'Andrew Kowalczyk', note: expect.any(String) });
  });
  it('"no relation" after a name is a remark, not a repair', () => {
    expect(normaliseName('this is Tom Hanks, no relation')).toEqual({ status: 'ok', value: 'Tom Hanks' });
  });
  it('a surname after a hesitation following two names is added, read back', () => {
    expect(normaliseName('Anna Maria, um, Castellucci')).toMatchObject({ status: 'ok', value: 'Anna Maria Castellucci', note: expect.any(String) });
  });
});

describe('custody said in the present', () => {
  it('"ICE has my brother", "is being held since Tuesday", "está en la cárcel desde el viernes" are now', async () => {
    const { emergencyEvidence } = await import('../../src/reasoning/emergency.js');
    expect(emergencyEvidence('immigration has my uncle at the processing center').level).toBe('now');
    expect(emergencyEvidence('my wife is being held at the jail since Sunday').level).toBe('now');
    expect(emergencyEvidence('mi primo está detenido desde el lunes').level).toBe('now');
    expect(emergencyEvidence('the police have my car keys').level).toBe('none');
  });
});

describe('dates the caller doubts or counts back', () => {
  it('hedged days are read back; "the Friday before last", "two Saturdays ago", Easter, "fin de semana pasado" are placed', async () => {
    const { normaliseDate } = await import('../../src/reasoning/normalisers/date.js');
    const now = new Date('2026-03-12T12:00:00-05:00'); // a Thursday
    const d = (t: string) => normaliseDate(t, now, 'America/Chicago', 'past');
    expect(d('roughly the 20th of February')).toMatchObject({ value: '2026-02-20', note: expect.any(String) });
    expect(d('February 3rd or 4th')).toMatchObject({ value: '2026-02-03', note: expect.any(String) });
    expect(d('the Tuesday before last')).toEqual({ status: 'ok', value: '2026-03-03' });
    expect(d('three Sundays ago')).toEqual({ status: 'ok', value: '2026-02-22' });
    expect(d('Easter Sunday')).toEqual({ status: 'ok', value: '2025-04-20' });
    expect(d('el fin de semana pasado')).toMatchObject({ status: 'ok', note: 'approximate date' });
  });
});

describe('a spelled surname with an apostrophe', () => {
  it('"O apostrophe C O N N O R" spells O\'Connor, and does not replace it with "Onnor"', () => {
    expect(normaliseName("Declan O'Donnell, O apostrophe D O N N E L L")).toEqual({ status: 'ok', value: "Declan O'Donnell" });
  });
});

describe('more dates as said', () => {
  it('"hace un mes", "a couple weeks back" are approximate; "the 31st" is the last month that has one', async () => {
    const { normaliseDate } = await import('../../src/reasoning/normalisers/date.js');
    const now = new Date('2026-09-20T12:00:00-05:00');
    const d = (t: string) => normaliseDate(t, now, 'America/Chicago', 'past');
    expect(d('hace un año')).toMatchObject({ status: 'ok', value: '2025-09-20', note: 'approximate date' });
    expect(d('three weeks back')).toMatchObject({ status: 'ok', note: 'approximate date' });
    expect(d('the 31st')).toEqual({ status: 'ok', value: '2026-08-31' });
  });
});

describe('name words said after the name', () => {
  it('a respelled last word replaces it, and words left out make the name read back', () => {
    expect(normaliseName('Corinne Mathis, with two t\'s actually, Matthis')).toMatchObject({ status: 'ok', value: 'Corinne Matthis', note: expect.any(String) });
    expect(normaliseName('Paul Novak, Nowak')).toMatchObject({ status: 'ok', note: expect.any(String) });
    expect(normaliseName('Angela Torres, but everyone calls me Angie')).toEqual({ status: 'ok', value: 'Angela Torres' });
  });
});

describe('the name said again in full after a remark', () => {
  it('"Roberto, pero me dicen Beto, Roberto Salas" is Roberto Salas, read back; "his name is X, I\'m Y" is never "Name"', async () => {
    expect(normaliseName('Graciela, pero me dicen Chela, Graciela Ibarra')).toMatchObject({ status: 'ok', value: 'Graciela Ibarra', note: expect.any(String) });
    const { createOfflineReasoner } = await import('../../src/reasoning/offline.js');
    const { ctxFor, said } = await import('./understand-fixtures.js');
    const i = await createOfflineReasoner().understand!(said("I'm calling for my nephew, his name is Andre Bell, I'm Loretta Bell"), ctxFor('caller_name'));
    expect(i.fills.find((f) => f.slot === 'caller_name')?.value).toBe('Loretta Bell');
  });
});
