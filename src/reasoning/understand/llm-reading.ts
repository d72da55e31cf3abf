// The model's reply made trustworthy: every value goes through the same deterministic normaliser as the caller's
// words (E.164 phones, YYYY-MM-DD dates against the call's today and timezone, known enum values), digits the caller
// never said are refused, and anything outside the flow's vocabulary (unknown slot, request or FAQ topic) is dropped
// with a reason for the log.
import type { Language } from '../../primitives.js';
import { normaliseSlot } from '../extract.js';
import type { CallerQuestion, CallerRequest, UnderstandingContext } from '../interpretation.js';
import type { Normalised } from '../normalisers/result.js';
import { spokenDigits } from '../spoken-numbers.js';
import type { SlotSpec, SlotValue, UtteranceInput } from '../types.js';
import { LANGUAGES, NAME_PARTS, REQUEST_KINDS, type LlmUnderstanding } from './schema.js';

export interface ReadValue {
  value: SlotValue;
  source: string;
  /** Readings (samples) that gave this value, out of `samples`. */
  agree: number;
  samples: number;
}

export interface Reading {
  fills: Map<string, ReadValue>;
  corrections: Map<string, ReadValue & { part?: (typeof NAME_PARTS)[number] }>;
  requests: CallerRequest[];
  questions: CallerQuestion[];
  affirm?: boolean;
  language?: Language;
  /** Why items were left out, for the log (never spoken, no caller values in it). */
  dropped: string[];
}

const DIGIT_GROUNDED = new Set(['phone', 'digits']);

/** The digits the caller actually said: this utterance, its alternatives and their recent turns. */
function saidDigits(input: UtteranceInput, ctx: UnderstandingContext): string[] {
  const texts = [input.text, ...input.alternatives.map((a) => a.text), ...ctx.transcript.filter((t) => t.speaker === 'caller').slice(-4).map((t) => t.text)];
  return texts.map(spokenDigits).filter(Boolean);
}

/** A model value in the slot's canonical form, or why it cannot be used. */
export function canonicalValue(slot: SlotSpec, raw: unknown, input: UtteranceInput, ctx: UnderstandingContext): Normalised {
  const text = typeof raw === 'boolean' ? (raw ? 'yes' : 'no') : String(raw ?? '').trim();
  if (!text) return { status: 'none' };
  const n = normaliseSlot(slot, text, ctx);
  if (n.status !== 'ok' || !DIGIT_GROUNDED.has(slot.type)) return n;
  // The model may "complete" a number the caller half gave, or recall one from elsewhere: the significant digits must
  // have been said.
  const digits = String(n.value).replace(/\D/g, '');
  const tail = digits.slice(-Math.min(digits.length, 7));
  if (!saidDigits(input, ctx).some((d) => d.includes(tail))) return { status: 'invalid', reason: 'digits the caller did not say' };
  return n;
}

/** The reply of one choice as a reading of the utterance, every value canonical and in the flow's vocabulary. */
export function readReply(reply: LlmUnderstanding, input: UtteranceInput, ctx: UnderstandingContext): Reading {
  const spec = new Map(ctx.slotsInScope.map((s) => [s.name, s]));
  const out: Reading = { fills: new Map(), corrections: new Map(), requests: [], questions: [], dropped: [] };
  const values = (items: { slot: string; value: unknown; source?: string }[] | undefined, kind: string) => {
    const got: { slot: SlotSpec; value: SlotValue; source: string; item: (typeof items & {})[number] }[] = [];
    for (const item of items ?? []) {
      const slot = spec.get(item.slot);
      if (!slot) { out.dropped.push(`${kind} for unknown slot ${item.slot}`); continue; }
      const n = canonicalValue(slot, item.value, input, ctx);
      if (n.status !== 'ok') { out.dropped.push(`${kind} ${slot.name}: ${n.status === 'invalid' ? n.reason : 'no usable value'}`); continue; }
      got.push({ slot, value: n.value, source: typeof item.source === 'string' && item.source ? item.source : input.text, item });
    }
    return got;
  };
  for (const f of values(reply.fills, 'fill')) {
    if (!out.fills.has(f.slot.name)) out.fills.set(f.slot.name, { value: f.value, source: f.source, agree: 1, samples: 1 });
  }
  for (const c of values(reply.corrections, 'correction')) {
    // Nothing collected yet means nothing to correct: it is a fill.
    const held = ctx.slots[c.slot.name];
    if (held === undefined || held === null) {
      if (!out.fills.has(c.slot.name)) out.fills.set(c.slot.name, { value: c.value, source: c.source, agree: 1, samples: 1 });
      continue;
    }
    const part = (c.item as { part?: unknown }).part;
    const p = c.slot.type === 'person_name' && NAME_PARTS.includes(part as never) ? { part: part as (typeof NAME_PARTS)[number] } : {};
    out.corrections.set(c.slot.name, { value: c.value, source: c.source, agree: 1, samples: 1, ...p });
  }
  const phone = (name: string | null | undefined) =>
    spec.get(name ?? '')?.type === 'phone' ? name! : ctx.asked && spec.get(ctx.asked.slot)?.type === 'phone' ? ctx.asked.slot : ctx.slotsInScope.find((s) => s.type === 'phone')?.name;
  for (const r of reply.requests ?? []) {
    const kind = r.kind as CallerRequest['kind'];
    if (!REQUEST_KINDS.includes(kind)) { out.dropped.push(`unknown request ${r.kind}`); continue; }
    if (out.requests.some((q) => q.kind === kind)) continue;
    const slot = r.slot && spec.has(r.slot) ? r.slot : ctx.asked?.slot;
    if (kind === 'language') {
      const language = r.language as Language;
      if (LANGUAGES.includes(language) && language !== ctx.language) out.requests.push({ kind, language });
      else out.dropped.push('language request without another language');
    } else if (kind === 'use_caller_id') {
      const target = phone(r.slot);
      if (ctx.callerId && target) out.requests.push({ kind, slot: target });
      else out.dropped.push('use_caller_id without caller ID or a phone slot');
    } else if (kind === 'skip' || kind === 'unknown') {
      out.requests.push(slot ? { kind, slot } : { kind });
    } else {
      out.requests.push({ kind });
    }
  }
  const topics = new Set(ctx.faq.map((t) => t.id));
  for (const q of reply.questions ?? []) {
    if (typeof q.text !== 'string' || !q.text.trim()) continue;
    const topic = typeof q.topic === 'string' && topics.has(q.topic) ? q.topic : null;
    const subject = topic === 'practice_areas' && typeof q.subject === 'string' && q.subject.trim() ? { subject: q.subject.trim() } : {};
    out.questions.push({ topic, ...subject, text: q.text.trim() });
  }
  if (typeof reply.affirm === 'boolean' && ctx.asked && (ctx.asked.purpose === 'confirm' || spec.get(ctx.asked.slot)?.type === 'yes_no')) out.affirm = reply.affirm;
  if (LANGUAGES.includes(reply.language as Language)) out.language = reply.language as Language;
  return out;
}
