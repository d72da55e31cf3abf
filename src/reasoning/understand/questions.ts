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

/** Questions in one utterance (at most one, the best match): FAQ topic, practice-area subject, or free text. */
export function detectQuestions(text: string, faq: FaqTopic[], language: Language): CallerQuestion[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const said = new Set(contentWords(trimmed).map(stem));
  let best: { topic: string; score: number } | null = null;
  for (const topic of faq) {
    const examples = [...(topic.examples[language] ?? []), ...(language === 'en' ? [] : topic.examples.en ?? [])];
    for (const ex of examples) {
      const score = matchScore(said, ex);
      if (score >= 0.6 && (!best || score > best.score)) best = { topic: topic.id, score };
    }
  }
  const practice = PRACTICE_QUESTION.exec(trimmed) ?? PRACTICE_QUESTION_ES.exec(trimmed);
  const hasPracticeTopic = faq.some((t) => t.id === 'practice_areas');
  if (practice && hasPracticeTopic && (!best || best.topic === 'practice_areas')) {
    const subject = practice[1]!.replace(/[?.!]+$/, '').replace(/^(?:cases? (?:of|like|for)|casos de)\s+/i, '').trim();
    return [{ topic: 'practice_areas', subject, text: trimmed }];
  }
  if (best) return [{ topic: best.topic, text: trimmed }];
  // Free text only when recognition punctuated it as a question: an answer is never mistaken for one.
  if (/\?\s*$/.test(trimmed)) return [{ topic: null, text: trimmed }];
  return [];
}

/** True when the utterance is nothing but a question (so it is not also the answer to a free-text prompt). */
export function isOnlyQuestion(text: string): boolean {
  return /\?\s*$/.test(text.trim()) || /^\s*(?:how much|what time|what are|where|when|do you|are you|can i|is the|cu[aá]nto|d[oó]nde|a qu[eé] hora|llevan|hacen)\b/i.test(text);
}
