// Questions the caller asks ("how much is a consultation?", "what time do you open?", "do you do evictions?"), matched
// to the flow's FAQ topics by the content words of their example phrases, or kept as free text for the attorney.
// Matching is on content words, not whole phrases, so "how much do you charge for a consultation" still finds the fee.
import type { CallerQuestion, FaqTopic } from '../interpretation.js';
import type { Language } from '../../primitives.js';

const STOPWORDS = new Set([
  'a', 'an', 'the', 'do', 'does', 'you', 'your', 'i', 'is', 'are', 'what', 'how', 'can', 'on', 'for', 'of', 'to', 'in', 'it',
  'me', 'my', 'we', 'us', 'there', 'any', 'this', 'that', 'guys', 'y', 'la', 'el', 'los', 'las', 'de', 'que', 'es', 'un', 'una',
  'por', 'con', 'se', 'su', 'sus', 'usted', 'ustedes', 'a', 'en', 'lo', 'le', 'mi',
]);

function tokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(' ')
    .filter(Boolean);
}

function contentWords(text: string): string[] {
  return tokens(text).filter((t) => !STOPWORDS.has(t));
}

/** "evictions" matches "eviction", "charge" matches "charges": compare on a crude stem so plurals do not miss. */
function stem(word: string): string {
  return word.length > 4 ? word.replace(/(es|s)$/, '') : word;
}

// "do you handle / do / take X", "llevan / hacen casos de X": a practice-area question, whatever X is.
const PRACTICE_QUESTION = /\b(?:do you|does the firm|do y'all|can you)\s+(?:guys\s+)?(?:handle|do|take|help with|deal with|work on)\s+(.+)$/i;
const PRACTICE_QUESTION_ES = /\b(?:llevan|hacen|manejan|atienden|ven|toman)\s+(?:casos\s+de\s+)?(.+)$/i;

function matchScore(utterance: Set<string>, example: string): number {
  const words = contentWords(example).map(stem);
  if (!words.length) return 0;
  const hits = words.filter((w) => utterance.has(w)).length;
  // One shared word is enough only when the example has one content word ("bankruptcy"); otherwise two.
  if (hits < Math.min(2, words.length)) return 0;
  return hits / words.length;
}

/** Where a question starts inside an utterance: a question word or an inverted verb, at a clause start. */
const QUESTION_START = /(?:^|[,.!?;:]\s*|\b(?:hi|hello|hey|yes|yeah|so|and|also|okay|ok|um|uh|oh|well|quick question|one question|first|before that|wait|hola|bueno|oiga|pregunta|y|una pregunta)[\s,]+|\b(?:i (?:need|want|wanted|would like|'d like) to (?:know|ask)|i was wondering|i wonder|wondering|tell me|quiero saber|quer[ií]a saber|quisiera saber|me gustar[ií]a saber)\s+(?:if\s+|whether\s+|si\s+)?)[¿¡]?(?=(?:how much|how long|how do|how does|how can|how many|what time|what are|what is|what's|what do|what kind|when do|when are|when is|where are|where is|where do|which|who do|who is|do you|do y'all|does the|does it|are you|are there|is the|is it|is there|is this|can i|can we|can you|can my|could i|could you|could my|will you|will i|would you|should i|do i|am i|would i|would we|would my|will my|could this|is that|are they|did i|did they|cu[aá]nto|cu[aá]ndo|d[oó]nde|a qu[eé] hora|qu[eé]|cu[aá]l|c[oó]mo|aceptan|llevan|hacen|manejan|tienen|puedo|pueden|es usted|eres|estoy hablando)\b)/giu;
/** Pleas for help ("can someone help us?", "¿me pueden ayudar?"): why they call, not a question for the attorney. */
const PLEA = /^[¿¡]?(?:please\s+)?(?:(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody|y'all|you guys|you all|one of you|an attorney|a lawyer)(?: please)? help(?: me| us| him| her| them| my \w+)?(?: out)?(?: with (?:this|that|it))?(?: please)?|(?:me|nos|lo|la|le) (?:puede|pueden|podr[ií]an?) ayudar|(?:puede|pueden|podr[ií]an?) ayudar(?:me|nos|lo|la|le)?|is there (?:anything|something|anyone) you can do|what (?:can|should) i do|please|por favor)\s*(?:por favor|please)?[?.!,\s]*$/iu;

/** The utterance without a closing plea ("..., I'm his aunt, can someone help us?"). */
function withoutPlea(text: string): string {
  const parts = text.split(/(?<=[,.!?;])\s+/);
  while (parts.length && PLEA.test(parts.at(-1)!.trim())) parts.pop();
  return parts.join(' ');
}

/** The question-shaped stretches of an utterance: from a question start to the end of its sentence. */
export function questionSpans(text: string): string[] {
  const spans: string[] = [];
  text = withoutPlea(text);
  for (const m of text.matchAll(QUESTION_START)) {
    const from = m.index + m[0].length;
    if (spans.length && text.slice(0, from).endsWith(spans.at(-1)!)) continue;
    const rest = text.slice(from);
    const end = /[.!?](?=\s|$)/.exec(rest);
    const span = (end ? rest.slice(0, end.index + 1) : rest).trim();
    if (span && !PLEA.test(span) && !spans.some((x) => x.includes(span))) spans.push(span);
  }
  return spans;
}

/** Questions in one utterance (at most one, the best match): FAQ topic, practice-area subject, or free text. */
export function detectQuestions(text: string, faq: FaqTopic[], language: Language): CallerQuestion[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  // Only question-shaped stretches are matched: a story that says "for hours" or "a theft charge" asks nothing.
  // Recognition that punctuates a whole reply as a question ("Tuesday?") still makes it one.
  const spans = questionSpans(trimmed);
  const asked = withoutPlea(trimmed);
  if (!spans.length && /\?\s*$/.test(asked)) spans.push(asked.split(/(?<=[.!])\s+/).at(-1)!);
  for (const span of spans) {
    const said = new Set(contentWords(span).map(stem));
    let best: { topic: string; score: number } | null = null;
    for (const topic of faq) {
      const examples = [...(topic.examples[language] ?? []), ...(language === 'en' ? [] : topic.examples.en ?? [])];
      for (const ex of examples) {
        const score = matchScore(said, ex);
        if (score >= 0.6 && (!best || score > best.score)) best = { topic: topic.id, score };
      }
    }
    const practice = PRACTICE_QUESTION.exec(span) ?? PRACTICE_QUESTION_ES.exec(span);
    const hasPracticeTopic = faq.some((t) => t.id === 'practice_areas');
    if (practice && hasPracticeTopic && (!best || best.topic === 'practice_areas')) {
      const subject = practice[1]!.replace(/[?.!]+$/, '').replace(/^(?:cases? (?:of|like|for)|casos de)\s+/i, '').trim();
      return [{ topic: 'practice_areas', subject, text: span }];
    }
    if (best) return [{ topic: best.topic, text: span }];
  }
  // Free text only when recognition punctuated it as a question: an answer is never mistaken for one.
  const free = spans.find((x) => /\?\s*$/.test(x));
  return free ? [{ topic: null, text: free }] : [];
}

const FILLER = new Set(['hi', 'hello', 'hey', 'yes', 'yeah', 'so', 'and', 'also', 'okay', 'ok', 'um', 'uh', 'oh', 'well', 'wait', 'sorry', 'hola', 'bueno', 'oiga', 'please', 'quick', 'question', 'one', 'first', 'pregunta', 'una', 'actually']);

/** True when the utterance is nothing but a question (so it is not also the answer to a free-text prompt). */
export function isOnlyQuestion(text: string): boolean {
  const t = withoutPlea(text.trim());
  const spans = questionSpans(t);
  if (!spans.length) return /\?\s*$/.test(t);
  // What is left once the questions are taken out is a greeting or nothing: the caller only asked.
  let rest = t;
  for (const x of spans) rest = rest.replace(x, ' ');
  return contentWords(rest).filter((w) => !FILLER.has(w)).length === 0;
}
