// Other parties as callers name them: the name or names (people.ts partyNames does the finding), the caller's
// relationship to each ("husband", "other driver", "employer"), the caller's own words beside it, and how sure the
// reading is. A name the caller said plainly ("Kevin Walsh", "Midwest Freight Lines", "a guy named ...") is taken; one
// built from words no lexicon knows as a name and the recogniser did not capitalise ("arjun raman" is fine if
// "arjun" is a known first name; "jewel osco" is not) is read back before it counts, since the conflict check and
// Clio will act on it.
import nlp from 'compromise';
import type { SlotFill, UnderstandingContext } from '../interpretation.js';
import { buildExtraction } from '../policy.js';
import type { SlotSpec } from '../types.js';
import { partyNames, unnamedParty } from './people.js';

export interface PartyDetail {
  /** The person or organisation, as it goes to the conflict check and Clio. */
  name: string;
  /** The caller's relationship to them, in English for the file ("husband", "other driver", "employer"), if said. */
  relationship?: string;
  /** The caller's words, verbatim. */
  phrase: string;
}

export interface PartyReading {
  parties: PartyDetail[];
  /** The slot value: the names joined with "; " (the conflict query splits them again). */
  value: string;
  /** 0..1; below the slot's threshold the value is read back. */
  confidence: number;
}

/** Relationship words as said (English and Spanish), longest first, with the label kept in the record. */
const RELATIONS: [RegExp, string][] = [
  [/\bex[\s-]?(?:husband|esposo|marido)\b/i, 'ex-husband'],
  [/\bex[\s-]?(?:wife|esposa)\b/i, 'ex-wife'],
  [/\bex[\s-]?(?:boyfriend|novio)\b/i, 'ex-boyfriend'],
  [/\bex[\s-]?(?:girlfriend|novia)\b/i, 'ex-girlfriend'],
  [/\b(?:(?:the )?other|otro) (?:driver|chofer|conductor)\b/i, 'other driver'],
  [/\b(?:husband|esposo|marido)\b/i, 'husband'],
  [/\b(?:wife|esposa)\b/i, 'wife'],
  [/\bspouse\b/i, 'spouse'],
  [/\b(?:boyfriend|novio)\b/i, 'boyfriend'],
  [/\b(?:girlfriend|novia)\b/i, 'girlfriend'],
  [/\bpartner\b/i, 'partner'],
  [/\bex\b/i, 'ex-partner'],
  [/\b(?:landlord|landlady|casero|casera|arrendador|due[nñ]o del (?:apartamento|departamento|edificio))\b/i, 'landlord'],
  [/\b(?:property manage(?:r|ment)|management company)\b/i, 'property manager'],
  [/\b(?:employer|(?:my |the )?company i work for|patr[oó]n|empresa donde trabajo)\b/i, 'employer'],
  [/\b(?:boss|jefe|jefa)\b/i, 'boss'],
  [/\b(?:supervisor|manager)\b/i, 'supervisor'],
  [/\b(?:insurance(?: company)?|insurer|aseguradora|aseguranza|seguro)\b/i, 'insurer'],
  [/\b(?:store|shop|tienda|supermarket|grocery)\b/i, 'store'],
  [/\b(?:contractor|contratista)\b/i, 'contractor'],
  [/\b(?:doctor|m[eé]dico|surgeon)\b/i, 'doctor'],
  [/\b(?:hospital|clinic|cl[ií]nica)\b/i, 'hospital'],
  [/\b(?:school|escuela)\b/i, 'school'],
  [/\b(?:neighbou?r|vecin[oa])\b/i, 'neighbour'],
  [/\b(?:roommate|compa[nñ]ero de cuarto)\b/i, 'roommate'],
  [/\b(?:brother|hermano)\b/i, 'brother'],
  [/\b(?:sister|hermana)\b/i, 'sister'],
  [/\b(?:father|dad|padre|pap[aá])\b/i, 'father'],
  [/\b(?:mother|mom|mum|madre|mam[aá])\b/i, 'mother'],
  [/\b(?:son|hijo)\b/i, 'son'],
  [/\b(?:daughter|hija)\b/i, 'daughter'],
  [/\b(?:stepfather|padrastro)\b/i, 'stepfather'],
  [/\b(?:stepmother|madrastra)\b/i, 'stepmother'],
  [/\b(?:uncle|t[ií]o)\b/i, 'uncle'],
  [/\b(?:aunt|t[ií]a)\b/i, 'aunt'],
  [/\b(?:cousin|prim[oa])\b/i, 'cousin'],
  [/\b(?:company|business|compa[nñ][ií]a|negocio)\b/i, 'company'],
  [/\b(?:owner|due[nñ]o)\b/i, 'owner'],
  [/\b(?:driver|chofer|conductor)\b/i, 'driver'],
  [/\b(?:trucking|truck|cami[oó]n)\b/i, 'truck company'],
];

const HEDGE_WORDS = /\b(?:i think|i guess it'?s|maybe|probably|something like|or something|not sure|i'?m not sure|i believe|creo que|no estoy segur[oa]|o algo as[ií]|o algo)\b/i;
const HEDGE_SHAPE = /\blike\s+\p{Lu}|\bor\s+\p{Lu}\p{Ll}+[\s.?!]*$/u;
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const LEXICON: Record<string, string | undefined> = (nlp.model() as { one: { lexicon: Record<string, string> } }).one.lexicon;
const KNOWN = new Set(['MaleName', 'FemaleName', 'FirstName', 'LastName', 'Organization']);

/** The relationship said nearest before `at` in the phrase (or right after the name: "Kevin Walsh, the other driver"). */
function relationshipAt(phrase: string, at: number, end: number, previousEnd: number): string | undefined {
  const before = phrase.slice(previousEnd, at);
  // The word said last before the name wins; of two ending together the longer ("the other driver" over "driver").
  let best: { label: string; end: number; len: number } | undefined;
  for (const [re, label] of RELATIONS) {
    const g = new RegExp(re.source, 'gi');
    for (const m of before.matchAll(g)) {
      const end = m.index + m[0].length;
      if (!best || end > best.end || (end === best.end && m[0].length > best.len)) best = { label, end, len: m[0].length };
    }
  }
  if (best) return best.label;
  const after = /^[\s,]+(?:(?:he|she|who|that)(?:'s| is| was)\s+)?(?:my|the|his|her|our|mi|el|la)\s+([\p{L} -]{3,30})/iu.exec(phrase.slice(end));
  if (after) for (const [re, label] of RELATIONS) if (re.test(after[1]!)) return label;
  return undefined;
}

/** How plainly a name was said: capitalised by the recogniser, or every word a known name or company. */
function plainlyNamed(name: string, phrase: string): boolean {
  const at = fold(phrase).indexOf(fold(name));
  const said = at >= 0 ? phrase.slice(at, at + name.length) : name;
  const words = said.split(/[\s-]+/).filter(Boolean);
  if (words.every((w) => /^\p{Lu}/u.test(w) || /^(?:of|de|del|la|the|and|&)$/i.test(w))) return true;
  return words.filter((w) => !/^(?:of|de|del|la|the|and|&)$/i.test(w)).every((w) => KNOWN.has(LEXICON[w.toLowerCase()] ?? ''));
}

/**
 * The parties in a caller's phrase, or null when it names nobody ("the other driver, I don't know his name").
 * "my husband, arjun raman" -> Arjun Raman (husband); "my ex John Smith and his girlfriend Lisa Park" -> two parties.
 */
export function readParties(phrase: string): PartyReading | null {
  const named = partyNames(phrase);
  // "the store, it was jewel osco": no word says "name" and none is capitalised, but a word no lexicon knows is likely
  // one; taken unsure, so it is read back before the conflict check uses it.
  const found = named ?? unnamedParty(phrase);
  if (!found) return null;
  const names = found.split('; ');
  const parties: PartyDetail[] = [];
  let previousEnd = 0;
  const lower = fold(phrase);
  for (const name of names) {
    const key = fold(name).split(/[\s-]+/)[0] ?? '';
    let at = lower.indexOf(fold(name), previousEnd);
    if (at < 0) at = key ? lower.indexOf(key, previousEnd) : -1;
    const start = at < 0 ? previousEnd : at;
    const end = at < 0 ? previousEnd : at + name.length;
    const relationship = relationshipAt(phrase, start, end, previousEnd);
    parties.push({ name, ...(relationship ? { relationship } : {}), phrase: phrase.trim() });
    previousEnd = end;
  }
  // "his name was like Jose Martinez or Martin", "I think it's ...": a name the caller is unsure of is read back.
  const hedged = HEDGE_WORDS.test(phrase) || HEDGE_SHAPE.test(phrase);
  const confidence = !named ? 0.5 : names.every((n) => plainlyNamed(n, phrase)) && !hedged ? 0.9 : 0.6;
  return { parties, value: names.join('; '), confidence };
}

/**
 * The asked party slot's fill from the caller's answer: the name(s) as the value and as said back, the parties with
 * their relationship and phrase beside it, read back under the slot's policy when the reading is unsure.
 */
export function partyFill(slot: SlotSpec, text: string, ctx: UnderstandingContext): SlotFill | null {
  const r = readParties(text);
  if (!r) return null;
  const ex = buildExtraction(slot, { status: 'ok', value: r.value }, r.confidence, { language: ctx.language, defaultRegion: ctx.defaultRegion, ...(r.confidence < 0.8 ? { reason: 'party name not said plainly' } : {}) });
  if (ex.status !== 'ok') return null;
  return { slot: slot.name, value: r.value, spoken: r.value, source: text, confidence: r.confidence, confirm: ex.confirm, ...(ex.reason ? { reason: ex.reason } : {}), parties: r.parties };
}
