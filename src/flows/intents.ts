// Global intents (human, emergency, repeat, start over, goodbye, language) by phrase matching, plus the cheap cues
// that decide when to ask the reasoner about a correction. Matching is on whole words of accent-free lower case text.
import type { Language } from './commands.js';
import type { GlobalsT } from './schema.js';

export type Intent = 'human' | 'emergency' | 'repeat' | 'start_over' | 'goodbye' | 'language';

const DEFAULT_WORDS: Record<Intent, Record<Language, string[]>> = {
  human: {
    en: ['speak to a person', 'talk to a person', 'real person', 'speak to someone', 'talk to someone', 'human', 'operator', 'representative', 'receptionist', 'speak to an attorney', 'talk to a lawyer', 'speak to a lawyer'],
    es: ['hablar con una persona', 'persona real', 'hablar con alguien', 'operador', 'operadora', 'hablar con un abogado', 'recepcionista'],
  },
  emergency: {
    en: ['emergency', 'in danger', 'just arrested', 'been arrested', 'was arrested today', 'in jail right now', 'being detained', 'detained right now', 'threatening me', 'hurting me', 'going to hurt me'],
    es: ['emergencia', 'en peligro', 'lo arrestaron', 'la arrestaron', 'me arrestaron', 'esta detenido', 'esta detenida', 'en la carcel ahora', 'me esta amenazando', 'me quiere hacer dano'],
  },
  repeat: {
    en: ['repeat that', 'say that again', 'come again', 'repeat please', 'can you repeat', 'pardon'],
    es: ['repita', 'repitalo', 'puede repetir', 'otra vez por favor', 'como dijo'],
  },
  start_over: { en: ['start over', 'start again', 'begin again', 'from the beginning'], es: ['empezar de nuevo', 'desde el principio', 'comenzar de nuevo'] },
  goodbye: { en: ['goodbye', 'bye bye', 'hang up', 'never mind bye', 'i have to go'], es: ['adios', 'tengo que colgar', 'hasta luego'] },
  language: { en: ['english', 'in english', 'ingles'], es: ['espanol', 'en espanol', 'spanish', 'hablo espanol'] },
};

export function normalise(text: string): string {
  return ` ${text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

export function words(globals: GlobalsT, intent: Intent, language: Language): string[] {
  const custom = globals[intent]?.words?.[language];
  return custom?.length ? custom : DEFAULT_WORDS[intent][language];
}

function contains(norm: string, phrases: string[]): boolean {
  return phrases.some((p) => norm.includes(normalise(p)));
}

/**
 * Which global intent an utterance triggers, if any. Language switching only counts when the utterance is little
 * more than the language name, so "I speak some Spanish" in a description does not flip the call.
 */
export function detectIntent(text: string, globals: GlobalsT, language: Language, disabled: readonly string[]): { intent: Intent; target?: Language } | null {
  const norm = normalise(text);
  const on = (i: Intent) => !disabled.includes(i);
  if (on('language') && norm.trim().split(' ').length <= 4) {
    for (const lang of ['es', 'en'] as const)
      if (lang !== language && (contains(norm, words(globals, 'language', lang)) || contains(norm, DEFAULT_WORDS.language[lang])))
        return { intent: 'language', target: lang };
  }
  for (const intent of ['repeat', 'human', 'emergency', 'start_over', 'goodbye'] as const) {
    if (!on(intent)) continue;
    const list = [...words(globals, intent, language), ...(language === 'en' ? [] : words(globals, intent, 'en'))];
    if (contains(norm, list)) return { intent };
  }
  return null;
}

const ES_MARKERS = ['hola', 'me llamo', 'mi nombre', 'soy', 'quiero', 'necesito', 'tengo', 'estoy', 'gracias', 'por favor', 'si', 'buenos dias', 'buenas', 'senor', 'senora', 'usted', 'ayuda', 'abogado', 'accidente', 'llamo', 'mi', 'porque', 'fue', 'hace', 'ayer'];
const EN_MARKERS = ['hi', 'hello', 'my', 'name', 'is', 'i', "i'm", 'the', 'yes', 'and', 'to', 'of', 'need', 'want', 'this', 'it', 'was', 'please', 'thanks', 'lawyer', 'attorney'];

/** True when an utterance is clearly Spanish (used once, to switch an English-default call to Spanish). */
export function looksSpanish(text: string): boolean {
  const toks = normalise(text).trim().split(' ');
  const norm = normalise(text);
  const es = ES_MARKERS.filter((m) => (m.includes(' ') ? norm.includes(` ${m} `) : toks.includes(m))).length;
  const en = EN_MARKERS.filter((m) => toks.includes(m)).length;
  return es >= 2 && en === 0;
}

const CORRECTION_CUE = /^\s*(no[,.!]?\s+(my|it's|its|it is|the|that's|that|mi|es|el|la|su)\b|actually\b|correction\b|i meant\b|wait[,.]?\s|sorry[,.]?\s+(my|it's|that)\b|en realidad\b|perd[oó]n[,.]?\s+(mi|es)\b|me equivoqu[eé]\b)/i;

/** Cheap test for "this may be fixing an earlier answer", before asking the reasoner which slot it targets. */
export function looksLikeCorrection(text: string): boolean {
  return CORRECTION_CUE.test(text);
}

const NO_PREFIX = /^\s*(no|nope|nah|that's wrong|that is wrong|wrong|incorrect|not quite|no es correcto|incorrecto)\b[,.!]*\s*(it's|it is|its|es|my\s+\w+\s+is)?\s*/i;

/** What is left of a "no, it's X" answer to a read-back after the refusal. */
export function afterNo(text: string): string {
  return text.replace(NO_PREFIX, '').trim();
}

const UNKNOWN = [
  "i don't know", 'i do not know', 'dont know', "don't know", 'not sure', "i'm not sure", 'no idea', "don't remember", "i don't remember",
  'no se', 'no lo se', 'no estoy seguro', 'no estoy segura', 'no me acuerdo', 'ni idea', 'no recuerdo',
].map(normalise);

/**
 * "I don't know" is an answer about the question, not a value: the engine moves on (the step's fallback) instead of
 * storing it or asking again. Only short utterances count, so "I don't know his name but it was Acme" still extracts.
 */
export function saysUnknown(text: string): boolean {
  const norm = normalise(text);
  if (norm.trim().split(' ').length > 6) return false;
  return UNKNOWN.some((u) => norm.includes(u));
}
