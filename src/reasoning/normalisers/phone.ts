// Phone numbers as spoken or typed -> E.164 through libphonenumber-js, with the firm's default region for numbers said
// without a country code. Never guesses missing digits: a short number is 'invalid' so the caller is asked again.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { digitRuns, tokenize } from '../spoken-numbers.js';
import type { Normalised } from './result.js';

function toE164(digits: string, international: boolean, region: string): string | null {
  const candidates = international ? [`+${digits}`] : [digits, `+${digits}`];
  for (const c of candidates) {
    const p = c.startsWith('+') ? parsePhoneNumberFromString(c) : parsePhoneNumberFromString(c, region as CountryCode);
    if (p && p.isValid()) return p.number;
  }
  return null;
}

export function normalisePhone(text: string, region: string): Normalised {
  const tokens = tokenize(text.replace(/\+/g, ' plus '));
  const runs = digitRuns(tokens);
  if (runs.length === 0) return { status: 'none' };
  const intl = tokens.some((t) => t === 'plus' || t === 'más' || t === 'mas');
  // Extensions are not part of the callback number.
  const extAt = tokens.findIndex((t) => t === 'extension' || t === 'ext' || t === 'extensión');
  const usable = extAt >= 0 ? runs.filter((r) => r.start < extAt) : runs;
  const all = usable.map((r) => r.digits).join('');
  const tries = [all, ...usable.map((r) => r.digits).sort((a, b) => b.length - a.length)];
  for (const d of tries) {
    if (d.length < 7) continue;
    const e164 = toE164(d, intl, region);
    if (e164) return { status: 'ok', value: e164 };
  }
  if (all.length < 10 && all.length > 0) {
    return { status: 'invalid', reason: `heard only ${all.length} digits` };
  }
  return { status: 'invalid', reason: `${all.length} digits is not a valid phone number` };
}
