// A stored full name split into first / middle / last for Clio and the intake record, by parse-full-name (particles
// "de la Cruz", hyphens "Vega-Ortiz", apostrophes "O'Brien" and suffixes are its job), never a split on the last space.
// Spanish names often carry two surnames ("Ana Torres García"): with the call in Spanish, three or four words are read
// as given name(s) plus two surnames, which is how a Spanish speaker would file them.
import { parseFullName } from 'parse-full-name';
import type { Language } from '../../primitives.js';

export interface NameParts {
  first: string;
  middle: string;
  last: string;
  /** "Jr.", "III": present only when said; Clio keeps it with the last name. */
  suffix?: string;
}

const PARTICLE = /^(?:de|del|la|las|los|y|van|von|der|da|di|dos|du|le|st)$/i;

export function nameParts(full: string, language: Language = 'en'): NameParts {
  const name = full.trim().replace(/\s+/g, ' ');
  const words = name.split(' ');
  if (words.length === 1) return { first: name, middle: '', last: '' };
  if (language === 'es' && (words.length === 3 || words.length === 4) && !words.some((w) => PARTICLE.test(w))) {
    const given = words.slice(0, words.length - 2);
    return { first: given[0]!, middle: given.slice(1).join(' '), last: words.slice(-2).join(' ') };
  }
  const p = parseFullName(name, 'all', -1, 0, 0);
  const first = p.first || words[0]!;
  const last = p.last || words.slice(1).join(' ');
  return { first, middle: p.middle, last, ...(p.suffix ? { suffix: p.suffix } : {}) };
}
