// Email addresses as spoken ("john dot smith at gmail dot com"), spelled ("m a r i a dot g at gmail dot com"),
// in Spanish ("juan punto perez arroba gmail punto com") or typed -> lower-case address.
import { digitRuns, isNumberWord, tokenize } from '../spoken-numbers.js';
import type { Normalised } from './result.js';
import { mergeSpelled, pieces } from './spelling.js';

const TYPED = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;
const VALID = /^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;

const SYMBOLS: Record<string, string> = {
  at: '@', arroba: '@', '@': '@', dot: '.', period: '.', punto: '.', point: '.', underscore: '_', dash: '-', hyphen: '-',
  guion: '-', guión: '-', plus: '+', más: '+',
};
const TWO_WORD_SYMBOLS: Record<string, string> = {
  'at sign': '@', 'guion bajo': '_', 'guión bajo': '_', 'under score': '_', 'at symbol': '@',
};
/** Words that end the local part going backwards or the domain going forwards. */
const STOP = new Set([
  'is', "it's", 'its', 'it', 'email', 'address', 'my', 'the', 'es', 'mi', 'correo', 'electrónico',
  'electronico', 'sure', 'yes', 'yeah', 'ok', 'okay', 'so', "that's", 'thats', 'um', 'uh', 'umm', 'that', 'sí', 'si',
  'thanks', 'thank', 'please', 'gracias', 'por', 'favor', 'can', 'use', 'reach', 'me', 'and', 'well',
  'yo', 'tengo', 'send', 'to', 'try', 'sorry', 'at', 'mine',
]);
const KNOWN_DOMAINS = ['gmail', 'yahoo', 'hotmail', 'outlook', 'aol', 'icloud', 'protonmail', 'live', 'msn', 'comcast'];

export function normaliseEmail(text: string): Normalised {
  const typed = TYPED.exec(text);
  if (typed) return { status: 'ok', value: typed[0].toLowerCase().replace(/\.$/, '') };
  let tokens = tokenize(text.replace(/\be[\s-]?mail\b/gi, 'email')).filter((t) => t !== ',');
  // "john@gmail" typed partly; split glued symbols so every token is one thing.
  tokens = tokens.flatMap((t) => (t.length > 1 && /[@.]/.test(t) ? t.split(/([@.])/).filter(Boolean) : [t]));
  const joined: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const two = `${tokens[i]} ${tokens[i + 1] ?? ''}`;
    if (two in TWO_WORD_SYMBOLS) { joined.push(`\u0000${TWO_WORD_SYMBOLS[two]}`); i += 1; continue; }
    const t = tokens[i]!;
    if (t === '@' || t === '.') { joined.push(`\u0000${t}`); continue; }
    if (t in SYMBOLS) { joined.push(`\u0000${SYMBOLS[t]}`); continue; }
    joined.push(t);
  }
  const atIdx = lastAt(joined);
  if (atIdx < 0) {
    return joined.some((t) => t === '\u0000.') ? { status: 'invalid', reason: 'no "at" heard in the address', askToSpell: true } : { status: 'none' };
  }
  // Local part: back from the @ until a stop word.
  let s = atIdx;
  while (s > 0 && (joined[s - 1]!.startsWith('\u0000') ? joined[s - 1] !== '\u0000@' : !STOP.has(joined[s - 1]!))) s -= 1;
  // "e mail" said as two words before the address is not part of it.
  let e = atIdx + 1;
  let lastWasWord = false;
  while (e < joined.length) {
    const t = joined[e]!;
    if (t === '\u0000.') { lastWasWord = false; e += 1; continue; }
    if (t.startsWith('\u0000')) break;
    if (STOP.has(t) && lastWasWord) break;
    // After a TLD ("dot com") the address is over.
    if (lastWasWord && joined[e - 2] === '\u0000.') break;
    lastWasWord = true;
    e += 1;
  }
  const local = render(joined.slice(s, atIdx));
  let domain = render(joined.slice(atIdx + 1, e)).replace(/\.+$/, '');
  if (!local) return { status: 'invalid', reason: 'no name before the "at"', askToSpell: true };
  if (!domain.includes('.') && KNOWN_DOMAINS.includes(domain)) domain = `${domain}.com`;
  const value = `${local}@${domain}`.toLowerCase();
  if (!VALID.test(value)) return { status: 'invalid', reason: `"${value}" is not a valid email address`, askToSpell: true };
  return { status: 'ok', value };
}

function lastAt(tokens: string[]): number {
  let best = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== '\u0000@') continue;
    if (best < 0 || tokens.slice(i + 1).includes('\u0000.')) best = i;
  }
  return best;
}

/** Turns words, spelled runs, digits and symbols into the address text. */
function render(tokens: string[]): string {
  let out = '';
  let buf: string[] = [];
  const flush = () => {
    if (buf.length === 0) return;
    // Spoken digits inside an address ("john eighty five") become digits; letters and words are joined.
    const ps = mergeSpelled(pieces(buf));
    const words: string[] = [];
    for (const p of ps) words.push(p.text);
    out += joinWithDigits(words);
    buf = [];
  };
  for (const t of tokens) {
    if (t.startsWith('\u0000')) { flush(); out += t.slice(1); } else buf.push(t);
  }
  flush();
  return out.normalize('NFD').replace(/\p{M}/gu, '');
}

function joinWithDigits(words: string[]): string {
  let out = '';
  let numRun: string[] = [];
  const flushNum = () => {
    if (numRun.length) out += digitRuns(numRun).map((r) => r.digits).join('');
    numRun = [];
  };
  for (const w of words) {
    if (isNumberWord(w) || w === 'double' || w === 'triple') numRun.push(w);
    else { flushNum(); out += w; }
  }
  flushNum();
  return out;
}
