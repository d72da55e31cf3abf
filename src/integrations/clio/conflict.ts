// The conflict check the caller waits for: search the firm's Clio contacts and matters for the caller, the opposing
// party (and their phone and email), then score the hits with fuzzy name matching.
//   conflict - an opposing party matches a firm contact or a matter's client closely (the firm may act for them)
//   possible - a looser opposing match, or the caller is already known (a client, or an adverse party in an old
//              matter: only staff can tell), or a phone/email belongs to someone with another name
//   clear    - nothing relevant found
// Conservative on purpose: a false "possible" costs a staff review, a false "clear" can cost the firm its duty.
import type { ClioClient, ClioListPage } from './client.js';
import { POSSIBLE_MATCH, partySimilarity, partyVariants, STRONG_MATCH, surnameOf, type ConflictQuery } from './conflict-query.js';
import { emailKey, phoneKey } from './names.js';

export { POSSIBLE_MATCH, STRONG_MATCH, type ConflictQuery } from './conflict-query.js';


export interface ConflictMatch {
  kind: 'contact' | 'matter';
  id: number;
  name: string;
  /** Which searched value it matched. */
  matched: 'caller' | 'opposing' | 'phone' | 'email';
  score: number;
}

export type ConflictStatus = 'clear' | 'possible' | 'conflict';

export interface ConflictResult {
  status: ConflictStatus;
  matches: ConflictMatch[];
}


interface ContactHit {
  id: number;
  name?: string;
  first_name?: string;
  last_name?: string;
  primary_email_address?: string | null;
  primary_phone_number?: string | null;
}
interface MatterHit {
  id: number;
  display_number?: string;
  description?: string;
  client?: { id: number; name?: string } | null;
}

const CONTACT_FIELDS = 'id,name,first_name,last_name,primary_email_address,primary_phone_number';
const MATTER_FIELDS = 'id,display_number,description,client{id,name}';

const contactName = (c: ContactHit) => c.name ?? [c.first_name, c.last_name].filter(Boolean).join(' ');

export async function clioConflictCheck(clio: ClioClient, q: ConflictQuery, signal?: AbortSignal): Promise<ConflictResult> {
  const contacts = (query: string) => clio.get<ClioListPage<ContactHit>>('contacts.json', { query: { query, fields: CONTACT_FIELDS, limit: 200 }, signal }).then((p) => p.data ?? []);
  const matters = (query: string) => clio.get<ClioListPage<MatterHit>>('matters.json', { query: { query, fields: MATTER_FIELDS, limit: 200 }, signal }).then((p) => p.data ?? []);

  const names = [...q.callerNames.map((n) => ({ n, role: 'caller' as const })), ...q.opposingNames.map((n) => ({ n, role: 'opposing' as const }))].filter((x) => x.n.trim());
  const searches = [
    ...names.map(async ({ n, role }) => {
      // Clio's query is a text match, so "Jon Smith" would miss "John Smith": the surname alone is searched too and
      // the fuzzy score decides. An opposing party is also searched under the other spellings records may hold it
      // under ("Jewel Osco", "Acme Trucking" for "Acme Trucking Inc."); the caller's own name as said.
      const surname = surnameOf(n);
      const spellings = role === 'opposing' ? partyVariants(n) : [n];
      const [cs, ms] = await Promise.all([
        Promise.all([...spellings.map(contacts), surname ? contacts(surname) : Promise.resolve([])]).then((x) => x.flat()),
        Promise.all(spellings.map(matters)).then((x) => x.flat()),
      ]);
      const score = (record: string) => partySimilarity(n, record);
      const out: ConflictMatch[] = [];
      for (const c of cs) out.push({ kind: 'contact', id: c.id, name: contactName(c), matched: role, score: score(contactName(c)) });
      for (const m of ms) {
        // A matter hit counts by its client's name; a hit only in the description gets a look, not a verdict.
        const clientName = m.client?.name ?? '';
        const score2 = clientName ? score(clientName) : 0;
        out.push({ kind: 'matter', id: m.id, name: clientName || m.display_number || m.description || `matter ${m.id}`, matched: role, score: Math.max(score2, POSSIBLE_MATCH) });
      }
      return out;
    }),
    ...q.phones.filter(Boolean).map(async (p) => {
      const cs = await contacts(p);
      return cs.filter((c) => c.primary_phone_number && phoneKey(c.primary_phone_number) === phoneKey(p)).map((c): ConflictMatch => ({ kind: 'contact', id: c.id, name: contactName(c), matched: 'phone', score: 1 }));
    }),
    ...q.emails.filter(Boolean).map(async (e) => {
      const cs = await contacts(e);
      return cs.filter((c) => c.primary_email_address && emailKey(c.primary_email_address) === emailKey(e)).map((c): ConflictMatch => ({ kind: 'contact', id: c.id, name: contactName(c), matched: 'email', score: 1 }));
    }),
  ];
  const all = (await Promise.all(searches)).flat().filter((m) => m.score >= POSSIBLE_MATCH);
  return classify(all);
}

/** Keeps the best hit per record and side, and decides the status. Exported for tests of the rules themselves. */
export function classify(hits: ConflictMatch[]): ConflictResult {
  const best = new Map<string, ConflictMatch>();
  for (const h of hits) {
    const k = `${h.kind}:${h.id}:${h.matched}`;
    if ((best.get(k)?.score ?? -1) < h.score) best.set(k, h);
  }
  const matches = [...best.values()].sort((a, b) => b.score - a.score);
  // A matter's score reaches STRONG_MATCH only through its client's name, so both kinds may decide a conflict.
  const status: ConflictStatus = matches.some((m) => m.matched === 'opposing' && m.score >= STRONG_MATCH)
    ? 'conflict'
    : matches.length > 0
      ? 'possible'
      : 'clear';
  return { status, matches: matches.map((m) => ({ ...m, score: Math.round(m.score * 1000) / 1000 })) };
}
