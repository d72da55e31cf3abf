// The confirmation policy: when a value is accepted silently, read back, or the caller asked to spell it.
// Phone numbers and emails are read back unless the flow explicitly says `confirm: never` for that slot: a wrong
// callback number loses the client, and a read-back costs two seconds.
import type { Language } from '../primitives.js';
import type { Normalised } from './normalisers/result.js';
import { spokenValue } from './readback.js';
import type { Extraction, SlotSpec } from './types.js';

export const DEFAULT_THRESHOLD = 0.8;
const ALWAYS_READ_BACK = new Set(['phone', 'email']);
const SPELLABLE = new Set(['person_name', 'email']);

export function thresholdOf(slot: SlotSpec): number {
  const t = slot.threshold ?? DEFAULT_THRESHOLD;
  if (!(t >= 0 && t <= 1)) throw new RangeError(`slot ${slot.name}: threshold must be between 0 and 1, got ${t}`);
  return t;
}

/** Whether a value with this consistency needs a read-back under the slot's policy. */
export function needsConfirmation(slot: SlotSpec, consistency: number): boolean {
  if (slot.confirm === 'never') return false;
  if (slot.confirm === 'always' || ALWAYS_READ_BACK.has(slot.type)) return true;
  return consistency < thresholdOf(slot);
}

export function buildExtraction(
  slot: SlotSpec,
  n: Normalised,
  consistency: number,
  opts: { language: Language; defaultRegion: string; reason?: string },
): Extraction {
  if (n.status === 'none') return { status: 'none', confidence: 0, confirm: false, reason: opts.reason ?? 'nothing usable heard' };
  if (n.status === 'invalid') {
    return { status: 'invalid', confidence: 0, confirm: false, reason: n.reason, askToSpell: n.askToSpell ?? SPELLABLE.has(slot.type) };
  }
  const unsure = consistency < thresholdOf(slot) || n.note !== undefined;
  const confirm = needsConfirmation(slot, unsure && slot.confirm !== 'never' ? Math.min(consistency, thresholdOf(slot) - 1e-9) : consistency);
  const why = n.note ?? opts.reason ?? (unsure ? `consistency ${consistency.toFixed(2)} below ${thresholdOf(slot)}` : slot.confirm === 'always' || ALWAYS_READ_BACK.has(slot.type) ? 'always read back' : undefined);
  return {
    status: 'ok',
    value: n.value,
    spoken: spokenValue(slot.type, n.value, opts.language, opts.defaultRegion),
    confidence: consistency,
    confirm,
    ...(confirm && why ? { reason: why } : {}),
    ...(unsure && SPELLABLE.has(slot.type) && consistency < 0.5 ? { askToSpell: true } : {}),
  };
}
