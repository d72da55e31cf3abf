// Deterministic slot extraction: picks the normaliser for the slot type and understands corrections inside an
// utterance ("three one two, sorry, three one three", "it's four not five", "not the fourth, the fifth").
// Used by both reasoners: offline it is the whole answer; online it runs first and is the fallback.
import { normaliseDate } from './normalisers/date.js';
import { normaliseEmail } from './normalisers/email.js';
import { normaliseEnum } from './normalisers/enum.js';
import { normaliseAddress, normaliseDigits, normaliseNumber, normaliseText } from './normalisers/misc.js';
import { normaliseName } from './normalisers/name.js';
import { normalisePhone } from './normalisers/phone.js';
import type { Normalised } from './normalisers/result.js';
import { normaliseYesNo } from './normalisers/yes-no.js';
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
    case 'enum': return normaliseEnum(text, slot.values);
    case 'number': return normaliseNumber(text);
    case 'digits': return normaliseDigits(text, slot.minLength, slot.maxLength);
    case 'address': return normaliseAddress(text);
    case 'text': return normaliseText(text);
  }
}

const MARKER = /\b(?:no,?\s+sorry|sorry|i mean|i meant|actually|no wait|wait|let me correct that|correction|scratch that|i'm sorry|perdón|perdon|digo|quiero decir|mejor dicho|no espera|espera)\b[,.]?/gi;
const LEADING_NO = /^\s*(?:no|nope|sorry|actually|wait|oops|perdón|perdon)\b[,.!]?\s*/i;
const DIGIT_TYPES = new Set(['phone', 'digits']);

/** Normalises `text` for `slot`, honouring corrections the caller made while saying it. */
export function extractDeterministic(slot: SlotSpec, text: string, ctx: Ctx): Normalised {
  if (slot.type === 'text' || slot.type === 'yes_no') return normaliseSlot(slot, text, ctx);
  let t = text;
  // "No, it's Ann" answering a read-back: the "no" belongs to the confirmation, not the value.
  if (LEADING_NO.test(t) && t.replace(LEADING_NO, '').trim() !== '') t = t.replace(LEADING_NO, '');
  const notForm = notCorrection(slot, t, ctx);
  if (notForm) return notForm;
  const markers = [...t.matchAll(MARKER)];
  const last = markers[markers.length - 1];
  if (last && last.index !== undefined) {
    const before = t.slice(0, last.index);
    const after = t.slice(last.index + last[0].length);
    const a = normaliseSlot(slot, after, ctx);
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
    if (a.status === 'none') {
      const b = normaliseSlot(slot, before, ctx);
      if (b.status === 'ok') return b;
    }
  }
  return normaliseSlot(slot, t, ctx);
}

function splice(slot: SlotSpec, before: string, after: string, ctx: Ctx): Normalised | null {
  const b = spokenDigits(before);
  const a = spokenDigits(after);
  if (!a || a.length >= b.length) return null;
  const joined = b.slice(0, b.length - a.length) + a;
  return normaliseSlot(slot, slot.type === 'phone' && /\+|plus/.test(before) ? `+${joined}` : joined, ctx);
}

/**
 * "X not Y", "X, not Y" and "not Y, X". With a value already collected, a digit swap edits it ("it's four not five");
 * otherwise the X part is the answer.
 */
function notCorrection(slot: SlotSpec, text: string, ctx: Ctx): Normalised | null {
  const t = text.trim().replace(/[.!]+$/, '');
  let good: string | undefined;
  let bad: string | undefined;
  const m1 = /^(?:it'?s\s+|it is\s+|that'?s\s+|es\s+)?(.+?),?\s+(?:not|no)\s+(.+)$/i.exec(t);
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
