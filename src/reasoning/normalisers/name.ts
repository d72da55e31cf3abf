// Person names as said on the phone: "my name is Maria Gonzalez", spelled ("s m i t h"), said then spelled
// ("Sean, s h a w n" -> Shawn), with hints ("Smyth with an i" -> Smith, "Anne without the e" -> Ann), English or Spanish.
import { tokenize } from '../spoken-numbers.js';
import type { Normalised } from './result.js';
import { mergeSpelled, pieces, strip } from './spelling.js';

const LEAD_INS = [
  /^(?:(?:good (?:morning|afternoon|evening)|buen(?:os|as) (?:d[ií]as|tardes|noches)|buenas|well|uh+|um+|er|erm|hmm|so|yes|yeah|yep|sure|ok|okay|hi|hello|hey|oh|right|sorry|sí|si|claro|bueno|hola|pues|ah)\b[\s,.]*)+/i,
  /^(?:my|the|mi)?\s*(?:full\s+|first\s+|last\s+|sur)?(?:name|nombre(?:\s+completo)?|apellido)\s*(?:is|'s|es|would be|was)?\s*[:,]?\s*/i,
  /^(?:(?:it's|it is|its|this is|that's|that is|i'm|i am|im|call me|they call me|me llamo|mi nombre es|soy|habla|es|you can call me|you're speaking with|speaking with|this is going to be)\b[\s,]*)+/i,
  /^(?:(?:my|the|mi)\s+)?(?:(?:full|first|last|sur)\s*)?(?:name|nombre(?:\s+completo)?|apellido)\s*(?:is|'s|es)?\s*[:,]?\s*/i,
];
const STOP = new Set([
  'calling', 'and', 'from', 'here', 'speaking', 'i', 'my', 'about', 'thanks', 'thank', 'please', 'gracias', 'por',
  'llamando', 'that', "that's", 'but', 'so', 'spelled', 'spelt', 'like', 'with', 'without', 'con', 'sin', 'se', 'is',
  'it', "it's", 'as', 'the', 'for', 'regarding', 'calling,', 'who', 'uh', 'um', 'er', 'okay', 'ok', 'again',
]);
const TITLES = new Set(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'mister', 'señor', 'señora', 'señorita', 'sr', 'sra', 'srta', 'don', 'doña', 'el', 'la', 'attorney', 'officer', 'sir', 'madam']);
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'van', 'von', 'der', 'da', 'di', 'dos', 'du', 'le', 'y', 'st']);
// Words that are not names: when one of these is in the "name", the caller said something else ("hold on a second",
// "can you repeat that") and the question is asked again. Words that are also first names (Will, Mark, Grace, June,
// Sue, Rose, Bill, Hope) are deliberately absent.
const NOT_NAMES = new Set([
  'know', "don't", 'dont', 'skip', 'what', 'can', 'you', 'repeat', 'hold', 'on', 'second', 'sorry', 'missed', 'need',
  'to', 'speak', 'lawyer', 'attorney', 'was', 'in', 'accident', 'none', 'of', 'your', 'business', 'same', 'moment',
  'minute', 'please', 'hello', 'hi', 'yes', 'no', 'okay', 'ok', 'sure', 'thanks', 'not', 'really', 'there', 'are', 'am',
  'have', 'has', 'had', 'do', 'does', 'did', 'want', 'would', 'just', 'me', 'mine', 'this', 'or', 'if', 'why', 'how',
  'when', 'where', 'which', 'wait', 'help', 'call', 'called', 'question', 'español', 'espanol', 'spanish', 'english',
  'inglés', 'ingles', 'idea', 'nothing', 'nobody', 'someone', 'somebody', 'anyone', 'everything', 'something',
  'understand', 'hear', 'heard', 'excuse', 'pardon', 'huh', 'case', 'court', 'police', 'car', 'divorce', 'injury',
  'hurt', 'get', 'got', 'go', 'going', 'tell', 'said', 'say', "can't", 'cannot', "won't", 'rather', 'prefer', 'same',
  'qué', 'que', 'sé', 'puede', 'repetir', 'perdón', 'momento', 'un', 'una', 'espere', 'hablar', 'abogado',
  'necesito', 'ayuda', 'sí', 'nada', 'nadie', 'gracias', 'again', 'before', 'an', 'a', 'be', 'been',
]);
const FILLERS = new Set(['uh', 'um', 'umm', 'uhh', 'er', 'erm', 'eh', 'este', 'pues', 'bueno', 'mm', 'hmm']);

// When the caller names themselves after talking about someone else, the last of these is their own name.
const STRONG_INTRO = /\b(?:my name is|my name's|mine is|mine's|me llamo|mi nombre es|the name is)\b/gi;

export function normaliseName(text: string): Normalised {
  let t = text.trim();
  const intros = [...t.matchAll(STRONG_INTRO)];
  const lastIntro = intros[intros.length - 1];
  if (lastIntro && lastIntro.index !== undefined && lastIntro.index > 0) t = t.slice(lastIntro.index + lastIntro[0].length);
  return labelledParts(t) ?? readName(t);
}

const LABEL = /\b(?:(?:my|the|mi)\s+)?(first|given|last|family|sur)\s*name\s*(?:is|'s|es)?\s*[:,]?\s*/gi;

/** "Hoang, h o a n g, first name Minh" / "first name Ann, last name Lee": parts labelled first or last, in either order. */
function labelledParts(text: string): Normalised | null {
  const labels = [...text.matchAll(LABEL)];
  if (labels.length === 0) return null;
  const parts: { label: 'first' | 'last' | null; text: string }[] = [];
  let pos = 0;
  let label: 'first' | 'last' | null = null;
  for (const m of labels) {
    parts.push({ label, text: text.slice(pos, m.index) });
    label = /first|given/i.test(m[1]!) ? 'first' : 'last';
    pos = m.index! + m[0].length;
  }
  parts.push({ label, text: text.slice(pos) });
  const said = parts.filter((p) => p.text.replace(/[\s,.]+/g, '') !== '');
  // A single label at the start ("my first name is Thomas") is just a lead-in.
  if (said.length < 2) return null;
  const read = (p: (typeof said)[number] | undefined) => (p ? readName(p.text) : null);
  const first = read(said.find((p) => p.label === 'first') ?? said.find((p) => p.label === null));
  const last = read(said.find((p) => p.label === 'last') ?? said.find((p) => p.label === null && p !== said.find((q) => q.label === 'first')));
  if (first?.status !== 'ok' || last?.status !== 'ok' || first.value === last.value) return null;
  return { status: 'ok', value: `${first.value} ${last.value}` };
}

function readName(text: string): Normalised {
  let t = text;
  for (let k = 0; k < 3; k++) for (const re of LEAD_INS) t = t.replace(re, '');
  const hints = readHints(t);
  t = hints.rest;
  const tokens = tokenize(t).filter((x) => x !== ',' && !FILLERS.has(x) && !/^\d/.test(x));
  const ps = mergeSpelled(pieces(tokens));
  const words: string[] = [];
  for (const p of ps) {
    if (p.kind === 'spelled' && p.text.length === 1 && words.length > 0) break;
    // A spelling of a word already said ("Oluwaseun Adeyemi, o l u w a s e u n") confirms it; it adds nothing.
    if (p.kind === 'spelled' && words.some((w) => strip(w) === strip(p.text))) continue;
    if (p.kind === 'word' && STOP.has(p.text)) {
      if (words.length > 0) break;
      continue;
    }
    if (p.kind === 'word' && (PARTICLES.has(p.text) || TITLES.has(p.text)) && words.length === 0) continue;
    if (!/^[\p{L}'’-]+$/u.test(p.text)) continue;
    words.push(p.text);
    if (words.length >= 5) break;
  }
  while (words.length && PARTICLES.has(words[words.length - 1]!)) words.pop();
  // "Priya, Priya Patel", "David Kim. Kim.": a word said twice in a row is said once.
  for (let i = words.length - 1; i > 0; i--) if (words[i] === words[i - 1]) words.splice(i, 1);
  if (words.length === 0 || words.some((w) => NOT_NAMES.has(w))) return { status: 'none' };
  if (hints.apply.length) words[words.length - 1] = hints.apply.reduce((w, h) => h(w), words[words.length - 1]!);
  const value = words.map((w, i) => (i > 0 && PARTICLES.has(w) ? w : capitalise(w))).join(' ');
  if (value.replace(/[^\p{L}]/gu, '').length < 2) return { status: 'invalid', reason: 'name too short', askToSpell: true };
  return { status: 'ok', value };
}

function capitalise(w: string): string {
  return w
    .split('-')
    .map((part) => {
      let p = part.charAt(0).toUpperCase() + part.slice(1);
      p = p.replace(/^(O['’])(\p{L})/u, (_m, a: string, b: string) => a + b.toUpperCase());
      p = p.replace(/^(Mc)(\p{L})/u, (_m, a: string, b: string) => a + b.toUpperCase());
      return p.replace(/’/g, "'");
    })
    .join('-');
}

type Hint = (w: string) => string;
const SWAPS: [string, string][] = [['i', 'y'], ['y', 'i'], ['k', 'c'], ['c', 'k'], ['f', 'ph'], ['ph', 'f'], ['s', 'z'], ['z', 's'], ['e', 'a'], ['a', 'e']];

/** Reads "with an i", "without the e", "with two n's", "con i latina", "con y griega", "con k" and removes them. */
function readHints(text: string): { rest: string; apply: Hint[] } {
  const apply: Hint[] = [];
  const LETTER = '([a-z])(?:\\s*(?:latina|griega))?';
  let rest = text.replace(new RegExp(`[,\\s]*\\b(?:with|con)\\s+(?:two|double|dos)\\s+([a-z])(?:'s|s)?\\b`, 'gi'), (_m, l: string) => {
    apply.push((w) => (w.toLowerCase().includes(l + l) ? w : w.replace(new RegExp(l, 'i'), l + l)));
    return ' ';
  });
  rest = rest.replace(new RegExp(`[,\\s]*\\b(?:with|con)\\s+(?:one|a single|only one|una sola)\\s+([a-z])\\b(?!\\s+(?:latina|griega))`, 'gi'), (_m, l: string) => {
    apply.push((w) => w.replace(new RegExp(`${l}${l}`, 'i'), l));
    return ' ';
  });
  rest = rest.replace(new RegExp(`[,\\s]*\\b(?:without|with\\s+no|sin)\\s+(?:an?|the|una?|la|el)?\\s*${LETTER}\\b(?:\\s+at the end)?`, 'gi'), (_m, l: string) => {
    apply.push((w) => {
      const i = w.toLowerCase().lastIndexOf(l.toLowerCase());
      return i < 0 ? w : w.slice(0, i) + w.slice(i + 1);
    });
    return ' ';
  });
  rest = rest.replace(new RegExp(`[,\\s]*\\b(?:with|con)\\s+(?:an?|the|una?|la|el)?\\s*${LETTER}\\b(?:\\s+(?:not|no)\\s+(?:an?|the|una?|la|el)?\\s*([a-z])\\b)?(?:\\s+at the end)?`, 'gi'), (_m, l: string, not?: string) => {
    apply.push((w) => {
      const lw = w.toLowerCase();
      const lo = l.toLowerCase();
      if (not && lw.includes(not.toLowerCase())) return swap(w, not.toLowerCase(), lo);
      if (lw.includes(lo)) return w;
      for (const [from, to] of SWAPS) if (to === lo && lw.includes(from)) return swap(w, from, to);
      return w;
    });
    return ' ';
  });
  return { rest, apply };
}

function swap(w: string, from: string, to: string): string {
  const i = w.toLowerCase().indexOf(from);
  if (i < 0) return w;
  const rep = i === 0 && w.charAt(0) === w.charAt(0).toUpperCase() ? to.charAt(0).toUpperCase() + to.slice(1) : to;
  return w.slice(0, i) + rep + w.slice(i + from.length);
}

