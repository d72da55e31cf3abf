// Functions flow expressions may call. They read the call date and firm facts from a context the engine sets right
// before each (synchronous) evaluation, so expressions stay pure functions of the conversation state.
import { DateTime } from 'luxon';

interface EvalContext {
  today: string;
  solYears: Record<string, number>;
}
let ctx: EvalContext = { today: '1970-01-01', solYears: {} };

export function withEvalContext<T>(c: EvalContext, fn: () => T): T {
  const prev = ctx;
  ctx = c;
  try {
    return fn();
  } finally {
    ctx = prev;
  }
}

/**
 * A calendar day, or null. A month-precision date ("2026-12": the caller said only the month or a season) is no day:
 * "within two days" must never be decided on a day nobody said, so days_until / days_since are null for it.
 */
const day = (v: unknown): DateTime | null => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const d = DateTime.fromISO(v, { zone: 'utc' });
  return d.isValid ? d.startOf('day') : null;
};
/** For the limitation period a month-precision date counts from the month's first day: the earlier, safer reading. */
const dayOrMonthStart = (v: unknown): DateTime | null => {
  if (typeof v === 'string' && /^\d{4}-\d{2}$/.test(v)) {
    const d = DateTime.fromISO(`${v}-01`, { zone: 'utc' });
    return d.isValid ? d : null;
  }
  return day(v);
};
const today = () => DateTime.fromISO(ctx.today, { zone: 'utc' }).startOf('day');

/** Days from `date` to the call date (positive for the past); null when the date is unknown. */
function days_since(date: unknown): number | null {
  const d = day(date);
  return d ? Math.round(today().diff(d, 'days').days) : null;
}
function days_until(date: unknown): number | null {
  const d = day(date);
  return d ? Math.round(d.diff(today(), 'days').days) : null;
}
/** Days left before the firm's statute-of-limitations period for `area` runs out from `date`; null when unknown. */
function sol_days_left(area: unknown, date: unknown): number | null {
  const years = typeof area === 'string' ? ctx.solYears[area] : undefined;
  const d = dayOrMonthStart(date);
  if (years === undefined || !d) return null;
  return Math.round(d.plus({ years }).diff(today(), 'days').days);
}
function known(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '';
}

/** How many words a text slot holds (0 when empty): "did the opening statement already tell the story?". */
function words(v: unknown): number {
  return typeof v === 'string' ? v.split(/\s+/).filter(Boolean).length : 0;
}

export const EXPRESSION_HELPERS = { days_since, days_until, sol_days_left, known, words };
