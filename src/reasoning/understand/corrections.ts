// Corrections of values given earlier, found by understanding itself: "no, my name is Ann", "actually it was the
// 28th", and partial ones, "my last name is spelled K O W A L S K I" (only the last name changes: the correction
// carries part 'last' and the whole corrected name as its value). Only slots that already hold a value are corrected;
// the slot being asked is answered, not corrected.
import { extractDeterministic } from '../extract.js';
import { nameParts } from '../normalisers/name-parts.js';
import { normaliseName } from '../normalisers/name.js';
import type { Normalised } from '../normalisers/result.js';
import { CORRECTION_START, correctionByRules, correctionText } from '../rules.js';
import type { SlotSpec } from '../types.js';
import type { SlotCorrection, UnderstandingContext } from '../interpretation.js';
import { findCues } from './cues.js';
import { makeFill } from './volunteer.js';

const PART = /\b(?:my\s+|the\s+|mi\s+)?(last|first|middle|sur|family|given)\s*name\s*(?:is|'s|es)?\s*(?:actually\s+)?(?:spelled|spelt|is spelled|se escribe)?\s*[:,]?\s*/i;
const PART_ES = /\b(?:mi\s+)?(apellido|primer nombre|segundo nombre)\s*(?:es|se escribe)?\s*[:,]?\s*/i;

/**
 * "my last name is spelled K O W A L S K I" against a held name: the name with that part replaced, or null when the
 * utterance names no part. Used for read-backs of the name too ("no, my first name is Jon").
 */
export function partialName(text: string, previous: string, language: UnderstandingContext['language']): { value: string; part: 'first' | 'middle' | 'last' } | null {
  const m = PART.exec(text) ?? PART_ES.exec(text);
  if (!m || !previous.trim()) return null;
  const label = m[1]!.toLowerCase();
  const part = /last|sur|family|apellido/.test(label) ? 'last' : /middle|segundo/.test(label) ? 'middle' : 'first';
  const said = normaliseName(text.slice(m.index + m[0].length));
  if (said.status !== 'ok' || typeof said.value !== 'string') return null;
  const p = nameParts(previous, language);
  const next = { ...p, [part]: said.value };
  const value = [next.first, next.middle, next.last].filter(Boolean).join(' ');
  return value === previous ? null : { value, part };
}

const held = (ctx: UnderstandingContext, s: SlotSpec) => ctx.slots[s.name] !== undefined && ctx.slots[s.name] !== null && ctx.slots[s.name] !== '';

/** Corrections of held slots other than the one asked. */
export function findCorrections(text: string, ctx: UnderstandingContext, asked?: SlotSpec): SlotCorrection[] {
  const collected = ctx.slotsInScope.filter((s) => s.name !== asked?.name && held(ctx, s));
  if (!collected.length) return [];
  const nameSlot = collected.find((s) => s.type === 'person_name' && /caller|client|your/i.test(s.name)) ?? collected.find((s) => s.type === 'person_name');
  // A part of the name, with or without "no" / "actually" in front.
  if (nameSlot && asked?.type !== 'person_name') {
    const prev = String(ctx.slots[nameSlot.name]);
    const partial = partialName(text, prev, ctx.language);
    if (partial) {
      const f = makeFill(nameSlot, { status: 'ok', value: partial.value }, text, 0.85, ctx);
      if (f) return [{ ...f, part: partial.part }];
    }
  }
  if (!CORRECTION_START.test(text)) return [];
  const target = correctionByRules(text, collected, ctx);
  let slot = target ? collected.find((s) => s.name === target.slot) : undefined;
  // "actually it was the 28th": a date correction goes to the date slot its cue names, or the only date held.
  if (!slot) {
    const dates = collected.filter((s) => s.type === 'date');
    const cued = dates.filter((s) => findCues(text, s, ctx.language).length > 0);
    slot = cued.length === 1 ? cued[0] : dates.length === 1 ? dates[0] : undefined;
  }
  if (!slot) return [];
  const words = target?.utterance ?? correctionText(text);
  let n: Normalised = extractDeterministic(slot, words, ctx);
  if (n.status !== 'ok' && slot.type === 'date') return [];
  const prev = ctx.slots[slot.name];
  // "actually it was the 28th": the month held stays, only the day changes.
  if (slot.type === 'date' && n.status === 'ok' && typeof prev === 'string' && prev.length >= 7 && /\bthe\s+\w+|\bel\s+\w+/i.test(words) && !/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|last|next|ago|yesterday|today|week|month|year)/i.test(words) && typeof n.value === 'string' && n.value.length === 10) {
    n = extractDeterministic(slot, `${prev.slice(0, 7)}-${n.value.slice(8)}`, ctx);
  }
  if (n.status !== 'ok' || n.value === prev) return [];
  const f = makeFill(slot, n, words, 0.85, ctx);
  return f ? [f] : [];
}
