// Dates as callers say them ("last Tuesday", "the third of March", "March fifth nineteen eighty five", "el martes
// pasado", "hace dos semanas") -> YYYY-MM-DD, resolved against the call time in the firm's timezone with chrono-node.
// Spanish is rewritten into English date words first: chrono's Spanish parser misses "pasado" and "hace".
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { quantityAt, tokenize } from '../spoken-numbers.js';
import type { Normalised } from './result.js';
import { HOLIDAYS, holidayWeekend } from './holidays.js';

export type DateRange = 'past' | 'future' | 'any';

const ES_WORDS: [RegExp, string][] = [
  [/\b(?:por|en|de) la (?:mañana|manana|tarde|noche)\b/g, ' '],
  [/\bpasado (?:mañana|manana)\b/g, ' in 2 days '],
  [/\b(?:anteayer|antier|antes de ayer)\b/g, ' 2 days ago '],
  [/\bayer\b/g, ' yesterday '],
  [/\bhoy\b/g, ' today '],
  [/\b(?:mañana|manana)\b/g, ' tomorrow '],
  [/\b(?:el )?fin de semana pasado\b/g, ' last weekend '],
  [/\bla semana pasada\b/g, ' last week '],
  [/\bel mes pasado\b/g, ' last month '],
  [/\bel año pasado\b/g, ' last year '],
  [/\bla (?:semana|próxima semana) que viene\b|\bla próxima semana\b/g, ' next week '],
  // "hace un mes", "hace una semana": one unit back ("un"/"una" are no number words for chrono).
  [/\bhace\s+(?:un|una)\s+(día|dia|semana|mes|año)\b/g, ' a $1 ago '],
  [/\bhace\s+([\wáéíóúñ ]+?)\s+(días|dias|día|dia|semanas|semana|meses|mes|años|año)\b/g, ' $1 $2 ago '],
  [/\b(?:dentro de|en)\s+([\wáéíóúñ ]+?)\s+(días|dias|semanas|meses|años)\b/g, ' in $1 $2 '],
  [/\b(?:el\s+)?(?:día|dia)\s+(?=\p{L}|\d)(?!(?:de|del|que|siguiente|anterior|antes|después|despues)\b)/gu, ' the day '],
  // "no, perdón, el 4": a bare day of the month (not "el 4 de octubre", which names its month).
  [/\bel\s+(\d{1,2}|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieciséis|dieciseis|diecisiete|dieciocho|diecinueve|veinte|veinti\p{L}+|treinta(?:\s+y\s+uno)?)\b(?!\s+(?:de|del)\b)/gu, ' the day $1 '],
  [/\bdías?\b|\bdias?\b/g, 'days'], [/\bsemanas?\b/g, 'weeks'], [/\bmeses\b|\bmes\b/g, 'months'], [/\baños?\b/g, 'years'],
  [/\bel primero\b|\bprimero\b/g, ' 1 '],
];
const ES_MONTHS: Record<string, string> = {
  enero: 'January', febrero: 'February', marzo: 'March', abril: 'April', mayo: 'May', junio: 'June', julio: 'July',
  agosto: 'August', septiembre: 'September', setiembre: 'September', octubre: 'October', noviembre: 'November',
  diciembre: 'December',
};
const ES_DAYS: Record<string, string> = {
  lunes: 'Monday', martes: 'Tuesday', miércoles: 'Wednesday', miercoles: 'Wednesday', jueves: 'Thursday',
  viernes: 'Friday', sábado: 'Saturday', sabado: 'Saturday', domingo: 'Sunday',
};

function spanishToEnglish(s: string): string {
  let t = s.toLowerCase();
  for (const [re, rep] of ES_WORDS) t = t.replace(re, rep);
  const day = `(${Object.keys(ES_DAYS).join('|')})`;
  t = t.replace(new RegExp(`\\bel\\s+${day}\\s+pasado\\b|\\bel\\s+pasado\\s+${day}\\b`, 'g'), (_m, a?: string, b?: string) => ` last ${a ?? b} `);
  t = t.replace(new RegExp(`\\bel\\s+(?:próximo|proximo)\\s+${day}\\b|\\bel\\s+${day}\\s+que viene\\b`, 'g'), (_m, a?: string, b?: string) => ` next ${a ?? b} `);
  t = t.replace(/\b(\p{L}+)\b/gu, (w) => ES_MONTHS[w] ?? ES_DAYS[w] ?? w);
  // "3 de marzo de 1985" -> "3 March 1985"
  t = t.replace(/\bde\b/g, ' ').replace(/\b(el|la|los|las|del)\b/g, ' ');
  return t;
}

const TEEN_CENTURY: Record<string, number> = { nineteen: 19, eighteen: 18, twenty: 20 };

/** "nineteen eighty five" -> 1985, "two thousand and three" -> 2003, "twenty oh five" -> 2005; then other number words -> digits. */
function spokenNumbersToDigits(s: string): string {
  const tokens = tokenize(s);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // "oh six" (a month said as two digits) -> "06"
    if ((t === 'oh' || t === 'zero') && tokens[i + 1] !== undefined && /^(one|two|three|four|five|six|seven|eight|nine)$/.test(tokens[i + 1]!) && (i === 0 || !(tokens[i - 1]! in TEEN_CENTURY))) {
      const q = quantityAt(tokens, i + 1);
      if (q && q.value < 10) { out.push(`0${q.value}`); i += 1; continue; }
    }
    const century = TEEN_CENTURY[t];
    if (century !== undefined && tokens[i + 1] !== undefined) {
      const n = tokens[i + 1]!;
      const zeroUnit = (n === 'oh' || n === 'o' || n === 'zero') && tokens[i + 2] !== undefined ? quantityAt(tokens, i + 2) : null;
      if (zeroUnit && zeroUnit.value < 10) { out.push(String(century * 100 + zeroUnit.value)); i = zeroUnit.end - 1; continue; }
      const rest = quantityAt(tokens, i + 1);
      if (rest && rest.value >= 10 && rest.value < 100 && Number.isInteger(rest.value) && !(century === 20 && isOrdinalAfter(tokens, rest.end))) {
        out.push(String(century * 100 + rest.value));
        i = rest.end - 1;
        continue;
      }
    }
    // "twenty third" -> "23rd": chrono would read "twenty" as a number and drop the ordinal.
    const ord = tokens[i + 1] !== undefined ? ORDINAL_VALUE[tokens[i + 1]!] : undefined;
    if ((t === 'twenty' || t === 'thirty') && ord !== undefined && ord < 10) {
      const n = (t === 'twenty' ? 20 : 30) + ord;
      out.push(`${n}${n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th'}`);
      i += 1;
      continue;
    }
    const q = quantityAt(tokens, i);
    if (q && q.end > i && !/^\d/.test(t)) {
      // "twenty third" stays for chrono (an ordinal day); a cardinal becomes digits.
      out.push(String(q.value));
      i = q.end - 1;
      continue;
    }
    out.push(t);
  }
  return out.join(' ').replace(/\s+,/g, ',');
}

const ORDINAL_WORDS = /^(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)$/;
const isOrdinalAfter = (tokens: string[], i: number) => tokens[i - 1] !== undefined && ORDINAL_WORDS.test(tokens[i] ?? '');

const ORDINAL_VALUE: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

/** "of this month", "of last year", "this week", holidays: rewritten into words chrono reads. */
function anchorPhrases(s: string, today: DateTime, range: DateRange = 'any'): string {
  // "a couple weeks back", "three days back": "back" after a span is "ago".
  let t = s.replace(/\b(days?|weeks?|months?|years?) back\b/g, '$1 ago');
  const lastMonth = today.minus({ months: 1 });
  t = t.replace(/\bof this month\b/, today.toFormat('LLLL yyyy'));
  t = t.replace(/\bof last month\b/, lastMonth.toFormat('LLLL yyyy'));
  t = t.replace(/\b(?:of )?last year\b/, String(today.year - 1)).replace(/\b(?:of )?this year\b/, String(today.year));
  const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  t = t.replace(/\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday) of (this|last|next) week\b/, (_m, day: string, which: string) => {
    const weekStart = today.startOf('week').plus({ weeks: which === 'last' ? -1 : which === 'next' ? 1 : 0 });
    return weekStart.plus({ days: WEEKDAYS.indexOf(day) }).toFormat('LLLL d yyyy');
  });
  t = t.replace(/\bearlier today\b/, 'today');
  // "January 9th of 2025": chrono wants the year right after the day.
  t = t.replace(/\b(\d{1,2}(?:st|nd|rd|th)?),?\s+of\s+((?:19|20)\d\d)\b/, '$1 $2');
  // "el día tres" (rewritten "the day 3"): a day of the month.
  t = t.replace(/\bthe day (\d{1,2})\b(?!\s*(?:st|nd|rd|th))/g, (_m, d: string) => `the ${ordinal(Number(d))}`);
  // "last month on the 3rd", "last month, the 3rd": that day of last month, not today's day of it.
  t = t.replace(/\blast month,?\s+(?:on\s+)?the (\d{1,2})(?:st|nd|rd|th)\b/, (_m, d: string) => `${lastMonth.toFormat('LLLL')} ${d} ${lastMonth.year}`);
  t = t.replace(/\b(?:on\s+)?the (\d{1,2})(?:st|nd|rd|th),?\s+last month\b/, (_m, d: string) => `${lastMonth.toFormat('LLLL')} ${d} ${lastMonth.year}`);
  // "two weeks ago Friday", "Friday two weeks ago": that weekday in the week N weeks back.
  const weeksAgo = (n: string, day: string) => today.minus({ weeks: n === 'a' ? 1 : Number(n) }).startOf('week').plus({ days: WEEKDAYS.indexOf(day.toLowerCase()) }).toFormat('LLLL d yyyy');
  t = t.replace(/\b(\d+|a) weeks? ago,?\s+(?:on\s+)?(?:a\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i, (_m, n: string, day: string) => weeksAgo(n, day));
  t = t.replace(/\b(?:on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(\d+|a) weeks? ago\b/i, (_m, day: string, n: string) => weeksAgo(n, day));
  // "the Friday before last", "two Saturdays ago": that weekday counted back from the last one (today excluded).
  const backN = (day: string, n: number) => {
    let d = today.minus({ days: 1 });
    while (d.weekday !== WEEKDAYS.indexOf(day.toLowerCase()) + 1) d = d.minus({ days: 1 });
    return d.minus({ weeks: n - 1 }).toFormat('LLLL d yyyy');
  };
  t = t.replace(/\b(?:the\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday) before last\b/i, (_m, day: string) => backN(day, 2));
  t = t.replace(/\b(\d+|two|three|four) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)s ago\b/i, (_m, n: string, day: string) => backN(day, ({ two: 2, three: 3, four: 4 } as Record<string, number>)[n.toLowerCase()] ?? Number(n)));
  t = holidayWeekend(t, today, range);
  for (const [re, date] of HOLIDAYS) {
    if (!re.test(t)) continue;
    // An explicit year after the holiday is kept ("Christmas 2024"). Otherwise the year is the one on the side the
    // slot allows, judged with the offset said before it ("the day after Thanksgiving"), because a holiday that moves
    // (Thanksgiving) falls on another day in another year.
    const m = new RegExp(`(?:\\b(?:the )?(?:day|(monday|tuesday|wednesday|thursday|friday|saturday|sunday)) (after|before) )?(?:${re.source})(?!,?\\s*(?:19|20)\\d\\d)`, 'i').exec(t);
    if (m && range !== 'any') {
      const step = m[2] ? (m[2].toLowerCase() === 'after' ? 1 : -1) : 0;
      const at = (y: number) => DateTime.fromFormat(`${date(y)} ${y}`, 'LLLL d yyyy', { zone: today.zone }).plus({ days: step });
      let y = today.year;
      if (range === 'past' && at(y) > today) y--;
      if (range === 'future' && at(y) < today) y++;
      t = t.replace(re, `${date(y)} ${y}`);
    } else t = t.replace(re, date(today.year));
    break;
  }
  // "the day after Thanksgiving", "the day before Christmas": one day from the named date.
  t = t.replace(new RegExp(`\\b(?:the )?day (after|before) (${MONTH}) (\\d{1,2})\\b(?:,? ((?:19|20)\\d\\d)\\b)?`, 'i'), (_m, rel: string, month: string, d: string, year?: string) => {
    const base = DateTime.fromFormat(`${month.slice(0, 3)} ${d} ${year ?? today.year}`, 'LLL d yyyy', { zone: today.zone });
    return base.isValid ? base.plus({ days: rel.toLowerCase() === 'after' ? 1 : -1 }).toFormat(year ? 'LLLL d yyyy' : 'LLLL d') : _m;
  });
  // "the Saturday before Thanksgiving": the nearest such weekday strictly before (or after) the named date.
  t = t.replace(new RegExp(`\\b(?:the )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday) (after|before) (${MONTH}) (\\d{1,2})\\b(?:,? ((?:19|20)\\d\\d)\\b)?`, 'i'), (_m, wd: string, rel: string, month: string, d: string, year?: string) => {
    const base = DateTime.fromFormat(`${month.slice(0, 3)} ${d} ${year ?? today.year}`, 'LLL d yyyy', { zone: today.zone });
    const want = WEEKDAYS.indexOf(wd.toLowerCase()) + 1;
    if (!base.isValid || want < 1) return _m;
    const step = rel.toLowerCase() === 'after' ? 1 : -1;
    let day = base.plus({ days: step });
    while (day.weekday !== want) day = day.plus({ days: step });
    return day.toFormat(year ? 'LLLL d yyyy' : 'LLLL d');
  });
  // Parts of a day are calendar days where the call is, not where the server's clock is: "last night" is yesterday
  // (also after midnight), "this morning" / "tonight" today.
  t = t.replace(/\blast night\b/gi, 'yesterday').replace(/\b(?:this (?:morning|afternoon|evening)|tonight|earlier today)\b/gi, 'today');
  return t;
}

/** Seasons (northern hemisphere) by their middle month: a season alone is kept at month precision and read back. */
const SEASONS: [RegExp, number][] = [
  [/\b(?:spring|springtime|primavera)\b/i, 4],
  [/\b(?:summer|summertime|verano)\b/i, 7],
  [/\b(?:fall|autumn|otoño|otono)\b/i, 10],
  [/\b(?:winter|wintertime|invierno)\b/i, 1],
];

/** "last summer", "this past winter", "el verano pasado", "next spring": the season's middle month, or null. */
function seasonMonth(s: string, today: DateTime, range: DateRange): DateTime | null {
  if (new RegExp(`\\b${MONTH}\\b|\\d`, 'i').test(s)) return null;
  const hit = SEASONS.find(([re]) => re.test(s));
  if (!hit) return null;
  const m = hit[1];
  // The season's occurrence on the side the words (or the slot) point to: the latest that has begun, or the next.
  const begun = (y: number) => DateTime.fromObject({ year: y, month: m, day: 1 }, { zone: today.zone }).minus({ months: 1 });
  const next = /\b(?:next|coming|que viene|pr[oó]xim[oa])\b/i.test(s) || (range === 'future' && !/\b(?:last|past|pasad[oa]|ago)\b/i.test(s));
  let y = today.year + 1;
  while (begun(y) > today) y--;
  if (next) y++;
  return DateTime.fromObject({ year: y, month: m, day: 1 }, { zone: today.zone });
}

const ordinal = (n: number): string => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** "the fifth", "the 21st", "the twenty first": a day of the month with no month said. */
function dayOnly(s: string): number | null {
  const m = /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b/.exec(s);
  if (m) return Number(m[1]);
  const w = /\bthe\s+(?:(twenty|thirty)[\s-])?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\b/.exec(s);
  if (!w) return null;
  return (w[1] === 'twenty' ? 20 : w[1] === 'thirty' ? 30 : 0) + ORDINAL_VALUE[w[2]!]!;
}

/** The text with Spanish date words in English and spoken numbers as digits (exported for year-only corrections). */
export const spokenYear = (text: string): string => spokenNumbersToDigits(spanishToEnglish(text));

/** "I don't know the exact day", "no recuerdo el día": the caller gives the month only. */
const NO_DAY = /\b(?:don'?t|do not|can'?t|cannot|not sure (?:of|about))\s+(?:know|remember|recall)?\s*(?:the|what)?\s*(?:exact\s+|actual\s+)?(?:day|date)\b|\bno\s+(?:s[eé]|recuerdo|me acuerdo de)\s+(?:el|la|qu[eé])\s+(?:d[ií]a|fecha)\b/i;

/** Doubt about the day said with it. */
const HEDGED_DAY = /\b(?:around|approximately|roughly|more or less|or so|i think|i'?m not sure|not sure|maybe|probably|i believe|give or take|or the \w+|or (?:\d{1,2}|\w+(?:st|nd|rd|th))\b|como el|alrededor del?|m[aá]s o menos|creo que|no estoy segur[oa]|tal vez|quiz[aá]s?|o el \w+)\b/i;

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*';
const EXPLICIT = /\b(?:last|next|ago|in|this|past|yesterday|tomorrow|today|coming)\b/;

/** "Reginald Thompson the third": a generational suffix after a capitalised name (not a month or weekday) is no day. */
const NAME_SUFFIX = /\b(\p{Lu}\p{Ll}+)\s+the\s+(?:second|third|fourth|2nd|3rd|4th)\b/gu;
const MONTH_OR_DAY = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|ene|abr|ago|dic)/i;

export function normaliseDate(text: string, now: Date, timezone: string, range: DateRange = 'any'): Normalised {
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  text = text.replace(NAME_SUFFIX, (m, word: string) => (MONTH_OR_DAY.test(word) ? m : word));
  const season = seasonMonth(spokenYear(text), today, range);
  if (season) {
    if (range === 'past' && season > today) return { status: 'invalid', reason: 'that date is in the future' };
    return { status: 'ok', value: season.toFormat('yyyy-MM'), note: 'season only: ask for the date' };
  }
  let english = anchorPhrases(spokenYear(text), today, range);
  // "March the third", "October the 28th": chrono reads the month alone when "the" stands between.
  english = english.replace(new RegExp(`\\b(${MONTH})\\s+the\\s+(?=\\d{1,2}(?:st|nd|rd|th)?\\b|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\\b)`, 'gi'), '$1 ');
  // "1985, March fifth" -> "March fifth 1985": chrono expects the year last.
  english = english.replace(new RegExp(`\\b(1[89]\\d\\d|20\\d\\d)\\s*,?\\s+(${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?|${MONTH}\\s+(?:the\\s+)?\\w+)`, 'i'), '$2 $1');
  // "oh six, fifteen, nineteen eighty two" -> "06/15/1982" (month first, as said in the US).
  english = english.replace(/\b(0?[1-9]|1[0-2])\s*[,/-]?\s+([12]?\d|3[01])\s*[,/-]?\s+(1[89]\d\d|20\d\d)\b/, '$1/$2/$3');
  const explicit = EXPLICIT.test(english);
  const ref = { instant: now, timezone: today.offset };
  // "and now there's a warrant", "right now": the present moment as a manner of speaking, not a date.
  const results = chrono.en.parse(english, ref, { forwardDate: range === 'future' && !explicit }).filter((r) => !/^(?:right )?now$/i.test(r.text.trim()));
  let date: DateTime | null = null;
  // "Friday, last Friday": the mention with an explicit relative word is the one the caller settled on.
  // A date with its month named ("October twenty eighth") beats a vague relative one ("about a month ago").
  const named = (r: (typeof results)[number]) => new RegExp(`\\b${MONTH}\\b|\\d{1,2}/\\d{1,2}`, 'i').test(r.text);
  const best = results.find((r) => named(r) && r.start.isCertain('day'))
    ?? results.find((r) => EXPLICIT.test(r.text.toLowerCase()))
    ?? results.find((r) => r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('month')) ?? results[0];
  // "the 28th, it's a Wednesday", "Wednesday the 28th": the day of the month in the nearest month where it falls on
  // that weekday (chrono reads only the weekday).
  const dom = dayOnly(english);
  if (best && dom !== null && best.start.isCertain('weekday') && !best.start.isCertain('day')) {
    const weekday = best.start.get('weekday');
    // 'any' (a court date, say) looks both ways from this month, the coming one first.
    const steps = range === 'any' ? [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6] : [...Array(12).keys()].map((k) => (range === 'future' ? k : -k));
    for (const k of steps) {
      const month = today.startOf('month').plus({ months: k });
      if (dom > (month.daysInMonth ?? 28)) continue;
      const d = month.set({ day: dom });
      if ((range === 'past' && d > today) || (range === 'future' && d < today)) continue;
      // Found far from this month, the pair is more likely misheard than meant: read it back.
      if (d.weekday % 7 === weekday) return { status: 'ok', value: d.toISODate()!, ...(Math.abs(k) > 1 ? { note: 'weekday and day agree only months away: read back' } : {}) };
    }
    return { status: 'ok', value: today.set({ day: Math.min(dom, today.daysInMonth ?? 28) }).toISODate()!, note: 'the weekday said does not match the day: read back' };
  }
  if (best) {
    const c = best.start;
    date = DateTime.fromObject({ year: c.get('year') ?? today.year, month: c.get('month') ?? 1, day: c.get('day') ?? 1 }, { zone: timezone });
    if (!c.isCertain('year') && !explicit) {
      if (range === 'past' && date > today) date = c.isCertain('month') ? date.minus({ years: 1 }) : date.minus({ weeks: 1 });
      if (range === 'future' && date < today) date = c.isCertain('month') ? date.plus({ years: 1 }) : date.plus({ weeks: 1 });
    }
    if (range === 'past' && !explicit && !c.isCertain('year') && c.isCertain('weekday') && !c.isCertain('day') && date > today) date = date.minus({ weeks: 1 });
  } else {
    const d = dayOnly(english);
    if (d !== null && d >= 1 && d <= 31) {
      // "the 31st" on November 26th: the latest month that has a 31st on the side the slot allows (October 31st).
      const step = range === 'future' ? 1 : -1;
      let month = today.startOf('month');
      for (let k = 0; k < 3; k++, month = month.plus({ months: step })) {
        if (d > (month.daysInMonth ?? 28)) continue;
        const cand = month.set({ day: d });
        if ((range === 'past' && cand > today) || (range === 'future' && cand < today)) continue;
        date = cand;
        break;
      }
      date ??= today.set({ day: Math.min(d, today.daysInMonth ?? 28) });
    }
  }
  if (!date || !date.isValid) return /\d/.test(english) ? { status: 'invalid', reason: 'not a date I could place' } : { status: 'none' };
  // "back in March": the month is known, the day is not. Stored as YYYY-MM (ISO month precision), never as the 1st.
  // "August 2014, I don't know the exact day": the caller says so.
  const c = best?.start;
  const noDay = NO_DAY.test(text) && !!c?.isCertain('month');
  if (c && ((c.isCertain('month') && !c.isCertain('day') && !c.isCertain('weekday') && !/\bago\b/i.test(best!.text)) || noDay)) {
    let month = date.startOf('month');
    // "back in March", "last March": the nearest March on the side the slot allows (chrono picks the next one).
    if (!c.isCertain('year')) {
      if (range !== 'future' && (range === 'past' || /\b(?:back|last|was|were|happened|ago)\b/i.test(english)) && month > today) month = month.minus({ years: 1 });
      if (range === 'future' && month.endOf('month') < today) month = month.plus({ years: 1 });
    }
    if (date.year < 1900) return { status: 'invalid', reason: `year ${date.year} is not plausible` };
    if (range === 'past' && month > today) return { status: 'invalid', reason: 'that date is in the future' };
    if (range === 'future' && month.endOf('month') < today) return { status: 'invalid', reason: 'that date is in the past' };
    return { status: 'ok', value: month.toFormat('yyyy-MM'), note: 'month only: ask for the day' };
  }
  if (date.year < 1900) return { status: 'invalid', reason: `year ${date.year} is not plausible` };
  if (range === 'past' && date > today) return { status: 'invalid', reason: 'that date is in the future' };
  if (range === 'future' && date < today) return { status: 'invalid', reason: 'that date is in the past' };
  // "the 28th, it's a Wednesday": a weekday said beside a day must agree with it, or the date is read back.
  const said = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i.exec(english);
  if (said && best && best.start.isCertain('day') && !best.start.isCertain('weekday') && date.toFormat('cccc').toLowerCase() !== said[1]!.toLowerCase()) {
    return { status: 'ok', value: date.toISODate()!, note: `${date.toFormat('cccc')}, not ${said[1]}: read back` };
  }
  // "around the tenth", "the 10th or 11th, I'm not sure": the caller doubts the day, so it is read back.
  if (HEDGED_DAY.test(text)) return { status: 'ok', value: date.toISODate()!, note: 'the caller was not sure of the day: read back' };
  // "about a month ago", "a few weeks ago": a day is computed, but the caller did not say it.
  // "last week", "a few days ago": chrono computes a day the caller never said.
  const vague = /\b(?:last|this|past|next) week\b|\bweekend\b|\b(?:few|several|couple(?: of)?) (?:days|weeks|months)\b|\bweeks? ago\b/i;
  if (best && ((!best.start.isCertain('day') && !best.start.isCertain('weekday')) || (vague.test(english) && !/\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/i.test(english)))) return { status: 'ok', value: date.toISODate()!, note: 'approximate date' };
  return { status: 'ok', value: date.toISODate()! };
}
