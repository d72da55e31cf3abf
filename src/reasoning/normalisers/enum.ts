// Enum slots: the caller's words matched against each value's synonyms ("rear-ended", "car crash" -> personal_injury).
// Matching is on word stems with negation skipped ("not a divorce, a custody thing"); the longest synonym wins.
import type { EnumValue } from '../types.js';
import type { Normalised } from './result.js';

// Irregular past forms callers use when describing what happened ("I fell", "the dog bit me").
const IRREGULAR: Record<string, string> = {
  fell: 'fall', fallen: 'fall', bit: 'bite', bitten: 'bite', broke: 'break', broken: 'break', struck: 'strike',
  ran: 'run', hurt: 'hurt', hit: 'hit', stole: 'steal', stolen: 'steal', sued: 'sue',
};
const stem = (w: string) => (IRREGULAR[w] ?? w).replace(/(?:ing|ed|es|s)$/, '').replace(/(.)\1$/, '$1');
const words = (s: string) =>
  s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[_-]/g, ' ').replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/).filter(Boolean).map(stem);
const NEGATORS = new Set(['not', 'no', 'isn\'t', 'wasn\'t', 'nor', 'ni', 'sin']);

export function normaliseEnum(text: string, values: EnumValue[] = []): Normalised {
  const said = words(text);
  let best: { value: string; len: number; at: number } | null = null;
  let tie = false;
  // Every value heard, not only the longest: "both injury and criminal" names two, and is read back.
  const heard = new Set<string>();
  for (const v of values) {
    for (const phrase of [v.value, ...v.synonyms]) {
      const p = words(phrase);
      if (p.length === 0) continue;
      for (let i = 0; i + p.length <= said.length; i++) {
        if (!p.every((w, k) => said[i + k] === w)) continue;
        const negated = [said[i - 1], said[i - 2]].some((w) => w !== undefined && NEGATORS.has(w));
        if (negated) continue;
        heard.add(v.value);
        const len = p.join(' ').length;
        if (!best || len > best.len || (len === best.len && i < best.at)) {
          tie = best !== null && best.value !== v.value && len === best.len;
          best = { value: v.value, len, at: i };
        } else if (best.value !== v.value && len === best.len) {
          tie = true;
        }
      }
    }
  }
  if (!best) return { status: 'none' };
  if (tie || heard.size > 1) return { status: 'ok', value: best.value, note: 'several options matched' };
  return { status: 'ok', value: best.value };
}
