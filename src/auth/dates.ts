// Timestamps read back the same way on both engines; the one reader lives with the other row helpers.
import { rowDate } from '../intake/rows.js';

export const toDate = rowDate;

export function toIso(v: unknown): string | null {
  return toDate(v)?.toISOString() ?? null;
}
