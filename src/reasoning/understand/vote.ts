// The vote between the two readings of one utterance: the deterministic offline interpretation and the model's
// canonicalised reading. Agreement raises confidence; disagreement on a value a wrong read-back would cost (phone,
// email, name, date) sets confirm: true; a value only one side heard is weighed by what kind of value it is. The
// result is an ordinary Interpretation, so the engine cannot tell it from an offline one.
import type { Interpretation, SlotCorrection, SlotFill, UnderstandingContext } from '../interpretation.js';
import { comparisonKey, laplaceConsistency } from '../monte-carlo.js';
import { needsConfirmation, thresholdOf } from '../policy.js';
import { spokenValue } from '../readback.js';
import type { SlotSpec, SlotType, SlotValue } from '../types.js';
import type { ReadValue, Reading } from './llm-reading.js';
import { wordCount } from './text.js';

/** Types where a wrong value stored silently loses the client, so a split vote is always read back. */
export const AGREEMENT_TYPES: ReadonlySet<SlotType> = new Set(['phone', 'email', 'person_name', 'date']);
/** On a split vote, whose value is read back: the normalisers for exact spoken forms, the model for names. */
const PREFER_OFFLINE: ReadonlySet<SlotType> = new Set(['phone', 'email', 'date', 'digits', 'number', 'yes_no', 'text']);
/** Types where the model cannot find a value the normalisers called invalid (it would be a guess). */
const INVALID_STANDS: ReadonlySet<SlotType> = new Set(['phone', 'digits', 'email', 'date']);

/**
 * How sure one model reading is on its own, before any vote: a single choice of a strict-schema reply is good but
 * not proof, so for a `when_unsure` slot with the default threshold (0.8) it is accepted, and a split vote is not.
 */
export const SINGLE_READING_CONFIDENCE = 0.85;

/** Slots whose read-back depends on agreement (a name or date under `when_unsure`): Monte Carlo is worth asking. */
export function agreementDecides(slot: SlotSpec): boolean {
  return AGREEMENT_TYPES.has(slot.type) && slot.confirm === 'when_unsure' && slot.type !== 'phone' && slot.type !== 'email';
}

/** The model's confidence in a value: its samples' Laplace-smoothed agreement, or the single-reading figure. */
export function readingConfidence(v: ReadValue): number {
  return v.samples > 1 ? laplaceConsistency(v.agree, v.samples) : SINGLE_READING_CONFIDENCE;
}

interface Fmt { ctx: UnderstandingContext; text: string }

const words = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}']+/u).filter(Boolean);

/** A name the model gives is trusted over the normalisers' only when every word of it was said. */
function said(value: SlotValue, text: string): boolean {
  const heard = new Set(words(text));
  const name = words(String(value));
  return name.length > 0 && name.every((w) => heard.has(w));
}

function fillFrom(slot: SlotSpec, value: SlotValue, source: string, confidence: number, { ctx }: Fmt, why?: string, force = false): SlotFill {
  const confirm = force || needsConfirmation(slot, confidence);
  const spoken = spokenValue(slot.type, value, ctx.language, ctx.defaultRegion);
  const reason = why ?? (confirm ? (confidence < thresholdOf(slot) ? `confidence ${confidence.toFixed(2)} below ${thresholdOf(slot)}` : 'always read back') : undefined);
  return { slot: slot.name, value, spoken, source, confidence, confirm, ...(confirm && reason ? { reason } : {}) };
}

/** Independent readers that agree: 1 - (1-a)(1-b). */
const both = (a: number, b: number) => 1 - (1 - a) * (1 - b);

function voteOne(slot: SlotSpec, o: SlotFill | undefined, l: ReadValue | undefined, fmt: Fmt, pending: boolean): SlotFill | null {
  const same = (a: SlotValue, b: SlotValue) => comparisonKey(slot)(a) === comparisonKey(slot)(b);
  if (o && !l) {
    // The model read the utterance and did not hear this value: for costly types that is doubt worth a read-back.
    if (!AGREEMENT_TYPES.has(slot.type) || o.confirm) return o;
    return { ...o, confirm: slot.confirm !== 'never', reason: 'the language model did not hear this value' };
  }
  if (!o && l) return fillFrom(slot, l.value, l.source, readingConfidence(l), fmt, l.samples > 1 ? `language model samples agree ${l.agree}/${l.samples}` : undefined);
  if (!o || !l) return null;
  if (same(o.value, l.value)) {
    const confidence = both(o.confidence, readingConfidence(l));
    // A read-back the flow is in the middle of (confirm or spell) stays one, whatever the vote.
    if (pending) return { ...o, confidence };
    const f = fillFrom(slot, o.value, o.source, confidence, fmt, undefined, o.askToSpell === true && confidence < 0.5);
    return { ...f, spoken: o.spoken, ...(o.fromCallerId ? { fromCallerId: true } : {}), ...(o.askToSpell && f.confirm ? { askToSpell: true } : {}) };
  }
  if (slot.type === 'text') return o; // the caller's own words; a paraphrase is no evidence against them
  // Names: the model is better at which words are the name, the normalisers at letters the caller spelled.
  const offlineWins = PREFER_OFFLINE.has(slot.type) || (slot.type === 'person_name' && !said(l.value, fmt.text));
  const value = offlineWins ? o.value : l.value;
  const source = offlineWins ? o.source : l.source;
  const confidence = Math.min(o.confidence, readingConfidence(l)) / 2;
  const why = 'offline and language-model readings differ';
  const f = fillFrom(slot, value, source, confidence, fmt, why, AGREEMENT_TYPES.has(slot.type) && slot.confirm !== 'never');
  return offlineWins ? { ...f, spoken: o.spoken } : f;
}

/** The merged interpretation of the utterance `text`. */
export function voteInterpretations(offline: Interpretation, reading: Reading, ctx: UnderstandingContext, text: string): Interpretation {
  const fmt: Fmt = { ctx, text };
  const spec = new Map(ctx.slotsInScope.map((s) => [s.name, s]));
  const pendingSlot = ctx.asked && ctx.asked.purpose !== 'answer' ? ctx.asked.slot : undefined;
  const invalid = new Map(offline.invalid.map((i) => [i.slot, i]));
  const fills: SlotFill[] = [];
  const names = [...new Set([...offline.fills.map((f) => f.slot), ...reading.fills.keys()])];
  // The asked slot stays first, as the contract wants.
  if (ctx.asked) names.sort((a, b) => Number(b === ctx.asked!.slot) - Number(a === ctx.asked!.slot));
  const offlineCorrected = new Set(offline.corrections.map((c) => c.slot));
  for (const name of names) {
    const slot = spec.get(name);
    const o = offline.fills.find((f) => f.slot === name);
    if (!slot) { if (o) fills.push(o); continue; }
    let l = reading.fills.get(name);
    // "Yes" to a read-back is an affirm, not the same value filled again.
    if (l && name === pendingSlot && ctx.asked?.pendingValue !== undefined && comparisonKey(slot)(l.value) === comparisonKey(slot)(ctx.asked.pendingValue)) l = undefined;
    if (l && invalid.has(name)) {
      if (INVALID_STANDS.has(slot.type)) l = undefined;
      else invalid.delete(name);
    }
    // The model filed it as a correction the offline reading already has: the correction list speaks for it.
    if (!o && l && offlineCorrected.has(name)) continue;
    // A read-back answered "no, it's X": a new value is always confirmed again.
    const f = voteOne(slot, o, l, fmt, name === pendingSlot);
    if (f) fills.push(name === pendingSlot && !o ? { ...f, confirm: true } : f);
  }
  const corrections: SlotCorrection[] = [];
  for (const name of new Set([...offline.corrections.map((c) => c.slot), ...reading.corrections.keys()])) {
    const slot = spec.get(name);
    // The offline reading may have heard the new value as a plain fill: that is still a vote for it.
    const o = offline.corrections.find((c) => c.slot === name) ?? offline.fills.find((f) => f.slot === name);
    const l = reading.corrections.get(name);
    if (!slot) { if (o) corrections.push(o); continue; }
    // The slot's current value is being replaced: corrections are read back by the engine whatever the vote.
    const f = voteOne(slot, o, l, fmt, false);
    if (!f) continue;
    const part = offline.corrections.find((c) => c.slot === name)?.part ?? l?.part;
    corrections.push({ ...f, ...(part ? { part } : {}) });
  }
  // A value the model filed as a correction while offline heard it as a plain fill is one fill, not two.
  const corrected = new Set(corrections.map((c) => c.slot));
  const finalFills = fills.filter((f) => !corrected.has(f.slot));

  const requests = [...offline.requests];
  for (const r of reading.requests) {
    if (requests.some((q) => q.kind === r.kind)) continue;
    // "skip" or "this number" from the model alone cannot override a value the normalisers found for that slot.
    if ((r.kind === 'skip' || r.kind === 'unknown' || r.kind === 'use_caller_id') && finalFills.some((f) => f.slot === (r.slot ?? ctx.asked?.slot) && offline.fills.some((o) => o.slot === f.slot))) continue;
    requests.push(r);
  }
  const leaves = requests.filter((r) => r.kind === 'skip' || r.kind === 'unknown' || r.kind === 'use_caller_id').map((r) => ('slot' in r ? r.slot : undefined) ?? ctx.asked?.slot);
  const outFills = finalFills.filter((f) => !leaves.includes(f.slot));

  // A free-text "question" only the model saw, in an utterance that answered the question asked, is the answer.
  const answered = ctx.asked !== undefined && outFills.some((f) => f.slot === ctx.asked!.slot);
  const questions = offline.questions.length
    ? offline.questions.map((q) => (q.topic === null ? reading.questions.find((r) => r.topic !== null) ?? q : q))
    : reading.questions.filter((q) => q.topic !== null || !answered || /\?\s*$/.test(q.text));
  let affirm = offline.affirm ?? reading.affirm;
  // A split yes/no is no answer: the engine asks again rather than store the wrong one.
  if (offline.affirm !== undefined && reading.affirm !== undefined && offline.affirm !== reading.affirm) affirm = undefined;
  // A few words (a name) say little about the language: the model's guess counts only for a real sentence.
  const language = offline.language ?? (reading.language && (reading.language === ctx.language || wordCount(text) >= 4) ? reading.language : undefined);
  const out: Interpretation = {
    fills: outFills, corrections, invalid: [...invalid.values()], requests, questions,
    ...(affirm !== undefined ? { affirm } : {}), ...(language ? { language } : {}),
    nothingUsable: false, by: 'online+offline',
  };
  out.nothingUsable = out.fills.length + out.corrections.length + out.invalid.length + out.requests.length + out.questions.length === 0 && out.affirm === undefined;
  return out;
}
