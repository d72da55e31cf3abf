// Holidays callers date things by ("the day after Thanksgiving", "over Labor Day weekend, on the Sunday", "Easter"):
// each as a function of the year giving "Month d", and the weekdays of a Monday holiday's long weekend. The date
// normaliser rewrites them into dates chrono reads.
import { DateTime } from 'luxon';

/** Holidays with a fixed date, and Thanksgiving; the year is left for the range logic to choose. */
export const HOLIDAYS: [RegExp, (year: number) => string][] = [
  [/\b(?:new year'?s eve|nochevieja)\b/, () => 'December 31'],
  [/\b(?:new year'?s day|new year'?s|año nuevo)\b/, () => 'January 1'],
  [/\b(?:valentine'?s day|valentine'?s|san valentín|san valentin)\b/, () => 'February 14'],
  [/\b(?:the )?(?:fourth of july|independence day|july fourth)\b/, () => 'July 4'],
  [/\bhalloween\b/, () => 'October 31'],
  [/\b(?:christmas eve|nochebuena)\b/, () => 'December 24'],
  [/\b(?:christmas|christmas day|navidad)\b/, () => 'December 25'],
  [/\b(?:thanksgiving|día de acción de gracias)\b/, (y) => `November ${thanksgiving(y)}`],
  // Holidays on the nth weekday of a month (US federal and family days).
  [/\blabou?r day\b/, (y) => nthWeekday(y, 9, 1, 1)],
  [/\bmemorial day\b/, (y) => nthWeekday(y, 5, 1, -1)],
  [/\b(?:martin luther king(?: jr\.?)?|mlk)(?: day)?\b/, (y) => nthWeekday(y, 1, 1, 3)],
  [/\b(?:presidents'? day|president'?s day)\b/, (y) => nthWeekday(y, 2, 1, 3)],
  [/\b(?:columbus day|indigenous peoples'? day)\b/, (y) => nthWeekday(y, 10, 1, 2)],
  [/\b(?:mother'?s day|d[ií]a de las madres)\b/, (y) => nthWeekday(y, 5, 7, 2)],
  [/\b(?:father'?s day|d[ií]a del padre)\b/, (y) => nthWeekday(y, 6, 7, 3)],
  [/\bveterans'? day\b/, () => 'November 11'],
  [/\bjuneteenth\b/, () => 'June 19'],
  [/\b(?:easter|easter sunday|domingo de pascua|pascua)\b/, (y) => easter(y)],
  [/\bgood friday\b|\bviernes santo\b/, (y) => DateTime.fromFormat(`${easter(y)} ${y}`, 'LLLL d yyyy').minus({ days: 2 }).toFormat('LLLL d')],
];

/** Easter Sunday (Gregorian computus, Anonymous algorithm), as "April 5". */
function easter(y: number): string {
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.fromObject({ year: y, month, day }).toFormat('LLLL d');
}

/** The nth (1-based; -1 = last) ISO weekday (1 = Monday ... 7 = Sunday) of a month, as "September 7". */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  let d = n > 0 ? DateTime.fromObject({ year, month, day: 1 }) : DateTime.fromObject({ year, month, day: 1 }).endOf('month').startOf('day');
  while (d.weekday !== weekday) d = d.plus({ days: n > 0 ? 1 : -1 });
  if (n > 1) d = d.plus({ weeks: n - 1 });
  return d.toFormat('LLLL d');
}

/**
 * "the Sunday of Labor Day weekend", "over Memorial Day weekend, on the Saturday": the weekday of the long weekend a
 * Monday holiday ends, as a full date (the year on the side the slot allows), or the text unchanged.
 */
export function holidayWeekend(t: string, today: DateTime, range: 'past' | 'future' | 'any'): string {
  for (const [re, date] of HOLIDAYS) {
    const wk = new RegExp(`(?:the )?(?:${re.source})\\s+weekend`, 'i');
    const hit = wk.exec(t);
    if (!hit) continue;
    const said = /\b(?:(?:on|the|that)\s+)*(friday|saturday|sunday|monday)(?:\s+(?:of|over|on))?\b/i.exec(t);
    const shift: Record<string, number> = { friday: -3, saturday: -2, sunday: -1, monday: 0 };
    const at = (y: number) => {
      const base = DateTime.fromFormat(`${date(y)} ${y}`, 'LLLL d yyyy', { zone: today.zone });
      return base.weekday === 1 && said ? base.plus({ days: shift[said[1]!.toLowerCase()] ?? 0 }) : base;
    };
    let y = today.year;
    if (range === 'past' && at(y) > today) y--;
    if (range === 'future' && at(y) < today) y++;
    let out = t.replace(wk, ` ${at(y).toFormat('LLLL d yyyy')} `);
    if (said) out = out.replace(new RegExp(said[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), ' ');
    return out;
  }
  return t;
}

function thanksgiving(year: number): number {
  const firstDow = DateTime.fromObject({ year, month: 11, day: 1 }).weekday; // 1 = Monday ... 4 = Thursday
  return 1 + ((4 - firstDow + 7) % 7) + 21;
}

