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
  'yo', 'tengo', 'send', 'to', 'try', 'sorry', 'at', 'mine', 'with', 'like', 'work', 'personal', 'use', 'address,',
]);
const KNOWN_DOMAINS = ['gmail', 'yahoo', 'hotmail', 'outlook', 'aol', 'icloud', 'protonmail', 'live', 'msn', 'comcast'];

export function normaliseEmail(text: string): Normalised {
  const typed = TYPED.exec(text);
  if (typed) return { status: 'ok', value: typed[0].toLowerCase().replace(/\.$/, '') };
  // Spelling remarks ("with two l's", "with an h") describe the address; they are not part of it.
  const cleaned = text
    .replace(/\be[\s-]?mail\b/gi, 'email')
    .replace(/\b(?:with|without)\s+(?:two|double|one|a|an|the|no)\s+[a-z](?:'s|s)?\b/gi, ' ')
    // "the letter j, then smith": connectors between the parts of a dictated address.
    .replace(/\b(?:the letter|letter|la letra)\s+/gi, '')
    .replace(/,?\s*\b(?:and then|then|followed by|y luego|luego)\b\s*,?/gi, ' ');
  let tokens = tokenize(cleaned);
  // "john@gmail" typed partly; split glued symbols so every token is one thing.
  tokens = tokens.flatMap((t) => (t.length > 1 && /[@.]/.test(t) ? t.split(/([@.])/).filter(Boolean) : [t]));
  const joined: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const two = `${tokens[i]} ${tokens[i + 1] ?? ''}`;
    if (two in TWO_WORD_SYMBOLS) { joined.push(`\u0000${TWO_WORD_SYMBOLS[two]}`); i += 1; continue; }
    const t = tokens[i]!;
    if (t === '@' || t === '.' || t === ',') { joined.push(`\u0000${t}`); continue; }
    if (t in SYMBOLS) { joined.push(`\u0000${SYMBOLS[t]}`); continue; }
    joined.push(t);
  }
  const atIdx = lastAt(joined);
  if (atIdx < 0) {
    const emailish = joined.some((t) => t === '\u0000.') || joined.some((t) => KNOWN_DOMAINS.includes(t));
    return emailish ? { status: 'invalid', reason: 'no "at" heard in the address', askToSpell: true } : { status: 'none' };
  }
  // Local part: back from the @ until a stop word, or a pause (comma) after a stop word or a number ("my work one,").
  let s = atIdx;
  while (s > 0) {
    const t = joined[s - 1]!;
    if (t === '\u0000@') break;
    if (t === '\u0000,') {
      const before = joined[s - 2];
      if (before === undefined || STOP.has(before) || (isNumberWord(before) && !/^\d$/.test(before))) break;
    } else if (!t.startsWith('\u0000') && STOP.has(t)) break;
    s -= 1;
  }
  // Domain: labels separated by dots; it ends after the top-level label ("dot com") or at a pause.
  let e = atIdx + 1;
  while (e < joined.length) {
    const t = joined[e]!;
    if (t === '\u0000,' || t === '\u0000@') break;
    if (!t.startsWith('\u0000') && joined[e - 1] !== '\u0000.' && joined[e - 1] !== '\u0000-' && joined.slice(atIdx + 1, e).includes('\u0000.')) break;
    e += 1;
  }
  const local = render(joined.slice(s, atIdx));
  const domainTokens = joined.slice(atIdx + 1, e);
  // "john at gmail thanks": without a dot, trailing chatter is not part of the domain.
  while (!domainTokens.includes('\u0000.') && domainTokens.length > 1 && STOP.has(domainTokens[domainTokens.length - 1]!)) domainTokens.pop();
  let domain = render(domainTokens).replace(/\.+$/, '');
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
    if (t === '\u0000,') { buf.push(','); continue; }
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
  for (const [i, w] of words.entries()) {
    const joinsNumbers = w === 'y' && numRun.length > 0 && words[i + 1] !== undefined && isNumberWord(words[i + 1]!);
    if (isNumberWord(w) || w === 'double' || w === 'triple' || joinsNumbers) numRun.push(w);
    else { flushNum(); out += w; }
  }
  flushNum();
  return out;
}
