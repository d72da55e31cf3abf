// What the conflict check searches for, written once for production (clio/conflict.ts through the effect runner) and
// the simulator (simulate/effects.ts), so `hermes simulate` decides a conflict with the same names and the same
// matching as a live call: the party *names* (never the caller's sentence), each with the spellings a firm's records
// may hold it under, compared by the fuzzy name score of names.ts.
import { nameSimilarity, nameTokens } from './names.js';

export interface ConflictQuery {
  callerNames: string[];
  /** Party names, one per party (the names the understanding step extracted, never the caller's phrase). */
  opposingNames: string[];
  phones: string[];
  emails: string[];
}

/** Name similarity at or above which an opposing party counts as the same person. */
export const STRONG_MATCH = 0.93;
/** Name similarity at or above which a hit is worth a person's look. */
export const POSSIBLE_MATCH = 0.85;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/** What callers say when there is no other party ("none", "nobody", "ninguna"): not a name to search Clio for. */
const NO_PARTY = /^(?:none|no one|nobody|no|nope|n\/?a|not applicable|there isn'?t one|there is none|ningun[oa]|nadie|no hay|no hay ninguna?)[.!]?$/i;

/**
 * "Acme Corp and John Smith" / "A, B" / "A; B" (several parties in one answer) -> each name on its own. A value with
 * "; " is the party reader's list of names, split there only: "Smith & Wesson; Kevin Walsh" keeps the company whole.
 */
export const partyList = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(str) : str(v).split(str(v).includes(';') ? /\s*;\s*/ : /\s*(?:,|;|\band\b|\by\b|&)\s*/i))
    .map((s) => s.trim())
    .filter((s) => s.length > 1 && !NO_PARTY.test(s));

/** The conflict query from the effect's args, falling back to the slots of the same names. */
export function conflictQuery(args: Record<string, unknown>, slots: Record<string, unknown>): ConflictQuery {
  const pick = (...keys: string[]) => keys.map((k) => args[k] ?? slots[k]).find((v) => v !== undefined && v !== null && v !== '');
  return {
    callerNames: partyList(pick('caller_name', 'name', 'full_name')),
    opposingNames: partyList(pick('opposing_party', 'opposing_parties', 'adverse_party', 'opposing_name')),
    phones: [str(pick('phone', 'callback_phone'))].filter(Boolean),
    emails: [str(pick('email'))].filter(Boolean),
  };
}

const CORPORATE = /[,\s]+(?:inc|llc|l\.l\.c|ltd|corp|corporation|co|company|llp|pllc|pc|p\.c|lp)\.?$/i;
const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

/**
 * The spellings a firm's records may file a party under, the name first: without the company form ("Acme Trucking
 * Inc." -> "Acme Trucking") or a leading "The", with a hyphen or apostrophe as a space or gone ("Jewel-Osco" ->
 * "Jewel Osco", "O'Brien" -> "OBrien"), without accents ("José Álvarez" -> "Jose Alvarez"), and a Spanish name
 * with two surnames by its first surname ("Luis Romero Díaz" -> "Luis Romero"). At most five, no duplicates.
 */
export function partyVariants(name: string): string[] {
  const n = name.replace(/\s+/g, ' ').trim();
  if (!n) return [];
  const out = [n];
  const add = (v: string) => {
    const t = v.replace(/\s+/g, ' ').trim();
    if (t.length > 1 && !out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  };
  const bare = n.replace(CORPORATE, '').replace(/^the\s+/i, '');
  add(bare);
  if (/[-'’]/.test(bare)) {
    add(bare.replace(/-/g, ' '));
    add(bare.replace(/['’]/g, ''));
  }
  if (plain(bare) !== bare) add(plain(bare));
  const words = bare.split(' ');
  if (words.length === 3 && /\p{Lu}/u.test(words[0]!.charAt(0)) && /[áéíóúñ]|(?:ez|es)$/iu.test(words.slice(1).join(' '))) add(words.slice(0, 2).join(' '));
  return out.slice(0, 5);
}

/** The best similarity between any spelling of a searched party and a record's name. */
export function partySimilarity(searched: string, record: string): number {
  return Math.max(0, ...partyVariants(searched).map((v) => nameSimilarity(v, record)));
}

/** The searched name's surname, when it is a several-word name (Clio's text search misses "Jon" for "John"). */
export function surnameOf(name: string): string | undefined {
  const tokens = nameTokens(name);
  const last = tokens.at(-1);
  return last && last !== tokens.join(' ') ? last : undefined;
}

/**
 * The simulator's conflict check: `listed` are the names a script says the firm's records hold as conflicting
 * parties; a searched name (caller or opposing, as conflictQuery found them) matches one at STRONG_MATCH, the
 * threshold at which production reports a conflict.
 */
export function listedConflicts(q: ConflictQuery, listed: string[]): string[] {
  return [...q.callerNames, ...q.opposingNames].filter((n) => listed.some((l) => partySimilarity(n, l) >= STRONG_MATCH));
}
