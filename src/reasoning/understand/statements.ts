// Yes/no questions answered by telling instead of saying yes: "I went to urgent care on Sunday" (seen a doctor?),
// "animal control came out, and a police officer too" (police report?), "we have old ones from 1998" (a will?).
// A caller who answers like that has said yes; asking "please just say yes or no" makes them repeat themselves. A
// statement is only a likely yes, so it is read back ("So that's a yes?") rather than stored as sure.
// compromise's lexicon tells a verb from other words by lookup (no tagger run: it costs nothing per utterance).
import nlp from 'compromise';
import type { SlotSpec } from '../types.js';
import { cuePhrases } from './cues.js';
import { questionSpans } from './questions.js';
import { fold } from './text.js';

const LEXICON: Record<string, string | undefined> = (nlp.model() as { one: { lexicon: Record<string, string> } }).one.lexicon;
const PAST = new Set(['PastTense', 'Participle']);
const SUBJECT = /\b(?:i|we|they|he|she|my \w+|the \w+|our \w+|a \w+|someone|somebody|yo|nosotros|ellos|ella|[eé]l)\s+(?:\w+\s+){0,2}?/;
/** Verbs of having and doing that answer "did you / is there / do you have" in the present or past. */
const HAVE_DO = /\b(?:have|has|had|got|gotten|did|do|does|was|were|am|is|are|been|tengo|tenemos|tiene|tuve|fui|fuimos|fue|hice|hicieron|vino|vinieron|llegaron|llego|me llevaron|hay)\b/;
/** Not knowing is no answer, whatever verb comes with it ("I don't know what they did"). */
const UNSURE = /\b(?:don'?t|dont|do not|not sure|no idea|no se|dunno|can'?t remember|can'?t recall|no recuerdo|no me acuerdo)\b/;
const SHORT_WORDS = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'have', 'been', 'from', 'your', 'they', 'them', 'made', 'about', 'there', 'what', 'when', 'los', 'las', 'por', 'con', 'una', 'que']);

/** Content words of a slot's description and cues ("doctor", "hospital", "police", "report", "will"). */
function topicWords(slot: SlotSpec): Set<string> {
  const words = fold(`${slot.description ?? ''} ${cuePhrases(slot, 'en').join(' ')} ${cuePhrases(slot, 'es').join(' ')}`).trim().split(' ');
  return new Set(words.filter((w) => w.length >= 3 && !SHORT_WORDS.has(w)).map((w) => w.replace(/s$/, '')));
}

/**
 * A statement that answers the yes/no slot with a yes, with how sure that reading is; null when the utterance is
 * not one (a question, a short phrase, or no verb). Callers use it only when no yes/no word was heard, so it never
 * overrides "no" or "not".
 */
export function affirmedByStatement(text: string, slot: SlotSpec): number | null {
  const t = fold(text);
  const words = t.trim().split(' ').filter(Boolean);
  // A question anywhere ("do you handle bankruptcy too? my neighbour asked") is no answer at all.
  if (words.length < 3 || text.includes('?') || questionSpans(text).length || UNSURE.test(t)) return null;
  const verb = words.some((w) => PAST.has(LEXICON[w] ?? '') || /^\p{L}{3,}(?:ed|ido|ado)$/u.test(w)) || HAVE_DO.test(t);
  if (!verb || !SUBJECT.test(t)) return null;
  const topic = topicWords(slot);
  const onTopic = words.some((w) => topic.has(w.replace(/s$/, '')));
  return onTopic ? 0.7 : 0.6;
}
