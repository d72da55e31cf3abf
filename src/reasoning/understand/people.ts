// People and organisations in what callers say: the caller's own name when they introduce themselves anywhere in an
// utterance ("I'm his grandmother Rosa Diaz", "hi there, this is Omar", "habla Ana Torres"), and the name of a party
// inside a phrase ("the other driver was a guy named Kevin Walsh" -> Kevin Walsh, "my husband, arjun raman" ->
// Arjun Raman, "the store, it was the Jewel-Osco on Clark Street" -> Jewel-Osco). compromise's person lexicon tells a
// first name from an ordinary word after a weak introduction ("I'm Omar" vs "I'm calling", "this is about"). Its
// lexicon is looked up directly: running the full tagger costs milliseconds per call, a lookup costs nothing.
import nlp from 'compromise';
import { normaliseName } from '../normalisers/name.js';

export interface FoundName {
  value: string;
  /** The words it came from, verbatim. */
  source: string;
  confidence: number;
}

/** Introductions that always precede the speaker's own name. */
const STRONG = /\b(?:my name is|my name's|my full name is|the name is|name's|me llamo|mi nombre es|mi nombre completo es)\s+/gi;
/** Introductions that precede a name only sometimes ("I'm Rosa" / "I'm calling"); checked word by word. */
const WEAK = /(?:^|[,.!?]\s*|\b(?:hi|hello|hey|yes|yeah|and|so|okay|ok|well|buenas|hola|bueno|s[ií])[\s,]+)(?:this is|it's|it is|i'm|i am|soy|habla|le habla|aqu[ií] habla)\s+/giu;
const KIN = /^(?:(?:his|her|their|the|my|su|la|el)\s+)?(?:grand(?:mother|ma|father|pa|son|daughter)|mother|mom|father|dad|son|daughter|wife|husband|sister|brother|aunt|uncle|cousin|niece|nephew|girlfriend|boyfriend|fianc[ée]e?|partner|friend|neighbou?r|roommate|guardian|parent|step(?:mother|father|son|daughter)|abuel[ao]|madre|mam[aá]|padre|pap[aá]|hij[ao]|espos[ao]|herman[ao]|t[ií][ao]|prim[ao])\b[\s,]*/iu;

/** Clause end after a name: what follows the name is not part of it. */
const CLAUSE_END = /[.!?;]|\s(?:and|but|because|calling|i'm|i am|i was|i have|my|y|pero|porque|llamo|llamando|mi)\s/i;

function clip(rest: string): string {
  const m = CLAUSE_END.exec(` ${rest} `);
  return m ? rest.slice(0, Math.max(0, m.index - 1)) : rest;
}

const LEXICON: Record<string, string | undefined> = (nlp.model() as { one: { lexicon: Record<string, string> } }).one.lexicon;
const FIRST_NAME = new Set(['MaleName', 'FemaleName', 'FirstName']);
const VERBISH = new Set(['PastTense', 'Gerund', 'Infinitive', 'PresentTense', 'Verb', 'Modal', 'Copula', 'Auxiliary', 'Participle', 'PhrasalVerb', 'Imperative']);
const FUNCTION_WORD = new Set(['Adverb', 'Pronoun', 'Determiner', 'Preposition', 'Conjunction', 'QuestionWord', 'Negative', 'Possessive', 'Expression']);

const tagOf = (w: string) => LEXICON[w.toLowerCase()];
export const isFirstName = (w: string): boolean => FIRST_NAME.has(tagOf(w) ?? '');
const isKnownName = (w: string): boolean => isFirstName(w) || tagOf(w) === 'LastName';
/** A word that describes or acts rather than names ("calling", "really", "about"); -ed/-ing/-ly guesses for the rest. */
function isOrdinaryWord(w: string, adjectives: boolean): boolean {
  const tag = tagOf(w);
  if (tag) return VERBISH.has(tag) || FUNCTION_WORD.has(tag) || (adjectives && tag === 'Adjective');
  return /^\p{Ll}+(?:ed|ing|ly)$/u.test(w) && w.length > 4;
}

/**
 * Whether `w` ends the name collected so far. Right after a first name almost anything but a function word or a past
 * verb is the surname ("Lisa Park"); after a surname a verb ends it ("Robert Diaz passed away"); a company name runs on
 * through words a person's name would not ("Blue Line Trucking").
 */
function endsName(words: string[], w: string): boolean {
  const tag = tagOf(w);
  if (isKnownName(w)) return false;
  if (tag && FUNCTION_WORD.has(tag)) return true;
  const prev = words[words.length - 1]!;
  if (words.length === 1 && isFirstName(prev)) return tag === 'PastTense' || tag === 'Copula' || tag === 'Modal' || tag === 'Auxiliary' || tag === 'Gerund';
  if (words.some(isKnownName)) return isOrdinaryWord(w, false);
  return tag === 'PastTense' || tag === 'Copula' || tag === 'Modal' || tag === 'Auxiliary';
}

/** True when the first word is a known first name, or was capitalised by the recogniser and is no ordinary word. */
function looksLikeName(words: string): boolean {
  const first = words.trim().split(/[\s,]+/)[0] ?? '';
  if (!first || first.length < 2) return false;
  if (isFirstName(first)) return true;
  return /^\p{Lu}\p{Ll}/u.test(first) && !isOrdinaryWord(first, true) && !tagOf(first)?.match(/Noun|Singular|Plural|Uncountable/);
}

/** The caller's own name, when they introduce themselves anywhere in the utterance. The last introduction wins. */
export function callerName(text: string): FoundName | null {
  let best: FoundName | null = null;
  for (const m of text.matchAll(STRONG)) {
    const rest = clip(text.slice(m.index + m[0].length));
    const n = normaliseName(rest);
    if (n.status === 'ok' && typeof n.value === 'string') best = { value: n.value, source: (m[0] + rest).trim(), confidence: n.note ? 0.7 : 0.9 };
  }
  if (best) return best;
  for (const m of text.matchAll(WEAK)) {
    let rest = text.slice(m.index + m[0].length);
    const kin = KIN.exec(rest);
    if (kin) rest = rest.slice(kin[0].length);
    // "I'm Miguel's grandmother", "soy la abuela de Miguel": the name said is someone else's.
    if (/^\S+'s\b/i.test(rest) || /^(?:de|of)\b/i.test(rest)) continue;
    rest = clip(rest);
    if (!looksLikeName(rest)) continue;
    const n = normaliseName(rest);
    if (n.status !== 'ok' || typeof n.value !== 'string') continue;
    const known = isFirstName(rest.split(/[\s,]+/)[0] ?? '');
    // A name repaired while said (a note says so) is read back.
    best = { value: n.value, source: (m[0] + (kin?.[0] ?? '') + rest).replace(/^[\s,.!?]+/, '').trim(), confidence: known && !n.note ? 0.85 : 0.7 };
  }
  return best;
}

// ---- parties -------------------------------------------------------------------------------------------------------

/** Words between a role and the name ("was a guy named", "it was the", "his name is", "se llama"). */
const PARTY_LEAD = /^(?:[\s,:-]|\b(?:it was|it's|it is|that's|that is|that would be|was|is|were|are|a guy|a man|a woman|a lady|a girl|a kid|some guy|some woman|a company|a business|the company|the business|the store|named|called|by the name of|(?:his|her|their|the|its) name (?:is|was)|name's|whose name is|i think|maybe|probably|like|se llama|llamad[oa]|de nombre|es|era|fue|the|an?|my|mi|his|her|el|la|los|las|un|una|ex|former)\b)+/iu;
const ROLES = /^(?:(?:ex[\s-]?)?(?:husband|wife|spouse|boyfriend|girlfriend|partner)|other driver|driver|landlord|landlady|boss|employer|manager|supervisor|company|store|business|neighbou?r|contractor|doctor|hospital|insurance(?: company)?|insurer|school|owner|tenant|roommate|brother|sister|mother|father|mom|mum|dad|grandmother|grandfather|grandma|grandpa|stepfather|stepmother|son|daughter|cousin|uncle|aunt|guy|man|woman|lady|otro chofer|otro conductor|chofer|conductor|marido|esposo|esposa|exesposo|exesposa|patr[oó]n|jefe|jefa|due[nñ][oa]|compa[nñ][ií]a|empresa|tienda|vecin[oa]|casero|arrendador|other (?:party|side|person))\b[\s,]*/iu;
/** Where a party's name ends: places, time, and the next clause. */
const PARTY_END = new Set([
  'on', 'at', 'in', 'near', 'by', 'and', 'who', 'that', 'which', 'because', 'but', 'when', 'where', 'so', 'he', 'she',
  'they', 'it', 'was', 'is', 'i', "i'm", 'we', 'with', 'after', 'before', 'last', 'yesterday', 'for', 'from', 'over',
  'off', 'downtown', 'hit', 'ran', 'rear', 'has', 'had', 'did', 'does', 'y', 'en', 'que', 'porque', 'pero', 'cuando',
  'did', 'just', 'then', 'or', 'to', 'about', 'there', 'se', 'llama', 'es', 'era', 'something', 'somethin', 'algo',
]);
const NOT_PARTY = /^(?:i|you|he|she|they|we|it|know|don't|dont|not|no|none|nobody|sure|remember|unknown|idk|nothing|someone|somebody|anyone|yes|yeah|um|uh|the|a|an|hi|hello|hey|okay|ok|so|well|please|sorry|thanks|thank|oh|hola|bueno|pues|s[ií]|gracias|buenas|buenos|good|morning|afternoon|evening)$/iu;
const CORP = new Set(['llc', 'inc', 'corp', 'co', 'ltd', 'lp', 'llp', 'pllc', 'pc', 'sa']);

function titleCase(words: string[]): string {
  return words
    .map((w, i) => {
      const lw = w.toLowerCase();
      if (CORP.has(lw.replace(/\.$/, ''))) return lw === 'co' ? 'Co' : lw.replace(/\.$/, '').toUpperCase().replace(/^INC$/, 'Inc').replace(/^CORP$/, 'Corp');
      if (i > 0 && /^(?:de|del|la|of|and|the|van|von)$/.test(lw)) return lw;
      if (/\p{Lu}/u.test(w)) return w;
      return w.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('-').replace(/^(O'|Mc)(\p{L})/u, (_m, a: string, b: string) => a + b.toUpperCase());
    })
    .join(' ');
}

/** One party name at the start of `text` (after roles and lead words), with how much of `text` it used. */
function onePartyAt(text: string): { value: string; end: number; named: boolean } | null {
  let rest = text;
  let used = 0;
  for (let k = 0; k < 4; k++) {
    const before = rest;
    const lead = PARTY_LEAD.exec(rest);
    if (lead && lead[0]) { rest = rest.slice(lead[0].length); used += lead[0].length; }
    const role = ROLES.exec(rest);
    if (role && role[0]) { rest = rest.slice(role[0].length); used += role[0].length; }
    if (rest === before) break;
  }
  // "Mr. Henderson", "doña Carmen Ruiz": a title before the name is not part of it (nor a pause after its period).
  const title = /^(?:mr|mrs|ms|miss|dr|doctor|don|do[nñ]a|se[nñ]or|se[nñ]ora|sr|sra|srta)\.?\s+(?=\p{L})/iu.exec(rest);
  if (title) { rest = rest.slice(title[0].length); used += title[0].length; }
  const tokens = rest.split(/\s+/);
  const words: string[] = [];
  let consumed = 0;
  for (const [i, raw] of tokens.entries()) {
    const w = raw.replace(/[,.;:!?]+$/, '');
    if (!w) { consumed += raw.length + 1; continue; }
    // "City of Chicago", "Village of Oak Park", "Bank of America": "of" joins two capitalised parts of one name.
    // In Spanish "de" joins only after a word that heads an organisation's name ("Banco de México", "Hospital de
    // Cook"); after a brand it names the place ("el Jewel-Osco de Ashland" -> Jewel-Osco).
    if (/^(?:de|del)$/i.test(w) && raw === w && words.length && /^\p{Lu}/u.test(tokens[i + 1] ?? '') && !ORG_HEAD_ES.test(words.at(-1)!) && !isFirstName(words.at(-1)!)) break;
    if (/^(?:of|de|del)$/i.test(w) && raw === w && words.length && /^\p{Lu}/u.test(words.at(-1)!) && /^\p{Lu}/u.test(tokens[i + 1] ?? '')) {
      words.push(w.toLowerCase());
      consumed += raw.length + 1;
      continue;
    }
    // "Tony hasn't paid", "Kevin won't let us in": a negated verb ends the name.
    if (/n't$|n’t$/i.test(w)) break;
    if (PARTY_END.has(w.toLowerCase()) && !(w.toLowerCase() === 'and' && words.length && /^\p{Lu}/u.test(words[0]!) && /&/.test(raw))) break;
    if (!/^[\p{L}\p{N}'’&.-]+$/u.test(w)) break;
    // "Robert Diaz passed away": a verb after the name ends it.
    if (words.length && /^\p{Ll}/u.test(w) && endsName(words, w)) break;
    words.push(w);
    consumed += raw.length + 1;
    if (raw !== w || words.length >= 5) break; // a pause ends the name
  }
  if (!words.length || NOT_PARTY.test(words[0]!)) return null;
  // "was speeding", "really rude": words that describe, not name.
  if (!isKnownName(words[0]!) && tagOf(words[0]!) !== 'Organization' && !/^\p{Lu}/u.test(words[0]!) && isOrdinaryWord(words[0]!, words.length === 1)) return null;
  const person = words.length <= 4 && words.some(isKnownName) ? normaliseName(words.join(' ')) : null;
  const value = person?.status === 'ok' && typeof person.value === 'string' ? person.value : titleCase(words);
  const w0 = words[0]!;
  const named = isKnownName(w0) || /^\p{Lu}/u.test(w0) || tagOf(w0) === 'Organization';
  return { value, end: used + consumed, named };
}

/** Words after which a name follows ("is called Murphy's Tap", "said Swift Parcel on the side", "se llama Luis"). */
const NAMING = /\b(?:called|named|said|se llama(?:ba|n|ban)?|llamad[oa]|de nombre|name is|name was)\s+/gi;
const SPLIT = /,\s*|\b(?:is|was|it's|it is|it was|was from|from|at|es|era|fue|belong(?:s|ed)? to|owned by|run by|operated by|works? for|worked for|insured (?:by|with)|pertenec[ií]a a|es de|era de)\s+/gi;
/** Words that head a Spanish organisation's name before "de" ("Banco de ...", "Universidad de ..."). */
const ORG_HEAD_ES = /^(?:banco|universidad|ciudad|hospital|cl[ií]nica|escuela|colegio|departamento|municipio|condado|secretar[ií]a|instituto|centro|compa[nñ][ií]a|corporaci[oó]n|grupo|servicios|transportes|seguros|oficina|iglesia|villa|pueblo|estado|gobierno|bank|city|village|town|county|university|college|state|department|board|school|hospital)$/i;

/** The parties from the start of `text`, chained by "and" ("John Smith and his girlfriend Lisa Park"). */
function partiesFrom(text: string, explicit: boolean): { names: string[]; named: boolean } | null {
  const names: string[] = [];
  let rest = text.trim();
  let named = false;
  for (let k = 0; k < 3 && rest; k++) {
    const one = onePartyAt(rest);
    // A second party must look like a name ("and his girlfriend Lisa Park"), not the next clause ("and my court date").
    if (!one || (k > 0 && !one.named)) break;
    if (k === 0) named = one.named || explicit;
    if (!names.includes(one.value)) names.push(one.value);
    rest = rest.slice(one.end);
    const more = /^\s*(?:,\s*)?(?:and|y|also|plus)\s+(?:also\s+)?/i.exec(rest);
    if (!more) break;
    rest = rest.slice(more[0].length);
  }
  return names.length ? { names, named } : null;
}

/**
 * The name(s) of the other party in a phrase, or null when the phrase names nobody ("the other driver, I don't know
 * his name", "the truck"). Each pause or naming word starts a candidate ("her biological father, Adam Pierce", "a
 * city bus, the CTA", "the truck was from Midwest Freight Lines"); the first that looks like a name (capitalised, a
 * known name or company, or right after "called" / "named") wins. Several parties ("my ex John Smith and his
 * girlfriend Lisa Park") are joined with "; ".
 */
export function partyNames(phrase: string): string | null {
  const text = phrase.trim();
  const starts = new Map<number, boolean>([[0, false]]);
  for (const m of text.matchAll(NAMING)) starts.set(m.index + m[0].length, true);
  for (const m of text.matchAll(SPLIT)) if (!starts.has(m.index + m[0].length)) starts.set(m.index + m[0].length, false);
  const ordered = [...starts.entries()].sort((a, b) => a[0] - b[0]);
  for (const [i, [at, explicit]] of ordered.entries()) {
    const c = partiesFrom(text.slice(at), explicit);
    // "Donald Kerr, K E R R": letters spelled after a name are its spelling, not a party.
    if (!c?.named || c.names.every(isSpelling)) continue;
    // "my wife, Rachel, Rachel Lefkowitz": a first name alone, then said in full, is the full name.
    const only = c.names.length === 1 && !/\s/.test(c.names[0]!) ? c.names[0]! : null;
    if (only) {
      for (const [later, ex] of ordered.slice(i + 1)) {
        const fuller = partiesFrom(text.slice(later), ex)?.names[0];
        if (fuller && fuller.split(' ').length >= 2 && fuller.split(' ')[0]!.toLowerCase() === only.toLowerCase()) return fuller;
      }
    }
    return c.names.map(withoutVehicle).join('; ');
  }
  return null;
}

const isSpelling = (name: string): boolean => name.split(/\s+/).length >= 2 && name.split(/\s+/).every((w) => /^\p{L}\.?$/u.test(w));
/** "an Amazon van", "a FedEx truck": the vehicle is the company's; the company is the party. */
const withoutVehicle = (name: string): string => (/\s/.test(name) ? name.replace(/\s+(?:delivery\s+)?(?:van|truck|car|bus|vehicle|semi|suv|trailer)$/i, '') : name);

/**
 * The first candidate name in a phrase that nothing marks as a name (not capitalised, no "named", no known name), when
 * it has two words or more and one is unknown to the lexicon, so likely a proper name ("the store, it was jewel osco"
 * -> Jewel Osco); one word alone ("the truck") is no name. For an unsure reading that is read back.
 */
export function unnamedParty(phrase: string): string | null {
  const text = phrase.trim();
  const starts = new Set<number>([0]);
  for (const m of text.matchAll(NAMING)) starts.add(m.index + m[0].length);
  for (const m of text.matchAll(SPLIT)) starts.add(m.index + m[0].length);
  for (const at of [...starts].sort((a, b) => b - a)) {
    const c = partiesFrom(text.slice(at), false);
    const first = c?.names[0];
    const words = first?.split(/[\s-]+/) ?? [];
    if (first && words.length >= 2 && words.some((w) => !tagOf(w) && w.length > 2)) return c.names.join('; ');
  }
  return null;
}
