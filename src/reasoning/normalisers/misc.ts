// Numbers, digit strings, street addresses and free text.
import { digitRuns, firstQuantity, quantityAt, tokenize } from '../spoken-numbers.js';
import type { Normalised } from './result.js';

export function normaliseNumber(text: string): Normalised {
  const q = firstQuantity(tokenize(text));
  return q ? { status: 'ok', value: q.value } : { status: 'none' };
}

export function normaliseDigits(text: string, minLength?: number, maxLength?: number): Normalised {
  const runs = digitRuns(tokenize(text));
  if (runs.length === 0) return { status: 'none' };
  const all = runs.map((r) => r.digits).join('');
  const fits = (d: string) => (minLength === undefined || d.length >= minLength) && (maxLength === undefined || d.length <= maxLength);
  if (fits(all)) return { status: 'ok', value: all };
  const one = runs.map((r) => r.digits).find(fits);
  if (one) return { status: 'ok', value: one };
  const want = minLength === maxLength ? `${minLength}` : `${minLength ?? 1}-${maxLength ?? 'any'}`;
  return { status: 'invalid', reason: `heard ${all.length} digits, expected ${want}` };
}

const TEXT_LEAD_IN = /^(?:(?:well|uh+|um+|so|yeah|yes|ok|okay|sure|oh|bueno|pues|este|sí|si)\b[\s,.]*)+/i;
const ADDRESS_LEAD_IN = /^(?:(?:i live at|i'm at|i am at|my address is|the address is|address is|it's|it is|that's|that is|we're at|we are at|vivo en|mi dirección es|mi direccion es|la dirección es|es|es el|en el|el|at)\b[\s,:]*)+/i;
const STREET_TYPES = /\b(?:street|st|avenue|ave|road|rd|drive|dr|lane|ln|boulevard|blvd|way|court|ct|place|pl|parkway|pkwy|highway|hwy|terrace|circle|square|trail|route|box|calle|avenida|camino|carretera)\b/i;
const STREET_WORDS: Record<string, string> = { st: 'St', street: 'Street', ave: 'Ave', avenue: 'Avenue', rd: 'Rd', road: 'Road', blvd: 'Blvd', dr: 'Dr', ln: 'Ln', apt: 'Apt' };

export function normaliseText(text: string): Normalised {
  const v = text.trim().replace(TEXT_LEAD_IN, '').trim();
  return v ? { status: 'ok', value: v } : { status: 'none' };
}

/** Street addresses: the house number is said as words ("twelve thirty four Oak Street") and becomes digits. */
export function normaliseAddress(text: string): Normalised {
  const t = text.trim().replace(TEXT_LEAD_IN, '').replace(ADDRESS_LEAD_IN, '').trim().replace(/[.]+$/, '');
  if (!t) return { status: 'none' };
  const tokens = t.split(/\s+/);
  const lower = tokens.map((x) => x.toLowerCase().replace(/,$/, ''));
  const out: string[] = [];
  let i = 0;
  // The leading house number said digit-wise or grouped ("one two three", "twelve thirty four", "four oh one").
  const runs = digitRuns(lower);
  const first = runs[0];
  if (first && first.start === 0) {
    out.push(first.digits + (tokens[first.end - 1]!.endsWith(',') ? ',' : ''));
    i = first.end;
  }
  for (; i < tokens.length; i++) {
    const raw = tokens[i]!;
    const comma = raw.endsWith(',') ? ',' : '';
    const w = raw.replace(/,$/, '');
    const lw = w.toLowerCase();
    // Ordinal streets and unit numbers said as words: "fifth avenue" stays, "apartment four" -> "Apartment 4".
    const q = /^\p{L}+$/u.test(lw) ? quantityAt(lower, i) : null;
    if (q && q.end > i && Number.isInteger(q.value) && i > 0) {
      out.push(String(q.value) + (tokens[q.end - 1]!.endsWith(',') ? ',' : ''));
      i = q.end - 1;
      continue;
    }
    const word = STREET_WORDS[lw] ?? (/^[a-z]/.test(w) ? w.charAt(0).toUpperCase() + w.slice(1) : w);
    out.push(word + comma);
  }
  const value = out.join(' ').replace(/,$/, '');
  if (!/\p{L}{2,}/u.test(value)) return { status: 'invalid', reason: 'no street heard' };
  // An address has a house number or a street word; "I'd rather not say" has neither.
  if (!/\d/.test(value) && !STREET_TYPES.test(value)) return { status: 'none' };
  return { status: 'ok', value };
}

