// The result every deterministic normaliser returns: a canonical value, or why there is none.
import type { SlotValue } from '../types.js';

export type Normalised =
  | { status: 'ok'; value: SlotValue; note?: string }
  | { status: 'invalid'; reason: string; askToSpell?: boolean }
  | { status: 'none' };

export const NONE: Normalised = { status: 'none' };
