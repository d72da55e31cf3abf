import { describe, expect, it } from 'vitest';
import { normaliseName } from '../../src/reasoning/normalisers/name.js';
import { nameParts } from '../../src/reasoning/normalisers/name-parts.js';
import { extractDeterministic } from '../../src/reasoning/extract.js';

const name = (t: string) => {
  const n = normaliseName(t);
  return n.status === 'ok' ? n.value : n.status;
};

describe('person names as people say them', () => {
  it('stops at the clause after the name', () => {
    expect(name('my name is Dana Whitfield, I, uh, I slipped at the store')).toBe('Dana Whitfield');
    expect(name('my name is dana whitfield i uh i slipped')).toBe('Dana Whitfield');
    expect(name("uh well it's Tom Baker and I'm calling about my son")).toBe('Tom Baker');
  });
  it('takes the self-repair and the fuller restatement', () => {
    expect(name('Greg, uh, Gregory McDonald')).toBe('Gregory McDonald');
    expect(name('Nguyen. Minh Nguyen. Spelled N G U Y E N')).toBe('Minh Nguyen');
  });
  it('merges a spoken hyphen into a double surname instead of appending words', () => {
    expect(name('Marisol Vega Ortiz, with a hyphen, Vega, hyphen, Ortiz')).toBe('Marisol Vega-Ortiz');
    expect(name('Kevin O apostrophe Brien')).toBe("Kevin O'Brien");
  });
  it('strips greetings, fillers and introductions in both languages', () => {
    expect(name('Sí, buenas noches, habla Ana Torres')).toBe('Ana Torres');
    expect(name('hi there, this is Omar')).toBe('Omar');
    expect(name('hola, soy Ana Torres')).toBe('Ana Torres');
    expect(name("I'm his grandmother Rosa Diaz")).toBe('Rosa Diaz');
  });
  it("keeps particles, apostrophes, hyphens and the caller's capitalisation", () => {
    expect(name('Juan de la Cruz')).toBe('Juan de la Cruz');
    expect(name("Kevin O'Brien")).toBe("Kevin O'Brien");
    expect(name('Angus MacDonald')).toBe('Angus MacDonald');
    expect(name('greg mcdonald')).toBe('Greg McDonald');
  });
  it('a spelled surname replaces the word it spells, never adds to it', () => {
    expect(name('Kowalsky, K O W A L S K I')).toBe('Kowalski');
    expect(name('Ann Kowalsky, K O W A L S K I')).toBe('Ann Kowalski');
    expect(name('Mark Kowalski, my last name is spelled K O W A L S K I')).toBe('Mark Kowalski');
  });
  it('a correction marker inside the answer keeps only the corrected name', () => {
    const n = extractDeterministic({ name: 'caller_name', type: 'person_name', confirm: 'when_unsure' }, 'Lisa, sorry, Liza with a z', { now: new Date(), timezone: 'UTC', defaultRegion: 'US' });
    expect(n).toMatchObject({ status: 'ok', value: 'Liza' });
  });
});

describe('name parts for Clio', () => {
  it('splits with the parser, not on the last space', () => {
    expect(nameParts('Juan de la Cruz')).toEqual({ first: 'Juan', middle: '', last: 'de la Cruz' });
    expect(nameParts('Marisol Vega-Ortiz')).toEqual({ first: 'Marisol', middle: '', last: 'Vega-Ortiz' });
    expect(nameParts('Mary Ellen Walsh')).toEqual({ first: 'Mary', middle: 'Ellen', last: 'Walsh' });
    expect(nameParts('Gregory McDonald Jr.').last).toBe('McDonald');
  });
  it('reads two surnames in a Spanish call', () => {
    expect(nameParts('Ana Torres García', 'es')).toEqual({ first: 'Ana', middle: '', last: 'Torres García' });
    expect(nameParts('María José Pérez López', 'es')).toEqual({ first: 'María', middle: 'José', last: 'Pérez López' });
  });
});
