// How a value is read back to the caller: digits one by one in groups, emails letter by letter, dates in words.
// The text is spoken by TTS, so it is written the way a person would say it, in the call's language.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { DateTime } from 'luxon';
import type { Language } from '../primitives.js';
import type { SlotType, SlotValue } from './types.js';

const DIGITS: Record<Language, string[]> = {
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  es: ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'],
};
const SYMBOL_WORDS: Record<Language, Record<string, string>> = {
  en: { '.': 'dot', '@': 'at', _: 'underscore', '-': 'dash', '+': 'plus' },
  es: { '.': 'punto', '@': 'arroba', _: 'guion bajo', '-': 'guion', '+': 'más' },
};
/** Domain labels people say as words rather than spell. */
const SAID_AS_WORDS = new Set(['gmail', 'yahoo', 'hotmail', 'outlook', 'icloud', 'aol', 'com', 'net', 'org', 'edu', 'gov', 'live', 'mail', 'protonmail', 'me', 'us', 'co', 'uk', 'mx', 'es']);

export const sayDigits = (digits: string, lang: Language): string =>
  [...digits].map((d) => DIGITS[lang][Number(d)] ?? d).join(' ');

export function spokenPhone(e164: string, defaultRegion: string, lang: Language): string {
  const p = parsePhoneNumberFromString(e164);
  if (!p) return sayDigits(e164.replace(/\D/g, ''), lang);
  const home = p.country === (defaultRegion as CountryCode) || (p.countryCallingCode === '1' && defaultRegion === 'US');
  const formatted = home ? p.formatNational() : p.formatInternational();
  const groups = formatted.match(/\d+/g) ?? [];
  const said = groups.map((g) => sayDigits(g, lang)).join(', ');
  return home ? said : `${SYMBOL_WORDS[lang]['+']} ${said}`;
}

export function spokenEmail(email: string, lang: Language): string {
  const [local = '', domain = ''] = email.split('@');
  const spell = (s: string) =>
    [...s].map((c) => (/\d/.test(c) ? DIGITS[lang][Number(c)] : SYMBOL_WORDS[lang][c] ?? c)).join(' ');
  const domainSaid = domain
    .split('.')
    .map((label) => (SAID_AS_WORDS.has(label) ? label : spell(label)))
    .join(` ${SYMBOL_WORDS[lang]['.']} `);
  return `${spell(local)}, ${SYMBOL_WORDS[lang]['@']} ${domainSaid}`;
}

const ordinalEn = (n: number): string => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/**
 * A day read back with its weekday, so a caller who remembers "it was a Tuesday" can catch a wrong date: "the 3rd of
 * November 2026, a Tuesday", "el 3 de noviembre de 2026, un martes".
 */
export function spokenDay(d: DateTime, lang: Language): string {
  const l = d.setLocale(lang);
  if (lang === 'es') return `el ${l.day} de ${l.toFormat('LLLL')} de ${l.year}, un ${l.toFormat('cccc')}`;
  return `the ${ordinalEn(l.day)} of ${l.toFormat('LLLL')} ${l.year}, a ${l.toFormat('cccc')}`;
}

export function spokenValue(type: SlotType, value: SlotValue, lang: Language, defaultRegion: string): string {
  switch (type) {
    case 'phone':
      return spokenPhone(String(value), defaultRegion, lang);
    case 'email':
      return spokenEmail(String(value), lang);
    case 'digits':
      return sayDigits(String(value), lang);
    case 'date': {
      const d = DateTime.fromISO(String(value)).setLocale(lang);
      // A month-precision date ("2026-03") is read as the month, so the caller is never told a day they did not say.
      if (d.isValid && /^\d{4}-\d{2}$/.test(String(value))) return d.toLocaleString({ month: 'long', year: 'numeric' });
      return d.isValid ? spokenDay(d, lang) : String(value);
    }
    case 'yes_no':
      return value ? (lang === 'es' ? 'sí' : 'yes') : 'no';
    case 'enum':
      return String(value).replace(/_/g, ' ');
    default:
      return String(value);
  }
}
