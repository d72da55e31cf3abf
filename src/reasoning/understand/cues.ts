// Where a slot's cue phrases occur in an utterance: the flow's `cues:` (per language, English always as well, since
// callers mix), plus a few built-in lead-ins derived from the slot's name for dates ("court" -> court date, hearing,
// trial). Matching is on an accent-free lower-case copy of the text that keeps every offset, so the words found can
// be cut from the original.
import type { Language } from '../../primitives.js';
import type { SlotSpec } from '../types.js';

export interface CueHit {
  slot: string;
  start: number;
  end: number;
  phrase: string;
}

/** The last text folded and its fold: one utterance is folded once per slot, a dozen times in a row. */
let lastIn = '';
let lastOut = '';

/** Lower case without accents, one UTF-16 unit per unit of the input, so offsets stay valid. */
export function foldKeep(text: string): string {
  if (text === lastIn) return lastOut;
  const out = foldUncached(text);
  lastIn = text;
  lastOut = out;
  return out;
}

function foldUncached(text: string): string {
  let out = '';
  for (const ch of text) {
    const base = ch.normalize('NFD')[0] ?? ch;
    const low = base.toLowerCase();
    out += low.length === ch.length ? low : ch.length === 1 ? (low[0] ?? ch) : ch;
  }
  return out.replace(/[’‘`]/g, "'");
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const foldPhrase = (p: string) => foldKeep(p.trim()).replace(/\s+/g, ' ');

/** Built-in date lead-ins, keyed by a word of the slot's name. */
const DATE_WORDS: Record<string, string[]> = {
  incident: ['accident', 'the crash', 'crashed', 'rear-ended', 'rear ended', 'got hit', 'was hit', 'it happened', 'this happened', 'that happened', 'happened on', 'happened last', 'got hurt', 'was hurt', 'was injured', 'i fell', 'i slipped', 'bit me', 'fender bender', 'fender-bender', 'wreck', 'collision', 'was robbed', 'got robbed', 'the robbery', 'was attacked', 'was assaulted', 'was bitten', 'was arrested', 'got arrested', 'el accidente', 'un accidente', 'choque', 'me chocaron', 'me cai', 'paso el', 'ocurrio', 'me mordio', 'lo mordio', 'la mordio', 'me robaron', 'me asaltaron'],
  court: ['court date', 'court is', 'court on', 'go to court', 'in court', 'hearing', 'trial', 'arraignment', 'audiencia', 'cita en la corte', 'corte es', 'juicio'],
  hearing: ['court date', 'court is', 'court on', 'go to court', 'hearing', 'trial', 'audiencia', 'cita en la corte', 'juicio'],
  death: ['passed away', 'passed on', 'died', 'death', 'murio', 'fallecio', 'fallecimiento'],
  birth: ['born', 'birthday', 'date of birth', 'naci', 'fecha de nacimiento'],
};

/**
 * The cue phrases of a slot, longest first: every language's, since the utterance that switches a call to Spanish is
 * understood while the call is still in English, and callers mix languages.
 */
export function cuePhrases(slot: SlotSpec, language: Language): string[] {
  const own = [...(slot.cues?.[language] ?? []), ...Object.values(slot.cues ?? {}).flat()];
  const builtIn = slot.type === 'date' ? slot.name.toLowerCase().split(/[_\s]+/).flatMap((w) => DATE_WORDS[w] ?? []) : [];
  return [...new Set([...own, ...builtIn].map(foldPhrase).filter(Boolean))].sort((a, b) => b.length - a.length);
}

/** Every whole-word occurrence of any of the slot's cues, without overlaps (longer cues win). */
/** Compiled cue patterns by slot, cues and language: the engine builds new specs every turn, the cues rarely change. */
const compiled = new Map<string, { phrase: string; lead: string; re: RegExp }[]>();
function patterns(slot: SlotSpec, language: Language): { phrase: string; lead: string; re: RegExp }[] {
  const key = `${slot.name}\u0000${slot.type}\u0000${language}\u0000${JSON.stringify(slot.cues ?? null)}`;
  let list = compiled.get(key);
  if (!list) {
    // "ICE just took", "was already arrested": an adverb said inside a cue does not hide it.
    // `lead`, the cue's first word, is matched literally by the pattern: a text without it cannot match, and a
    // substring search is far cheaper than the Unicode pattern (per slot, per cue, per utterance on the call path).
    list = cuePhrases(slot, language).map((phrase) => ({ phrase, lead: phrase.split(' ')[0]!, re: new RegExp(`(?<![\\p{L}\\p{N}])${esc(phrase).replace(/ /g, String.raw`\s+(?:(?:just|already|still|also|really|recently|finally|actually|so|very|ya|apenas|tambien|mucho|muy|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|ayer|anoche|hoy)\s+)?`)}(?![\\p{L}\\p{N}])`, 'gu') }));
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, list);
  }
  return list;
}

/** "An emergency order of protection", "the emergency room": after the word, a thing it names, not this call's urgency. */
const EMERGENCY_THING_AFTER = /^\s+(?:room|rooms|department|order|orders|protective|protection|restraining|petition|motion|custody|hearing|guardianship|contact|contacts|services|vet|clinic)\b/;
const EMERGENCY_THING_BEFORE = /\b(?:orden(?:es)?|sala|cuarto|audiencia|custodia) de (?:proteccion de |alejamiento de )?$/;

export function findCues(text: string, slot: SlotSpec, language: Language): CueHit[] {
  const folded = foldKeep(text);
  const hits: CueHit[] = [];
  for (const { phrase, lead, re } of patterns(slot, language)) {
    if (!folded.includes(lead)) continue;
    re.lastIndex = 0;
    for (const m of folded.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (hits.some((h) => start < h.end && end > h.start)) continue;
      if (/^emergenc/.test(phrase) && (EMERGENCY_THING_AFTER.test(folded.slice(end, end + 24)) || EMERGENCY_THING_BEFORE.test(folded.slice(Math.max(0, start - 32), start)))) continue;
      hits.push({ slot: slot.name, start, end, phrase });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** A few words before `at` negate what follows ("he's not in custody", "no está detenido", "never got a report"). */
export function negatedBefore(text: string, at: number): boolean {
  const before = foldKeep(text.slice(Math.max(0, at - 24), at));
  // One word may stand between ("isn't really", "not in", "no está"), but not a verb of its own: "hasn't paid child
  // support" denies the paying, not that there are children.
  const m = /(?:\bnot|n't|\bnever|\bno|\bnunca|\bya no)\s+(?:(\S+)\s+)?$/.exec(before);
  if (!m || /\bno\s*,\s*$/.test(before)) return false;
  return !m[1] || /^(?:in|at|on|really|currently|yet|even|exactly|actually|quite|technically|a|an|the|any|been|being|was|were|is|are|be|have|had|has|got|gotten|still|ever|estoy|esta|estaba|estan|tengo|tiene|tenia|hay|fue|ha|he|han|en|la|el|un|una|muy|tan|mas|realmente|todavia|aun)$/.test(m[1]);
}

/**
 * The thing is wanted, not had: "I need a restraining order", "quiero sacar una orden de protección". A yes/no slot
 * such as existing orders is then not answered at all by these words.
 */
export function soughtBefore(text: string, at: number): boolean {
  const before = foldKeep(text.slice(Math.max(0, at - 40), at));
  return /\b(?:need|needs|needed|want|wants|wanted|wanna|get|getting|file for|filing for|apply for|looking for|ask for|asking for|request|requesting|necesito|necesita|necesitamos|quiero|queria|quisiera|solicitar|pedir|sacar|tramitar|conseguir|obtener)\s+(?:(?:to|a|an|one|some|help|with|getting|get|file|filing|for|una?|ayuda|con|para)\s+)*$/.test(before);
}
