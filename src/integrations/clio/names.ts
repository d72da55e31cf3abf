// Person names for Clio: splitting a spoken full name into first and last, and fuzzy comparison for conflict checks.
// Comparison normalises case, accents, punctuation, titles and suffixes, then scores token by token with
// Jaro-Winkler (order-insensitive: "Lee, Ann" and "Ann Lee" are the same person).
import { jaroWinkler } from '@skyra/jaro-winkler';
import type { Language } from '../../primitives.js';
import { nameParts } from '../../reasoning/normalisers/name-parts.js';

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'sr', 'sra', 'srta', 'don', 'dona', 'prof']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'esq', 'md', 'phd']);
const COMPANY_WORDS = new Set(['inc', 'llc', 'ltd', 'co', 'corp', 'corporation', 'company', 'the', 'llp', 'pc', 'pllc']);

/** Lower case, no accents or punctuation, no titles, suffixes or company forms; tokens in spoken order. */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/['-]/g, '')
    .split(/\s+/)
    .filter((t) => t && !TITLES.has(t) && !SUFFIXES.has(t) && !COMPANY_WORDS.has(t));
}

/**
 * Similarity of two names in [0, 1]. Each token of the shorter name is paired with its best match in the other;
 * initials match a token with the same first letter at 0.9. Missing tokens (a middle name said on one side only)
 * cost a little, not everything.
 */
export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  const used = new Set<number>();
  let total = 0;
  for (const t of short) {
    let best = 0;
    let bestAt = -1;
    long.forEach((u, i) => {
      if (used.has(i)) return;
      const s = t.length === 1 || u.length === 1 ? (t[0] === u[0] ? 0.9 : 0) : jaroWinkler(t, u);
      if (s > best) {
        best = s;
        bestAt = i;
      }
    });
    if (bestAt >= 0) used.add(bestAt);
    total += best;
  }
  const paired = total / short.length;
  // One-word names ("Smith") match many people: count the missing tokens so they land in "possible", not "conflict".
  const coverage = short.length / long.length;
  return paired * (0.85 + 0.15 * coverage);
}

/**
 * A caller's stored full name as Clio's Person fields, split by the name parser the understanding step uses
 * (reasoning/normalisers/name-parts.ts): "Ann Marie Lee" -> Ann / Marie / Lee, "Maria de la Cruz" -> Maria / de la
 * Cruz, "Ana Torres García" on a Spanish call -> Ana / Torres García, "Robert Smith Jr." -> Robert / Smith Jr. (the
 * suffix stays with the surname, as Clio shows it). "Lee, Ann" (written surname first) is read as written.
 */
export function clioPersonName(full: string, language: Language = 'en'): { first_name: string; middle_name: string; last_name: string } {
  const clean = full.replace(/\s+/g, ' ').trim();
  if (clean.includes(',')) {
    const [last, first] = clean.split(',', 2).map((s) => s.trim()) as [string, string];
    if (first && last) return { first_name: first, middle_name: '', last_name: last };
  }
  if (!clean) return { first_name: '', middle_name: '', last_name: '' };
  const p = nameParts(clean, language);
  // One word: Clio needs a last name or a first name; a single spoken name is filed as the last name (as before).
  if (!p.last) return { first_name: '', middle_name: '', last_name: p.first };
  return { first_name: p.first, middle_name: p.middle, last_name: [p.last, p.suffix].filter(Boolean).join(' ') };
}

/** "Ann Marie Lee" -> Ann Marie / Lee; "Lee, Ann" -> Ann / Lee; suffixes stay with the last name. */
export function splitName(full: string): { first: string; last: string } {
  const clean = full.replace(/\s+/g, ' ').trim();
  if (clean.includes(',')) {
    const [last, first] = clean.split(',', 2).map((s) => s.trim()) as [string, string];
    if (first && last) return { first, last };
  }
  const parts = clean.split(' ').filter(Boolean);
  if (parts.length <= 1) return { first: '', last: parts[0] ?? '' };
  let lastStart = parts.length - 1;
  const bare = (s: string) => s.toLowerCase().replace(/\./g, '');
  if (SUFFIXES.has(bare(parts[lastStart]!)) && lastStart > 1) lastStart--;
  // Particles belong to the surname: "Maria de la Cruz", "Ludwig van Beethoven".
  while (lastStart > 1 && ['de', 'del', 'la', 'van', 'von', 'da', 'di', 'le', 'st'].includes(bare(parts[lastStart - 1]!))) lastStart--;
  return { first: parts.slice(0, lastStart).join(' '), last: parts.slice(lastStart).join(' ') };
}

/** Digits of a phone number, last 10 (US numbers with or without +1 compare equal). */
export function phoneKey(phone: string): string {
  return phone.replace(/\D/g, '').slice(-10);
}

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
