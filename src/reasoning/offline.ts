// The offline reasoner: deterministic normalisers, Monte Carlo over the STT alternatives and the rule path for
// decisions. Works anywhere (no network), so `hermes chat` and the tests run without an LLM key.
import { extractDeterministic, type Normalised } from './extract.js';
import { buildExtraction } from './policy.js';
import { redactCardNumbers } from './redact.js';
import { correctionByRules, decideByRules } from './rules.js';
import { understandOffline } from './understand/offline.js';
import { callerName, partyNames } from './understand/people.js';
import type { Extraction, Reasoner, ReasoningContext, SlotSpec, SlotValue, UtteranceInput, Verdict } from './types.js';

export interface OfflineReasonerOptions {
  /** Weight given to an alternative with no confidence (0 would ignore it). */
  minAlternativeWeight?: number;
}

export const sameValue = (a: SlotValue | undefined, b: SlotValue | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;

/** The hypotheses to vote over: the STT alternatives when given, else the text itself. */
export function hypotheses(input: UtteranceInput): { text: string; weight: number }[] {
  const alts = input.alternatives.filter((a) => a.text.trim() !== '');
  if (alts.length === 0) return [{ text: input.text, weight: 1 }];
  const list = alts.map((a) => ({ text: a.text, weight: a.confidence }));
  if (!alts.some((a) => a.text === input.text)) list.unshift({ text: input.text, weight: input.confidence });
  return list;
}

export interface AlternativesVote {
  chosen: Normalised;
  verdict: Verdict;
}

/**
 * Monte Carlo over recognition alternatives: each alternative is normalised; the value with the most confidence
 * weight wins; consistency is the winner's share of the weight, scaled by the recogniser's confidence in the best
 * hypothesis (typed text counts as 1).
 */
export function voteOverAlternatives(slot: SlotSpec, input: UtteranceInput, ctx: ReasoningContext, minWeight = 0.05): AlternativesVote {
  const hs = hypotheses(input);
  const results = hs.map((h) => ({ n: extractDeterministic(slot, redactCardNumbers(h.text), ctx), w: Math.max(h.weight, minWeight) }));
  const total = results.reduce((s, r) => s + r.w, 0);
  const tally: { value: SlotValue; w: number; n: Normalised }[] = [];
  for (const r of results) {
    if (r.n.status !== 'ok') continue;
    const v = r.n.value;
    const entry = tally.find((t) => sameValue(t.value, v));
    if (entry) entry.w += r.w;
    else tally.push({ value: v, w: r.w, n: r.n });
  }
  // Stable: ties go to the earlier (better-ranked) hypothesis.
  const winner = tally.reduce<(typeof tally)[number] | null>((best, t) => (!best || t.w > best.w ? t : best), null);
  const top = Math.min(1, Math.max(0, input.alternatives.length > 0 ? (input.alternatives[0]?.confidence ?? input.confidence) : input.confidence || 1));
  if (!winner) {
    return { chosen: results[0]?.n ?? { status: 'none' }, verdict: { consistency: 0, samples: hs.length } };
  }
  const consistency = (winner.w / total) * top;
  return { chosen: winner.n, verdict: { consistency, value: winner.value, samples: hs.length } };
}

let warm = false;
/** chrono-node compiles its parsers on first use (~100 ms); pay that at start-up, not on the first caller's date. */
export function warmUpNormalisers(): void {
  if (warm) return;
  warm = true;
  const ctx = { now: new Date(), timezone: 'UTC', defaultRegion: 'US' };
  extractDeterministic({ name: 'warm', type: 'date', confirm: 'never' }, 'last Tuesday', ctx);
  extractDeterministic({ name: 'warm', type: 'phone', confirm: 'never' }, 'three one two five five five oh one four two', ctx);
  callerName("hi, I'm Rosa Diaz");
  partyNames('a guy named Kevin Walsh');
}

export function createOfflineReasoner(opts: OfflineReasonerOptions = {}): Reasoner {
  warmUpNormalisers();
  const extract = async (slot: SlotSpec, input: UtteranceInput, ctx: ReasoningContext): Promise<Extraction> => {
    const { chosen, verdict } = voteOverAlternatives(slot, input, ctx, opts.minAlternativeWeight);
    return buildExtraction(slot, chosen, verdict.consistency, { language: ctx.language, defaultRegion: ctx.defaultRegion });
  };
  return {
    mode: 'offline',
    extract,
    understand: (input, ctx) => understandOffline(input, ctx, extract),
    async decide(spec, input) {
      return decideByRules(spec, redactCardNumbers(input.text));
    },
    async correction(input, slots, ctx) {
      return correctionByRules(input.text, slots, ctx);
    },
  };
}
