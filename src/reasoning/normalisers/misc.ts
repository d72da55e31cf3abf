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


/** A text slot that holds a place name (county, city, town), not a sentence. */
export function isPlaceSlot(name: string, description = ''): boolean {
  return /\b(?:county|counties|city|town|condado|ciudad)\b/i.test(`${name.replace(/_/g, ' ')} ${description}`);
}

const PLACE_MARKER = /\b(?:no wait|wait|actually|sorry|i mean|i meant|no,? sorry|perd[oó]n|digo|mejor dicho|no espera)\b[,.]?\s*/gi;
const PLACE_LEAD = /^(?:(?:um+|uh+|well|so|i think|i believe|probably|maybe|creo que|it's|it is|it was|that's|that is|that would be|we're in|we are in|i'm in|i live in|in|on|the|es|fue|fue en|en|el|la|yes|yeah|s[ií])\b[\s,]*)+/iu;

/**
 * A county (or city) as a place name: "Cook, it was in Berwyn" -> Cook; "Will, no wait, it was on the DuPage side, so
 * DuPage" -> DuPage; "el condado de Cook" -> Cook; "lake county" -> Lake County. `trimmed` says words were dropped,
 * `corrected` that the caller changed their mind, so the caller can be asked to confirm.
 */
/** Doubt said with a place ("I think Kane, or maybe DuPage", "Cook I guess"): the place is read back. */
const PLACE_DOUBT = /\b(?:i think|i guess|maybe|probably|or maybe|not sure|i believe|don'?t know|no s[eé]|creo que|tal vez|quiz[aá]s?|o sea)(?!\p{L})/iu;

export function normalisePlace(text: string): { value: string; trimmed: boolean; corrected: boolean } | null {
  // "Not sure, it was near Joliet": the doubt is no place name; what follows may be one, and is read back.
  const unsure = PLACE_DOUBT.test(text);
  let t = text.trim().replace(/[.!?]+$/, '').replace(/^(?:i'?m not sure|not sure|i don'?t know|dunno|no s[eé]|no estoy segur[oa])\b[\s,.]*/i, '');
  if (!t) return null;
  const marks = [...t.matchAll(PLACE_MARKER)];
  const corrected = marks.length > 0 || unsure;
  if (marks.length) {
    const last = marks.at(-1)!;
    t = t.slice(last.index + last[0].length);
  }
  const es = /\bcondado de\s+([\p{L}'.-]+(?:\s+[\p{Lu}][\p{L}'.-]*)?)/iu.exec(t);
  const named = [...t.matchAll(/([\p{L}'.-]+(?:\s+[\p{Lu}][\p{L}'.-]*)?)\s+county\b/giu)].map((m) => m[1]!.replace(PLACE_LEAD, '')).filter(Boolean);
  // "..., so DuPage": the conclusion of a mind changed on the way.
  const conclusion = /(?:^|,\s*)so\s+([\p{L}'.-]+(?:\s+[\p{Lu}][\p{L}'.-]*)?)\s*(?:county)?$/iu.exec(t);
  let value: string;
  let county = false;
  if (es) value = es[1]!;
  else if (named.length) { value = named.at(-1)!; county = true; }
  else if (conclusion) value = conclusion[1]!;
  else value = (t.split(/\s*[,;]\s*|\s+(?:but|and|y|pero)\s+/)[0] ?? '').replace(PLACE_LEAD, '').trim();
  if (!value || value.split(/\s+/).length > 3) return null;
  const cased = value.split(/\s+/).map((w) => (/\p{Lu}/u.test(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
  const out = county && !/\bcounty$/i.test(cased) ? `${cased} County` : cased;
  const bare = text.trim().replace(/[.!?]+$/, '').replace(PLACE_LEAD, '').trim();
  return { value: out, trimmed: bare.toLowerCase() !== out.toLowerCase(), corrected };
}
