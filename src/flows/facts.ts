// Call facts turned into what expressions and templates read: business hours in the firm's zone, caller numbers.
import { DateTime } from 'luxon';
import type { CallFacts } from './core.js';
import type { FirmT } from './schema.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function localTime(firm: FirmT, at: Date): DateTime {
  return DateTime.fromJSDate(at, { zone: firm.timezone });
}

export function isAfterHours(firm: FirmT, at: Date): boolean {
  const t = localTime(firm, at);
  if (firm.holidays?.includes(t.toISODate() ?? '')) return true;
  const day = DAYS[t.weekday - 1]!;
  if (!(firm.business_hours.days as string[]).includes(day)) return true;
  const hm = t.toFormat('HH:mm');
  return hm < firm.business_hours.open || hm >= firm.business_hours.close;
}

export function callVars(firm: FirmT, facts: CallFacts): Record<string, unknown> {
  const t = localTime(firm, facts.startedAt);
  return {
    after_hours: isAfterHours(firm, facts.startedAt),
    channel: facts.channel,
    'caller.from': facts.from,
    'caller.to': facts.to,
    hour: t.hour,
    weekday: DAYS[t.weekday - 1],
    today: t.toISODate(),
  };
}
