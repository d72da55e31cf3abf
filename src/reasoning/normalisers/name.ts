// Person names as said on the phone: "my name is Maria Gonzalez", spelled ("s m i t h"), said then spelled
// ("Sean, s h a w n" -> Shawn), with hints ("Smyth with an i" -> Smith, "Anne without the e" -> Ann), English or Spanish.
import { tokenize } from '../spoken-numbers.js';
import type { Normalised } from './result.js';
import { mergeSpelled, pieces, strip, type Piece } from './spelling.js';

const LEAD_INS = [
  /^(?:(?:good (?:morning|afternoon|evening)|buen(?:os|as) (?:d[ií]as|tardes|noches)|buenas|well|uh+|um+|er|erm|hmm|so|yes|yeah|yep|sure|ok|okay|(?:hi|hello|hey)(?: there)?|oh|right|sorry|sí|si|claro|bueno|hola|pues|ah|al[oó])(?=[\s,.!]|$)[\s,.!]*)+/iu,
  /^(?:my|the|mi)?\s*(?:full\s+|first\s+|last\s+|sur)?(?:name|nombre(?:\s+completo)?|apellido)\s*(?:is|'s|es|would be|was)?\s*[:,]?\s*/i,
  /^(?:(?:it's|it is|its|this is|that's|that is|i'm|i am|im|call me|they call me|me llamo|mi nombre es|soy|habla|es|you can call me|you're speaking with|speaking with|this is going to be)\b[\s,]*)+/i,
  /^(?:(?:my|the|mi)\s+)?(?:(?:full|first|last|sur)\s*)?(?:name|nombre(?:\s+completo)?|apellido)\s*(?:is|'s|es)?\s*[:,]?\s*/i,
];
const STOP = new Set([
  'calling', 'and', 'from', 'here', 'speaking', 'i', 'my', 'about', 'thanks', 'thank', 'please', 'gracias', 'por',
  'llamando', 'that', "that's", 'but', 'so', 'spelled', 'spelt', 'like', 'with', 'without', 'con', 'sin', 'se', 'is',
  'it', "it's", 'as', 'the', 'for', 'regarding', 'calling,', 'who', 'uh', 'um', 'er', 'okay', 'ok', 'again', 'pero',
]);
const TITLES = new Set(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'mister', 'señor', 'señora', 'señorita', 'sr', 'sra', 'srta', 'don', 'doña', 'el', 'la', 'attorney', 'officer', 'sir', 'madam', 'sergeant', 'sgt', 'detective', 'lieutenant', 'captain', 'deputy', 'judge', 'professor', 'pastor', 'reverend', 'nurse']);
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'van', 'von', 'der', 'da', 'di', 'dos', 'du', 'le', 'y', 'st', 'ste', 'mt']);
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
  'necesito', 'ayuda', 'sí', 'nada', 'nadie', 'gracias', 'again', 'before', 'an', 'a', 'be', 'been', "i'd", "i'll", "i've", 'id',
  // "he's still alive": a pronoun with a verb is a sentence about someone, never their name.
  "he's", "she's", "they're", "we're", "you're", 'alive', 'still', 'passed', 'died', 'living', 'name', 'names', 'nombre',
]);
const FILLERS = new Set(['uh', 'um', 'umm', 'uhh', 'er', 'erm', 'eh', 'este', 'pues', 'bueno', 'mm', 'hmm']);

// When the caller names themselves after talking about someone else, the last of these is their own name.
const STRONG_INTRO = /\b(?:my name is|my name's|mine is|mine's|me llamo|mi nombre es|the name is)\b/gi;

/** Answers that name nobody ("no one died", "nadie") and words a name is never made of alone ("first", "okay"). */
const NAMES_NOBODY = /^\s*(?:no[, ]+)?(?:no one|nobody|no-one|nadie|ninguno|ninguna|none)\b/i;
const NEVER_A_NAME_ALONE = new Set(['first', 'second', 'one', 'okay', 'ok', 'wait', 'sure', 'well', 'yes', 'yeah', 'no', 'hello', 'hi', 'sorry', 'actually', 'so', 'um', 'uh', 'thanks', 'please', 'bueno', 'primero', 'espere']);
/** A question asked at the name prompt ("what does a consultation cost?") holds no name unless it is introduced. */
const QUESTION_ONLY = /^[^?]*\b(?:what|how|when|where|why|which|who|do|does|can|is|are|cu[aá]nto|qu[eé]|c[oó]mo)\b[^?]*\?[^?]*$/i;

/** "No one died", "nadie": an answer that names nobody. */
export const namesNobody = (text: string): boolean => NAMES_NOBODY.test(text);

export function normaliseName(text: string): Normalised {
  if (namesNobody(text)) return { status: 'none' };
  if (QUESTION_ONLY.test(text) && !STRONG_INTRO.test(text)) {
    STRONG_INTRO.lastIndex = 0;
    return { status: 'none' };
  }
  STRONG_INTRO.lastIndex = 0;
  const r = readAnyName(text);
  if (r.status === 'ok' && typeof r.value === 'string' && !r.value.includes(' ') && NEVER_A_NAME_ALONE.has(r.value.toLowerCase())) return { status: 'none' };
  return r;
}

function readAnyName(text: string): Normalised {
  let t = spokenPunctuation(text.trim());
  const intros = [...t.matchAll(STRONG_INTRO)];
  const lastIntro = intros[intros.length - 1];
  if (lastIntro && lastIntro.index !== undefined && lastIntro.index > 0) t = t.slice(lastIntro.index + lastIntro[0].length);
  return labelledParts(t) ?? readName(t);
}

/**
 * Punctuation said as words: "Vega, hyphen, Ortiz" -> "Vega-Ortiz", "O apostrophe Brien" -> "O'Brien"; "with a
 * hyphen" is a remark about the name (kept as a marker the reader applies), and a full stop after a word is a pause
 * like a comma ("Nguyen. Minh Nguyen.").
 */
function spokenPunctuation(text: string): string {
  return text
    .replace(/[,\s]*\b(?:(?:with|con)\s+(?:a|an|un)?\s*(?:hyphen|dash|gui[oó]n)|hyphenated)\b/giu, ` ${HYPHEN_MARK} `)
    .replace(/(\p{L}+)[\s,]*\b(?:hyphen|dash|gui[oó]n)\b[\s,]*(\p{L}+)/giu, '$1-$2')
    // "O apostrophe C O N N O R": the apostrophe joins the letters spelled after it into one word.
    .replace(/\b([od])\s+apostrophe\s+((?:\p{L}[\s,]+){2,}\p{L})(?![\p{L}])/giu, (_m, o: string, letters: string) => `${o}'${letters.replace(/[\s,]+/g, '')}`)
    .replace(/\b([od])\s+apostrophe\s+(\p{L}+)/giu, "$1'$2")
    // ...but "St. Clair", "Ste. Marie" keep their abbreviation: a particle, not the end of a word.
    .replace(/(\p{L}{2,})\.(?=\s|$)/gu, (m, w: string) => (ABBREVIATED_PARTICLES.has(w.toLowerCase()) ? w : `${w},`));
}
const HYPHEN_MARK = 'zzhyphenzz';
/** Particles said as abbreviations, and how they are written in a name. */
const ABBREVIATED_PARTICLES = new Map([['st', 'St.'], ['ste', 'Ste.'], ['mt', 'Mt.']]);

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
  // "Mark Kowalski, my last name is spelled K O W A L S K I": the full name, with the labelled part as spelled.
  if (said.length === 2 && said[0]!.label === null && said[1]!.label !== null) {
    const base = read(said[0]);
    const part = read(said[1]);
    if (base?.status === 'ok' && part?.status === 'ok' && typeof base.value === 'string' && typeof part.value === 'string' && base.value.includes(' ')) {
      const words = base.value.split(' ');
      if (said[1]!.label === 'last') words.splice(words.length - 1, 1, part.value);
      else words.splice(0, 1, part.value);
      return { status: 'ok', value: words.join(' ') };
    }
  }
  const first = read(said.find((p) => p.label === 'first') ?? said.find((p) => p.label === null));
  const last = read(said.find((p) => p.label === 'last') ?? said.find((p) => p.label === null && p !== said.find((q) => q.label === 'first')));
  if (first?.status !== 'ok' || last?.status !== 'ok' || first.value === last.value) return null;
  return { status: 'ok', value: `${first.value} ${last.value}` };
}

/** Kinship and role words that come before a name ("I'm his grandmother Rosa Diaz", "soy la mamá de"). */
const RELATIONS = new Set([
  'his', 'her', 'their', 'our', 'grandmother', 'grandma', 'grandfather', 'grandpa', 'mother', 'mom', 'mum', 'father',
  'dad', 'son', 'daughter', 'wife', 'husband', 'sister', 'brother', 'aunt', 'uncle', 'cousin', 'niece', 'nephew',
  'girlfriend', 'boyfriend', 'fiance', 'fiancée', 'fiancé', 'partner', 'friend', 'neighbor', 'neighbour', 'roommate',
  'grandson', 'granddaughter', 'stepmother', 'stepfather', 'stepson', 'stepdaughter', 'guardian', 'parent',
  'abuela', 'abuelo', 'madre', 'mamá', 'mama', 'padre', 'papá', 'papa', 'hijo', 'hija', 'esposa', 'esposo', 'hermana',
  'hermano', 'tía', 'tia', 'tío', 'tio', 'prima', 'primo', 'su', 'sus', 'mi', 'mis', 'late', 'difunto', 'difunta',
  'esposa', 'marido', 'novio', 'novia',
]);
const SPELL_WORDS = new Set(['spelled', 'spelt', 'spell', 'spelling', "that's", 'thats', 'is', 'its', "it's", 'se', 'escribe', 'deletreado', 'as']);

/** The pronoun "I" after a name ("Dana Whitfield, I, uh, I slipped") is the start of the next clause, not a letter. */
function cutAtPronoun(tokens: string[]): string[] {
  const sig = tokens.map((t, i) => ({ t, i })).filter((x) => x.t !== ',' && !FILLERS.has(x.t));
  for (let k = 1; k < sig.length; k++) {
    if (sig[k]!.t !== 'i' && sig[k]!.t !== "i'm") continue;
    if (sig[k - 1]!.t.length < 2) continue;
    let j = k;
    while (j < sig.length && (sig[j]!.t === 'i' || sig[j]!.t === 'a')) j++;
    if (sig[k]!.t === "i'm" || j >= sig.length || sig[j]!.t.length > 1) return tokens.slice(0, sig[k]!.i);
  }
  return tokens;
}

interface Segment { words: string[]; spelled: string | null; stop: boolean; junk: boolean }

/** One stretch between pauses: its name words, or the letters it spells, and whether a clause follows the name. */
function readSegment(ps: Piece[], first: boolean): Segment {
  const words: string[] = [];
  let spelled: string | null = null;
  let stop = false;
  let junk = false;
  const onlySpelling = ps.every((p) => p.kind === 'spelled' || (p.kind === 'word' && SPELL_WORDS.has(p.text)));
  if (onlySpelling && ps.some((p) => p.kind === 'spelled' && p.text.length >= 2)) {
    return { words, spelled: ps.filter((p) => p.kind === 'spelled').map((p) => p.text).join(''), stop, junk };
  }
  for (const p of ps) {
    if (p.kind === 'spelled' && p.text.length === 1 && words.length > 0) { stop = true; break; }
    // A spelling of a word already said ("Oluwaseun Adeyemi, o l u w a s e u n") confirms it; it adds nothing.
    if (p.kind === 'spelled' && words.some((w) => strip(w) === strip(p.text))) continue;
    if (p.kind === 'word' && p.text === HYPHEN_MARK) continue;
    if (p.kind === 'word' && STOP.has(p.text)) {
      if (words.length > 0 || !first) { stop = true; break; }
      continue;
    }
    if (p.kind === 'word' && words.length === 0 && (PARTICLES.has(p.text) || TITLES.has(p.text) || RELATIONS.has(p.text))) continue;
    if (p.kind === 'word' && RELATIONS.has(p.text) && !PARTICLES.has(p.text)) { stop = true; break; }
    if (!/^[\p{L}'’-]+$/u.test(p.text)) continue;
    if (p.kind === 'word' && NOT_NAMES.has(p.text)) { junk = true; break; }
    words.push(p.text);
    if (words.length >= 5) break;
  }
  while (words.length && PARTICLES.has(words[words.length - 1]!)) words.pop();
  return { words, spelled, stop, junk };
}

const flat = (ws: string[]) => ws.join('').replace(/-/g, '');

/**
 * The words of the name across pauses: a restart replaces what came before ("Greg, uh, Gregory McDonald"), a
 * restatement adds nothing ("David Kim. Kim."), a fuller restatement wins ("Nguyen. Minh Nguyen."), a spelling merges
 * into the word it spells, and anything else after the name ends it ("Dana Whitfield, I, uh, I slipped").
 */
function assemble(segments: Segment[]): { words: string[]; junk: boolean; restarted?: boolean } {
  let w: string[] = [];
  let restarted = false;
  for (const seg of segments) {
    if (seg.spelled !== null) {
      const s = seg.spelled;
      let at = -1;
      for (let i = w.length - 1; i >= 0; i--) if (sameNameLoose(w[i]!, s)) { at = i; break; }
      if (at >= 0) { if (strip(w[at]!) !== strip(s)) w[at] = s; }
      else if (w.length < 2) w.push(s);
      else break;
      continue;
    }
    const b = seg.words;
    // "I'd rather not", "Tom Brady no relation": words that are not a name end it; with no name before, there is none.
    if (seg.junk) {
      if (!w.length) return { words: [], junk: true };
      const later = segments.slice(segments.indexOf(seg) + 1).find((x) => !x.junk && x.words.length > w.length && x.words[0] === w[0]);
      return later ? { words: [...later.words], junk: false, restarted: true } : { words: w, junk: false, restarted };
    }
    if (b.length === 0) {
      if (!seg.stop || !w.length) continue;
      const later = segments.slice(segments.indexOf(seg) + 1).find((x) => x.words.length > w.length && x.words[0] === w[0]);
      if (later) { w = [...later.words]; restarted = true; }
      break;
    }
    if (w.length === 0) w = [...b];
    else if (b.every((x) => w.includes(x)) || w.join(' ').endsWith(b.join(' '))) { /* said again */ }
    else if (w.every((x) => b.includes(x)) || b[0]!.startsWith(w[0]!)) w = [...b];
    else if (b.length <= 2 && w.length >= b.length && flat(w.slice(-b.length - 1)) === flat(b)) w = [...w.slice(0, -b.length - 1), ...b];
    else if (b.length <= 2 && flat(w.slice(-b.length)) === flat(b)) w = [...w.slice(0, -b.length), ...b];
    // "Bill, William Hartley": one word, then a full name that does not contain it, is a restart (read back).
    else if (w.length === 1 && b.length >= 2) { w = [...b]; restarted = true; }
    else if (w.length === 1 && b.length <= 2) w = [...w, ...b];
    // "Tanisha Brooks, with an e at the end, Brookes": a last word said again, respelled, replaces it (read back).
    else if (b.length === 1 && w.length >= 2 && strip(w.at(-1)!) !== strip(b[0]!) && sameNameLoose(w.at(-1)!, b[0]!) && Math.abs(w.at(-1)!.length - b[0]!.length) <= 1) { w = [...w.slice(0, -1), b[0]!]; restarted = true; }
    // Name words said after the name and left out ("Ann Lee, Leigh", "John Smith, Jones"): the name is read back.
    else { restarted = true; break; }
    if (seg.stop || seg.junk) {
      // "Roberto, pero me dicen Beto, Roberto Salas": the name said again in full further on is the name (read back).
      const later = segments.slice(segments.indexOf(seg) + 1).find((x) => x.words.length > w.length && x.words[0] === w[0]);
      if (later) { w = [...later.words]; restarted = true; }
      break;
    }
  }
  return { words: w, junk: false, restarted };
}

function sameNameLoose(word: string, spelled: string): boolean {
  const a = strip(word);
  const b = strip(spelled);
  // The same first letter is a respelling only at about the same length ("Smith", "S M Y T H"; not "O'Connor", "onnor").
  return a === b || (a[0] === b[0] && Math.abs(a.length - b.length) <= 2) || (Math.abs(a.length - b.length) <= 2 && ['ck', 'kc', 'fp', 'pf', 'gj', 'jg', 'sc', 'cs'].includes(`${a[0]}${b[0]}`));
}

/**
 * A self-repair inside the name: "Peggy, well, Margaret Sullivan", "Tom, uh, Thomas Whitaker", "Smith, sorry, Smyth".
 * Explicit repair words replace what came before; a bare hesitation ("uh") replaces it only when a fuller name
 * follows ("Maria, uh, Lopez" is one name said slowly).
 */
const REPAIR = /[\s,]+(?:(?:well|i mean|i meant|actually|sorry|i'm sorry|or rather|rather|no wait|wait|let me correct that|correction|scratch that|perd[oó]n|digo|o sea|mejor dicho|quiero decir|no espera|espera)(?=[\s,.])|no(?=\s*[,.])|(?:uh+|um+|er|erm|eh)(?=[\s,]))(?:[\s,]+(?:uh+|um+|er|erm|eh|well|i mean|sorry|no|perd[oó]n)(?=[\s,]))*[\s,]+/giu;
const HESITATION_ONLY = /^[\s,]*(?:(?:uh+|um+|er|erm|eh)[\s,]*)+$/iu;

function readName(text: string): Normalised {
  const cuts = [...text.matchAll(REPAIR)].filter((m) => m.index > 0 && /\p{L}{2}/u.test(text.slice(0, m.index)));
  const lastCut = cuts.at(-1);
  if (lastCut) {
    const before = readNameOnce(text.slice(0, lastCut.index));
    const rest = text.slice(lastCut.index + lastCut[0].length);
    // "Dana Whitfield, I, uh, I slipped": what follows the pause is the next clause, not a name.
    const after = /^(?:i|i'm|im|we|he|she|they|it|it's|my|his|her|our|yo|mi|me|and|so|but|y|pero)\b/i.test(rest) ? { status: 'none' as const } : readNameOnce(rest);
    if (after.status === 'ok' && before.status === 'ok' && typeof after.value === 'string' && typeof before.value === 'string') {
      const b = before.value.split(' ');
      const a = after.value.split(' ');
      const hesitation = HESITATION_ONLY.test(lastCut[0]);
      const restated = b.every((w) => a.includes(w)) || (b.length === 1 && a[0]!.toLowerCase().startsWith(b[0]!.toLowerCase()));
      let value: string | null = null;
      if (a.length >= 2) value = after.value;
      else if (!hesitation && b.length >= 2) value = (a[0]![0] === b[0]![0] ? [a[0]!, ...b.slice(1)] : [...b.slice(0, -1), a[0]!]).join(' ');
      else if (!hesitation) value = after.value;
      // "Mary Ellen, uh, McAllister": a surname after a pause is added, and read back (it may replace a word).
      else if (b.length === 2 && !b.some((w) => w.toLowerCase() === a[0]!.toLowerCase())) value = [...b, a[0]!].join(' ');
      // A name the caller changed mid-way is likely right, but it is read back: the first version was said too.
      if (value !== null) return restated ? { status: 'ok', value } : { status: 'ok', value, note: 'the caller corrected the name while saying it; read back' };
    }
  }
  return readNameOnce(text);
}

function readNameOnce(text: string): Normalised {
  let t = text;
  for (let k = 0; k < 3; k++) for (const re of LEAD_INS) t = t.replace(re, '');
  const hyphen = t.includes(HYPHEN_MARK);
  // "Reginald Thompson the third", "Carl Evans junior", "Ford III": a generational suffix after two name words is
  // part of the name, written the way it is filed (III, Jr.), not a word of the surname.
  let suffix = '';
  t = t.replace(SUFFIX_SAID, (m, name: string, said: string) => {
    suffix = SUFFIX_OF[said.toLowerCase().replace(/\.$/, '')] ?? '';
    return suffix ? name : m;
  });
  const hints = readHints(t);
  t = hints.rest;
  const cased = new Map<string, string>();
  for (const raw of t.split(/[\s,]+/)) {
    const w = raw.replace(/^[.'’]+|[.'’]+$/g, '');
    if (/\p{Ll}\p{Lu}/u.test(w)) cased.set(w.toLowerCase(), w);
  }
  const tokens = cutAtPronoun(tokenize(t)).filter((x) => !/^\d/.test(x));
  const segs: Piece[][] = [[]];
  for (const p of pieces(tokens.filter((x) => !FILLERS.has(x)))) {
    if (p.kind === 'sep') segs.push([]);
    else segs[segs.length - 1]!.push(p);
  }
  const segments = segs.filter((s) => s.length > 0).map((s, i) => readSegment(mergeSpelled(s), i === 0));
  const { words, junk, restarted } = assemble(segments);
  // "Priya, Priya Patel", "David Kim. Kim.": a word said twice in a row is said once.
  for (let i = words.length - 1; i > 0; i--) if (words[i] === words[i - 1]) words.splice(i, 1);
  if (junk || words.length === 0 || words.some((w) => NOT_NAMES.has(w))) return { status: 'none' };
  if (hints.apply.length) words[words.length - 1] = hints.apply.reduce((w, h) => h(w), words[words.length - 1]!);
  // "Marisol Vega Ortiz, with a hyphen": the last two words are one double surname.
  if (hyphen && words.length >= 3 && !words.some((w) => w.includes('-'))) words.splice(-2, 2, `${words[words.length - 2]}-${words[words.length - 1]}`);
  const value = [...words.map((w, i) => (i > 0 && PARTICLES.has(w) ? ABBREVIATED_PARTICLES.get(w) ?? w : cased.get(w) ?? capitalise(w))), ...(suffix && words.length >= 2 ? [suffix] : [])].join(' ');
  if (value.replace(/[^\p{L}]/gu, '').length < 2) return { status: 'invalid', reason: 'name too short', askToSpell: true };
  return restarted ? { status: 'ok', value, note: 'the caller restarted the name while saying it; read back' } : { status: 'ok', value };
}

const SUFFIX_OF: Record<string, string> = {
  second: 'II', '2nd': 'II', ii: 'II', third: 'III', '3rd': 'III', iii: 'III', fourth: 'IV', '4th': 'IV', iv: 'IV',
  junior: 'Jr.', jr: 'Jr.', senior: 'Sr.', sr: 'Sr.',
};
const SUFFIX_SAID = /^([\p{L}'’-]+[\s,]+[\p{L}'’-]+(?:[\s,]+[\p{L}'’-]+)?)[\s,]+(?:the\s+)?(second|third|fourth|2nd|3rd|4th|ii|iii|iv|junior|jr\.?|senior|sr\.?)(?=[\s,.!?]|$)/iu;

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
  let rest = text.replace(new RegExp(`[,\\s]*\\b(?:with|con)\\s+(?:two|double|dos)\\s+([a-z])(?:'s|s)?(?![\\p{L}'])`, 'giu'), (_m, l: string) => {
    apply.push((w) => (w.toLowerCase().includes(l + l) ? w : w.replace(new RegExp(l, 'i'), l + l)));
    return ' ';
  });
  rest = rest.replace(new RegExp(`[,\\s]*\\b(?:with|con)\\s+(?:one|a single|only one|una sola)\\s+([a-z])(?![\\p{L}'])(?!\\s+(?:latina|griega))`, 'giu'), (_m, l: string) => {
    apply.push((w) => w.replace(new RegExp(`${l}${l}`, 'i'), l));
    return ' ';
  });
  rest = rest.replace(new RegExp(`[,\\s]*\\b(?:without|with\\s+no|sin)\\s+(?:(?:an?|the|una?|la|el)\\s+)?${LETTER}(?![\\p{L}'])(?:\\s+at the end)?`, 'giu'), (_m, l: string) => {
    apply.push((w) => {
      const i = w.toLowerCase().lastIndexOf(l.toLowerCase());
      return i < 0 ? w : w.slice(0, i) + w.slice(i + 1);
    });
    return ' ';
  });
  rest = rest.replace(new RegExp(`[,\\s]*\\b(?:with|con)\\s+(?:(?:an?|the|una?|la|el)\\s+)?${LETTER}(?![\\p{L}'])(?:\\s+(?:not|no)\\s+(?:(?:an?|the|una?|la|el)\\s+)?([a-z])(?![\\p{L}']))?(?:\\s+at the end)?`, 'giu'), (_m, l: string, not?: string) => {
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

