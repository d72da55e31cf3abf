// Deterministic slot extraction: picks the normaliser for the slot type and understands corrections inside an
// utterance ("three one two, sorry, three one three", "it's four not five", "not the fourth, the fifth").
// Used by both reasoners: offline it is the whole answer; online it runs first and is the fallback.
import { normaliseDate, spokenYear } from './normalisers/date.js';
import { normaliseEmail } from './normalisers/email.js';
import { normaliseEnum } from './normalisers/enum.js';
import { normaliseAddress, normaliseDigits, normaliseNumber, normaliseText } from './normalisers/misc.js';
import { namesNobody, normaliseName } from './normalisers/name.js';
import { normalisePhone } from './normalisers/phone.js';
import type { Normalised } from './normalisers/result.js';
import { normaliseYesNo } from './normalisers/yes-no.js';
import { decideByRules } from './rules.js';
import { spokenDigits } from './spoken-numbers.js';
import type { ReasoningContext, SlotSpec } from './types.js';

export type { Normalised };

type Ctx = Pick<ReasoningContext, 'now' | 'timezone' | 'defaultRegion'> & Partial<Pick<ReasoningContext, 'slots'>>;

/** The plain normaliser for a slot type, with no correction handling. */
export function normaliseSlot(slot: SlotSpec, text: string, ctx: Ctx): Normalised {
  switch (slot.type) {
    case 'phone': return normalisePhone(text, ctx.defaultRegion);
    case 'email': return normaliseEmail(text);
    case 'person_name': return normaliseName(text);
    case 'date': return normaliseDate(text, ctx.now, ctx.timezone, slot.dateRange ?? 'any');
    case 'yes_no': return normaliseYesNo(text);
    case 'enum': return enumWithKeywords(slot, text);
    case 'number': return normaliseNumber(text);
    case 'digits': return normaliseDigits(text, slot.minLength, slot.maxLength);
    case 'address': return normaliseAddress(text);
    case 'text': return normaliseText(text);
  }
}

// Self-corrections inside one utterance; a bare "no" counts only between commas ("six thousand, no, seven thousand").
/**
 * Enum values named like practice areas also match the built-in keyword lists ("rear-ended" -> personal_injury) when
 * none of the flow's synonyms did; such a match is marked so the policy reads it back.
 */
function enumWithKeywords(slot: SlotSpec, text: string): Normalised {
  const direct = normaliseEnum(text, slot.values);
  if (direct.status !== 'none' || !slot.values?.length) return direct;
  const d = decideByRules({ name: slot.name, question: '', options: slot.values.map((v) => v.value) }, text);
  if (d.choice === null || d.confidence < 0.75) return direct;
  return { status: 'ok', value: d.choice, note: `matched by keywords (${d.rationale.join(', ')})` };
}

const MARKER = /(?:\b(?:no,?\s+sorry|sorry|i mean|i meant|actually|no wait|wait|let me correct that|correction|scratch that|i'm sorry|perdón|perdon|digo|quiero decir|mejor dicho|no espera|espera)\b|,\s*no(?=\s*,))[,.]?/gi;
const LEADING_NO = /^\s*(?:no|nope|sorry|actually|wait|oops|perdón|perdon)\b[,.!]?\s*/i;
const DIGIT_TYPES = new Set(['phone', 'digits']);
/** A correction that names only a day of the month ("the twenty-eighth", "el veintiocho"), no month or relative word. */
const DAY_ONLY = /^(?![\s\S]*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic|last|next|ago|yesterday|today|tomorrow|week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|ayer|hoy|semana|mes|año)\w*)[\s\S]*\b(?:the|el)\b/i;

/** Normalises `text` for `slot`, honouring corrections the caller made while saying it. */
export function extractDeterministic(slot: SlotSpec, text: string, ctx: Ctx): Normalised {
  if (slot.type === 'text' || slot.type === 'yes_no') return normaliseSlot(slot, text, ctx);
  // "one moment", "hold on": hesitations that contain number words but no value.
  let t = text.replace(/\b(?:one|a|just a)\s+(?:moment|second|sec|minute)\b|\b(?:hold|hang) on\b/gi, ' ').trim();
  if (!t) return { status: 'none' };
  // "No one died": the "no" is the answer, so it is not stripped as a read-back's "no".
  if (slot.type === 'person_name' && namesNobody(t)) return { status: 'none' };
  // "No, it's Ann" answering a read-back: the "no" belongs to the confirmation, not the value.
  if (LEADING_NO.test(t) && t.replace(LEADING_NO, '').trim() !== '') t = t.replace(LEADING_NO, '');
  const markers = [...t.matchAll(MARKER)];
  if (markers.length === 0) {
    const notForm = notCorrection(slot, t, ctx);
    if (notForm) return notForm;
    const tail = tailCorrection(slot, t, ctx);
    if (tail) return tail;
  }
  const last = markers[markers.length - 1];
  // A name repaired while said ("John Smith, sorry, Smyth") is the name reader's: it keeps the part not repaired.
  if (last && last.index !== undefined && slot.type !== 'person_name') {
    const before = t.slice(0, last.index);
    const after = t.slice(last.index + last[0].length);
    const a = normaliseSlot(slot, after, ctx);
    // "October twenty-ninth, no wait, the twenty-eighth": only the day was corrected; the month said before stays.
    if (slot.type === 'date' && a.status === 'ok' && typeof a.value === 'string' && a.value.length === 10 && DAY_ONLY.test(after)) {
      const b = normaliseSlot(slot, before, ctx);
      if (b.status === 'ok' && typeof b.value === 'string' && b.value.length >= 7) {
        const fixed = normaliseSlot(slot, `${b.value.slice(0, 7)}-${a.value.slice(8)}`, ctx);
        if (fixed.status === 'ok') return fixed;
      }
    }
    if (a.status === 'ok') {
      // A digit correction that repeats only the last group splices into what came before.
      if (DIGIT_TYPES.has(slot.type)) {
        const spliced = splice(slot, before, after, ctx);
        if (spliced && spliced.status === 'ok' && spokenDigits(after).length < spokenDigits(before).length) return spliced;
      }
      return a;
    }
    if (DIGIT_TYPES.has(slot.type)) {
      const spliced = splice(slot, before, after, ctx);
      if (spliced && spliced.status === 'ok') return spliced;
    }
    if (a.status === 'none' || slot.type === 'date') {
      const b = normaliseSlot(slot, before, ctx);
      // "June 12th 1990, I mean 1991": only the year was corrected.
      const year = slot.type === 'date' ? /\b(1[89]\d\d|20\d\d)\b/.exec(spokenYear(after)) : null;
      if (b.status === 'ok' && year && typeof b.value === 'string') return normaliseSlot(slot, `${year[1]}-${b.value.slice(5)}`, ctx);
      if (b.status === 'ok' && a.status === 'none') return b;
    }
  }
  return normaliseSlot(slot, t, ctx);
}

/**
 * Repairs a digit string when the caller restated only part of it: the restated digits replace the end of what came
 * before, by the length of the first group said again, of the last group said before, or of everything said again
 * ("two one two nine six three, sorry, nine six four, four four one eight").
 */
function splice(slot: SlotSpec, before: string, after: string, ctx: Ctx): Normalised | null {
  const b = spokenDigits(before);
  const a = spokenDigits(after);
  if (!a || !b) return null;
  const groups = (s: string) => s.split(/,|\.\s/).map(spokenDigits).filter(Boolean);
  const ks = [groups(after)[0]?.length, groups(before).at(-1)?.length, a.length].filter((k): k is number => k !== undefined && k <= b.length);
  const plus = slot.type === 'phone' && /\+|plus/.test(before) ? '+' : '';
  for (const k of [...new Set(ks)]) {
    const r = normaliseSlot(slot, plus + b.slice(0, b.length - k) + a, ctx);
    if (r.status === 'ok') return r;
  }
  return null;
}

const TAIL = /\b(?:last|final)\s+(?:(one|two|three|four|five|\d)\s+)?(?:digits?|numbers?|ones?|four|three|two)?\b|\bat the end\b|\bends? (?:in|with)\b|\bal final\b|\búltimos?\b/i;

/** "the last four are oh one four three": replaces the end of the value collected before. */
function tailCorrection(slot: SlotSpec, text: string, ctx: Ctx): Normalised | null {
  const prev = ctx.slots?.[slot.name];
  if (!DIGIT_TYPES.has(slot.type) || typeof prev !== 'string' || !TAIL.test(text)) return null;
  const said = spokenDigits(text.replace(/\blast\s+(?:one|two|three|four|five)\b/i, 'last'));
  const p = prev.replace(/\D/g, '');
  if (!said || said.length >= p.length) return null;
  return normaliseSlot(slot, (prev.startsWith('+') ? '+' : '') + p.slice(0, p.length - said.length) + said, ctx);
}

/**
 * "X not Y", "X, not Y" and "not Y, X". With a value already collected, a digit swap edits it ("it's four not five");
 * otherwise the X part is the answer.
 */
function notCorrection(slot: SlotSpec, text: string, ctx: Ctx): Normalised | null {
  const t = text.trim().replace(/[.!]+$/, '');
  let good: string | undefined;
  let bad: string | undefined;
  const m1 = /^(?:it'?s\s+|it is\s+|that'?s\s+|es\s+)?(.+?),?\s+(?:not|no)\s+(?!wait|sorry|i\b)(.+)$/i.exec(t);
  const m2 = /^(?:it'?s\s+)?(?:not|no)\s+(.+?),\s*(?:it'?s\s+|es\s+)?(.+)$/i.exec(t);
  if (m2) { bad = m2[1]; good = m2[2]; } else if (m1) { good = m1[1]; bad = m1[2]; }
  if (good === undefined || bad === undefined) return null;
  const prev = ctx.slots?.[slot.name];
  if (DIGIT_TYPES.has(slot.type) && typeof prev === 'string') {
    const g = spokenDigits(good);
    const b = spokenDigits(bad);
    const prevDigits = prev.replace(/\D/g, '');
    if (g && b && g.length === b.length && g.length < prevDigits.length) {
      const at = prevDigits.lastIndexOf(b);
      if (at >= 0) {
        const fixed = prevDigits.slice(0, at) + g + prevDigits.slice(at + b.length);
        const res = normaliseSlot(slot, prev.startsWith('+') ? `+${fixed}` : fixed, ctx);
        if (res.status === 'ok' && prevDigits.indexOf(b) !== at) return { ...res, note: 'corrected digits occur more than once; read back' };
        return res;
      }
    }
  }
  const res = normaliseSlot(slot, good, ctx);
  if (res.status !== 'ok') return null;
  // Only a correction if the "not" part would also have been a value; "John, not sure" is not one.
  const other = normaliseSlot(slot, bad, ctx);
  return other.status === 'none' && slot.type !== 'person_name' ? null : res;
}
