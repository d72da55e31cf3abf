// Card numbers never reach transcripts, logs or the LLM: any run of 13-19 digits (typed, or spoken as words) that
// passes the Luhn check is replaced. Shorter runs (phones, dates, case numbers) are left alone.
import { digitRuns } from './spoken-numbers.js';

export const CARD_PLACEHOLDER = '[card number removed]';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const looksLikeCard = (d: string) => d.length >= 13 && d.length <= 19 && luhnValid(d);

export function redactCardNumbers(text: string): string {
  if (!text) return text;
  // Words with their positions in the original text, so the replacement keeps everything else as it was.
  const words: { start: number; end: number; norm: string }[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const norm = m[0].toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    words.push({ start: m.index, end: m.index + m[0].length, norm: norm === '' ? ',' : norm });
  }
  const runs = digitRuns(words.map((w) => w.norm)).filter((r) => {
    if (looksLikeCard(r.digits)) return true;
    // A card said among other digits ("card 4111..., expires 12 28"): look for a Luhn-valid 15/16-digit window.
    return r.digits.length > 19 && [16, 15].some((n) => r.digits.length >= n && looksLikeCard(r.digits.slice(0, n)));
  });
  if (runs.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const r of runs) {
    const from = words[r.start]!.start;
    const to = words[r.end - 1]!.end;
    out += text.slice(pos, from) + CARD_PLACEHOLDER;
    // Keep trailing punctuation of the last word (a comma or full stop that ended the sentence).
    const tail = text.slice(from, to).match(/[^\p{L}\p{N}]+$/u)?.[0] ?? '';
    out += tail;
    pos = to;
  }
  return out + text.slice(pos);
}
