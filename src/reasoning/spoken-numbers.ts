// Numbers as callers say them (English and Spanish): digit by digit ("three one two", "double five", "oh" for zero),
// grouped ("five fifty five", "cincuenta y cinco") or as quantities ("thirty five thousand", "two and a half").
// Pure functions over word tokens; no I/O. Every slot normaliser that deals in digits goes through here.

/** Lower-cases, splits hyphenated number words and separates punctuation, keeping digits, letters, @ . + ' inside words. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFC')
    .replace(/[“”"¿¡!?;:()[\]{}]/g, ' ')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/,/g, ' , ')
    // "twenty-five" is two number words; "Al-Sayed" stays one name.
    .replace(/(\p{L}+)-(?=(\p{L}+))/gu, (m, a: string, b: string) => (isNumberWord(a) || isNumberWord(b) ? `${a} ` : m))
    .split(/\s+/)
    .map((t) => t.replace(/^[.'’]+|[.'’]+$/g, ''))
    .filter((t) => t !== '');
}

export const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  cero: 0, uno: 1, una: 1, un: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9,
};

const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19,
  diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciséis: 16, dieciseis: 16, diecisiete: 17,
  dieciocho: 18, diecinueve: 19, veinte: 20, veintiuno: 21, veintiún: 21, veintiun: 21, veintiuna: 21, veintidós: 22,
  veintidos: 22, veintitrés: 23, veintitres: 23, veinticuatro: 24, veinticinco: 25, veintiséis: 26, veintiseis: 26,
  veintisiete: 27, veintiocho: 28, veintinueve: 29,
};

const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90,
};

/** Spanish hundreds are single words. */
const ES_HUNDREDS: Record<string, number> = {
  cien: 100, ciento: 100, doscientos: 200, doscientas: 200, trescientos: 300, trescientas: 300, cuatrocientos: 400,
  cuatrocientas: 400, quinientos: 500, quinientas: 500, seiscientos: 600, seiscientas: 600, setecientos: 700,
  setecientas: 700, ochocientos: 800, ochocientas: 800, novecientos: 900, novecientas: 900,
};

const MULTIPLIERS: Record<string, number> = {
  thousand: 1000, mil: 1000, million: 1_000_000, millions: 1_000_000, millón: 1_000_000, millon: 1_000_000,
  millones: 1_000_000, grand: 1000, k: 1000,
};

const ZERO_LETTERS = new Set(['oh', 'o']);
/** Words a recogniser writes for digits it misheard ("five oh one for two"); read as digits only between digits. */
const HOMOPHONES: Record<string, string> = { for: '4', fore: '4', to: '2', too: '2', won: '1', ate: '8' };
const REPEATERS: Record<string, number> = { double: 2, doble: 2, triple: 3, treble: 3 };

export function isNumberWord(t: string): boolean {
  return (
    t in UNITS || t in TEENS || t in TENS || t in ES_HUNDREDS || t === 'hundred' || t === 'hundreds' ||
    /^\d+$/.test(t.replace(/[-.,()+]/g, '')) && /\d/.test(t)
  );
}

const isDigitsToken = (t: string): boolean => /\d/.test(t) && /^[\d\-.,()+/]+$/.test(t);

function zeroHere(tokens: string[], i: number): boolean {
  const near = (j: number) => {
    const t = tokens[j];
    return t !== undefined && (isNumberWord(t) || t in REPEATERS || ZERO_LETTERS.has(t));
  };
  // "oh" is zero only among other digits; "oh, it's ..." is a sigh.
  return near(i - 1) || (near(i + 1) && tokens[i + 1] !== undefined && !ZERO_LETTERS.has(tokens[i + 1]!)) || (near(i + 1) && near(i + 2));
}

export interface DigitRun {
  /** Token index range [start, end). */
  start: number;
  end: number;
  digits: string;
}

/**
 * Reads every run of spoken or typed digits in `tokens`, digit by digit, as phone numbers and account numbers are said:
 * "five fifty five" is 555, "double oh seven" is 007, "eight hundred" is 800, "quinientos cincuenta y cinco" is 555.
 */
export function digitRuns(tokens: string[]): DigitRun[] {
  const runs: DigitRun[] = [];
  let cur: DigitRun | null = null;
  const push = (i: number, d: string, consumed: number) => {
    if (!cur) cur = { start: i, end: i, digits: '' };
    cur.digits += d;
    cur.end = i + consumed;
  };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (isDigitsToken(t)) {
      push(i, t.replace(/\D/g, ''), 1);
      i += 1;
    } else if (t in REPEATERS && next !== undefined && (next in UNITS || (ZERO_LETTERS.has(next)) || /^\d$/.test(next))) {
      const d = next in UNITS ? String(UNITS[next]) : ZERO_LETTERS.has(next) ? '0' : next;
      push(i, d.repeat(REPEATERS[t]!), 2);
      i += 2;
    } else if (t in ES_HUNDREDS) {
      let v = ES_HUNDREDS[t]!;
      let used = 1;
      const rest = readBelowHundred(tokens, i + 1);
      if (rest) {
        v += rest.value;
        used += rest.used;
      }
      push(i, String(v), used);
      i += used;
    } else if (t in TENS) {
      const rest = unitAfterTens(tokens, i + 1);
      push(i, String(TENS[t]! + (rest?.value ?? 0)), 1 + (rest?.used ?? 0));
      i += 1 + (rest?.used ?? 0);
    } else if (t in TEENS) {
      push(i, String(TEENS[t]), 1);
      i += 1;
    } else if (t in UNITS && !(t === 'un' || t === 'una') ) {
      push(i, String(UNITS[t]), 1);
      i += 1;
    } else if (t in HOMOPHONES && cur !== null && next !== undefined && (next in UNITS || isDigitsToken(next) || ZERO_LETTERS.has(next))) {
      push(i, HOMOPHONES[t]!, 1);
      i += 1;
    } else if (ZERO_LETTERS.has(t) && zeroHere(tokens, i)) {
      push(i, '0', 1);
      i += 1;
    } else if ((t === 'hundred' || t === 'hundreds') && cur !== null) {
      // "eight hundred" -> 800; "five hundred twelve" -> 512 (tens/teens only; a bare unit stays a separate digit).
      const c: DigitRun = cur;
      const rest = readBelowHundred(tokens, i + 1, true);
      c.digits += rest ? String(rest.value).padStart(2, '0') : '00';
      c.end = i + 1 + (rest?.used ?? 0);
      i += 1 + (rest?.used ?? 0);
    } else if (t === 'thousand' && cur !== null) {
      (cur as DigitRun).digits += '000';
      (cur as DigitRun).end = i + 1;
      i += 1;
    } else if ((t === ',' || t === 'dash' || t === 'hyphen' || t === 'guion' || t === 'guión') && cur !== null) {
      i += 1; // a pause or "dash" between groups keeps the run going
    } else {
      if (cur) runs.push(cur);
      cur = null;
      i += 1;
    }
  }
  if (cur) runs.push(cur);
  return runs;
}

function unitAfterTens(tokens: string[], i: number): { value: number; used: number } | null {
  const t = tokens[i];
  if (t === undefined) return null;
  if (t in UNITS && UNITS[t]! > 0) return { value: UNITS[t]!, used: 1 };
  if (t === 'y' && tokens[i + 1] !== undefined && tokens[i + 1]! in UNITS && UNITS[tokens[i + 1]!]! > 0) {
    return { value: UNITS[tokens[i + 1]!]!, used: 2 };
  }
  return null;
}

function readBelowHundred(tokens: string[], i: number, tensOnly = false): { value: number; used: number } | null {
  let j = i;
  if (tokens[j] === 'and' && tokens[j + 1] !== undefined && !tensOnly) j += 1;
  const t = tokens[j];
  if (t === undefined) return null;
  const skip = j - i;
  if (t in TENS) {
    const rest = unitAfterTens(tokens, j + 1);
    return { value: TENS[t]! + (rest?.value ?? 0), used: skip + 1 + (rest?.used ?? 0) };
  }
  if (t in TEENS) return { value: TEENS[t]!, used: skip + 1 };
  if (!tensOnly && t in UNITS) return { value: UNITS[t]!, used: skip + 1 };
  return null;
}

/** All digits said in `text`, in order, as one string ("three one two, five five five" -> "312555"). */
export function spokenDigits(text: string): string {
  return digitRuns(tokenize(text)).map((r) => r.digits).join('');
}

const FRACTIONS: Record<string, number> = { half: 0.5, medio: 0.5, media: 0.5, quarter: 0.25, cuarto: 0.25 };

export interface NumberSpan {
  value: number;
  start: number;
  end: number;
}

/**
 * Reads the first quantity in `tokens` ("thirty five thousand", "$35,000", "two and a half", "treinta y cinco mil",
 * "fifteen hundred", "a dozen"). Returns null when no number is said.
 */
export function firstQuantity(tokens: string[]): NumberSpan | null {
  for (let i = 0; i < tokens.length; i++) {
    const span = quantityAt(tokens, i);
    if (span) return span;
  }
  return null;
}

function numericToken(t: string): number | null {
  const m = /^\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(k|m)?$/.exec(t);
  if (!m) return null;
  let v = Number(m[1]!.replace(/,/g, '') + (m[2] ?? ''));
  if (m[3] === 'k') v *= 1000;
  if (m[3] === 'm') v *= 1_000_000;
  return v;
}

export function quantityAt(tokens: string[], start: number): NumberSpan | null {
  let total = 0;
  let current = 0;
  let seen = false;
  let i = start;
  let lastGood = start;
  const first = tokens[start];
  if (first === undefined) return null;
  if ((first === 'a' || first === 'an') && tokens[start + 1] !== undefined) {
    const n = tokens[start + 1]!;
    if (n === 'hundred' || n === 'thousand' || n === 'million') { current = 1; i = start + 1; }
    else if (n === 'dozen') return { value: 12, start, end: start + 2 };
    else if (n === 'couple') return { value: 2, start, end: start + 2 + (tokens[start + 2] === 'of' ? 1 : 0) };
    else if (n === 'half') return { value: 0.5, start, end: start + 2 };
    else return null;
  }
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    const num = numericToken(t);
    if (num !== null) {
      if (seen && current !== 0) break;
      current += num;
      seen = true;
    } else if (t in UNITS && (seen || (t !== 'un' && t !== 'una') || tokens[i + 1] === 'mil')) {
      if (seen && current % 10 !== 0) break;
      current += UNITS[t]!;
      seen = true;
    } else if (t in TEENS || t in TENS) {
      const v = (TEENS[t] ?? TENS[t])!;
      // "nineteen ninety nine", "fifteen fifty": pairs said the way years and prices are.
      if (seen && total === 0 && ((current >= 10 && current <= 99 && current % 10 !== 0) || (current >= 11 && current <= 19))) {
        current = current * 100 + v;
      } else {
        if (seen && current % 100 !== 0) break;
        current += v;
      }
      seen = true;
    } else if (t in ES_HUNDREDS) {
      current += ES_HUNDREDS[t]!;
      seen = true;
    } else if ((t === 'hundred' || t === 'hundreds') && (seen || current > 0)) {
      current = (current || 1) * 100;
      seen = true;
    } else if (t in MULTIPLIERS && (seen || current > 0 || t === 'mil')) {
      total += (current || 1) * MULTIPLIERS[t]!;
      current = 0;
      seen = true;
    } else if (t === 'dozen' && seen) {
      current *= 12;
    } else if ((t === 'and' || t === 'y') && seen) {
      const n = tokens[i + 1];
      const n2 = tokens[i + 2];
      if ((n === 'a' || n === 'one') && n2 === 'half') { current += 0.5; i += 2; lastGood = i + 1; continue; }
      if (n !== undefined && n in FRACTIONS) { current += FRACTIONS[n]!; i += 1; lastGood = i + 1; continue; }
      if (n !== undefined && (n in UNITS || n in TENS || n in TEENS || numericToken(n) !== null)) continue;
      break;
    } else if ((t === 'point' || t === 'punto' || t === 'coma') && seen && tokens[i + 1] !== undefined) {
      let decimals = '';
      let j = i + 1;
      while (tokens[j] !== undefined && (tokens[j]! in UNITS || /^\d+$/.test(tokens[j]!))) {
        decimals += tokens[j]! in UNITS ? String(UNITS[tokens[j]!]) : tokens[j]!;
        j += 1;
      }
      if (!decimals) break;
      current += Number(`0.${decimals}`);
      i = j - 1;
    } else if ((t === 'dollars' || t === 'dollar' || t === 'bucks' || t === 'dólares' || t === 'dolares') && seen) {
      lastGood = i + 1;
      break;
    } else {
      break;
    }
    lastGood = i + 1;
  }
  if (!seen) return null;
  return { value: total + current, start, end: lastGood };
}
