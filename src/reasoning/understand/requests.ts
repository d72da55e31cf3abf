// Requests: what the caller asks HERMES to do (a person, an emergency, repeat, start over, goodbye, another language,
// skip the question, "I don't know", "use this number"), found by phrase matching on folded text. This is where the
// flow engine's global-intent phrases live now (they were in flows/intents.ts); a flow's `globals.<kind>.words`
// replace the defaults for that kind and language through UnderstandingContext.requestWords.
import type { Language } from '../../primitives.js';
import type { CallerRequest, CallerRequestKind, UnderstandingContext } from '../interpretation.js';
import type { SlotSpec } from '../types.js';
import { fold, hasPhrase, wordCount } from './text.js';
import { emergencyEvidence } from '../emergency.js';

type Words = Record<Language, string[]>;

export const DEFAULT_REQUEST_WORDS: Record<Exclude<CallerRequestKind, 'skip' | 'unknown' | 'use_caller_id'>, Words> = {
  human: {
    en: ['speak to a person', 'talk to a person', 'speak with a person', 'talk to a real person', 'speak to a real person', 'speak to someone', 'talk to someone', 'speak with someone', 'human', 'operator', 'representative', 'receptionist', 'speak to an attorney', 'talk to an attorney', 'talk to a lawyer', 'speak to a lawyer', 'speak with a lawyer', 'speak with an attorney', 'transfer me', 'put me through', 'talk to somebody', 'speak to somebody', 'speak with somebody', 'talk with somebody', 'talk with someone', 'front desk', 'somebody in the office', 'someone in the office', 'live person', 'real human', 'talk to a human', 'speak to a human'],
    es: ['hablar con una persona', 'persona real', 'hablar con alguien', 'operador', 'operadora', 'hablar con un abogado', 'hablar con una abogada', 'recepcionista', 'comuniqueme', 'paseme con', 'hablar con alguien de la oficina', 'la recepcion', 'una persona de verdad'],
  },
  emergency: {
    en: ['emergency', 'in danger', 'just arrested', 'just got arrested', 'been arrested', 'was arrested today', 'got arrested today', 'arrested last night', 'arrested this morning', 'in jail right now', 'being detained', 'detained right now', 'just detained', 'threatening me', 'hurting me', 'going to hurt me', 'picked up by ice', 'ice took', 'ice detained', 'in custody right now', 'still in custody', 'locked up right now', 'court tomorrow', 'court is tomorrow', 'court date is tomorrow', 'court date tomorrow', 'hearing tomorrow', 'hearing is tomorrow', 'court this afternoon', 'court in the morning', 'court first thing tomorrow'],
    es: ['emergencia', 'en peligro', 'acaban de arrestar', 'acaba de arrestar', 'acaban de detener', 'lo tienen detenido', 'la tienen detenida', 'lo arrestaron', 'la arrestaron', 'me arrestaron', 'lo acaban de arrestar', 'la acaban de arrestar', 'esta detenido', 'esta detenida', 'en la carcel ahora', 'me esta amenazando', 'me quiere hacer dano', 'lo detuvieron', 'la detuvieron', 'se lo llevo la migra', 'se la llevo la migra', 'corte manana', 'audiencia manana', 'audiencia es manana', 'corte es manana'],
  },
  repeat: {
    en: ['repeat that', 'say that again', 'come again', 'repeat please', 'can you repeat', 'could you repeat', 'pardon', 'what was that', 'say again'],
    es: ['repita', 'repitalo', 'puede repetir', 'otra vez por favor', 'como dijo', 'mande', 'no le entendi'],
  },
  start_over: { en: ['start over', 'start again', 'begin again', 'from the beginning'], es: ['empezar de nuevo', 'desde el principio', 'comenzar de nuevo'] },
  goodbye: { en: ['goodbye', 'good bye', 'bye bye', 'hang up', 'never mind bye', 'i have to go', 'i gotta go'], es: ['adios', 'tengo que colgar', 'hasta luego'] },
  language: { en: ['english', 'in english', 'ingles', 'english please'], es: ['espanol', 'en espanol', 'spanish', 'hablo espanol', 'habla espanol'] },
};

/** "Have to go to court", "gotta go pick up my son": going somewhere, not hanging up. */
const GOING_SOMEWHERE = /\b(?:i )?(?:have to|need to|got to|gotta|must) go (?:to|back|pick|see|get|in|into|before|for)\b/g;
/** Wanting a lawyer, said in the middle of telling what happened. */
const WANTS_A_LAWYER = /\b(?:speak|talk|meet|consult) (?:to|with) (?:a|an|one of your|your) (?:lawyer|attorney|abogado|abogada)s?\b|\bhablar con (?:un|una) (?:abogado|abogada)\b|\b(?:speak|talk) (?:to|with) (?:somebody|someone|a person) (?:about|regarding) [a-z]/g;

/**
 * "When can I talk to someone?", "who can I speak with?": asking when or how a person is reachable is a question (the
 * hours, the next step), not a request to be put through now.
 */
const ASKS_WHEN_A_PERSON = /\b(?:when|what time|how soon|how long until|who) (?:can|could|will|would|do|should) (?:i|we) (?:be able to )?(?:speak|talk|meet) (?:to|with)\b|\bcu[aá]ndo (?:puedo|podr[ií]a) hablar con\b/;

/** The caller calls it an emergency, in the present ("it's an emergency", "tengo una emergencia"). */
const EXPLICIT_EMERGENCY = /\b(?:is|it's|its|this's|have|got|there's|this is|it is|es|tengo|hay|tenemos)\s+(?:an?\s+|una\s+)?(?:real\s+|big\s+|serious\s+|kind of an?\s+)?emergenc(?:y|ia)\b|\b(?:emergency|emergencia),?\s+(?:please|por favor)\b|\bplease,?\s+(?:it's\s+)?(?:an\s+)?emergency\b/;

/** Uses of "emergency" that ask for no emergency help: a place, a contact, or the word denied. */
const NOT_AN_EMERGENCY = /\b(?:emergency (?:room|rooms|department|dept|vet|clinic|contact|contacts|services|medical|surgery|c section|order|orders|protective|protection|restraining|petition|motion|custody|hearing|guardianship)|orden(?:es)? de (?:proteccion |alejamiento )?(?:de )?emergencia|(?:not|no|isn't|isnt|wasn't|wasnt|nothing like an?) (?:an? )?(?:real )?emergency|non emergency|sala de emergencias?|cuarto de emergencias?|no es (?:una )?emergencia|ninguna emergencia)\b/g;

/** Leave the question unanswered: only as (nearly) the whole reply, so "none of your business" is still a skip. */
const SKIP: Words = {
  en: ['skip', 'skip it', 'skip that', 'pass', 'none', 'no one', 'nobody', 'nothing', 'not applicable', 'n a', "i don't have one", "i don't have any", 'i do not have one', "i don't have an email", "i don't have email", "i don't have one of those", "don't have one", "i'd rather not", 'rather not say', "i'd prefer not to", 'prefer not to say', 'no email', 'there is none', "there isn't one", "there's no one", "there's nobody", "there isn't anybody", "there isn't anyone", 'no one else', 'nobody else', 'no other party', 'next question', 'move on', 'let\'s skip'],
  es: ['omitir', 'saltar', 'paso', 'ninguno', 'ninguna', 'nadie', 'nada', 'no tengo', 'no tengo correo', 'no tengo uno', 'no hay', 'no hay nadie', 'prefiero no decir', 'prefiero no', 'siguiente pregunta'],
};

const UNKNOWN: Words = {
  en: ["i don't know", 'i do not know', 'dont know', "don't know", 'not sure', "i'm not sure", 'no idea', "don't remember", "i don't remember", "can't remember", "i can't recall", 'no clue', 'beats me'],
  es: ['no se', 'no lo se', 'no estoy seguro', 'no estoy segura', 'no me acuerdo', 'ni idea', 'no recuerdo', 'quien sabe'],
};

/** The number the caller is calling from. */
const CALLER_ID: Words = {
  en: ['this number', 'this one', 'this phone', 'the number i am calling from', "the number i'm calling from", "the one i'm calling from", 'the one i am calling from', 'the number im calling from', "i'm calling from", 'calling from right now', 'same number', 'the same one', 'number i called from', 'the one i called from', 'this line', 'my caller id', 'the number you have', 'the one you have', 'this cell', 'the number that shows up', 'the one that came up'],
  es: ['este numero', 'este mismo', 'el mismo', 'el mismo numero', 'del que llamo', 'del que estoy llamando', 'desde el que llamo', 'de este telefono', 'este telefono', 'el numero de donde llamo', 'este celular'],
};

const WEAK_CALLER_ID = new Set(['this one', 'the same one', 'el mismo', 'este mismo', 'same number', 'the one you have', 'the number you have', 'this line']);

/**
 * The caller's own number by its shape rather than a fixed phrase: "the number I'm calling you from", "whatever
 * shows up on your caller ID", "al mismo número de donde llamo", "desde el que le estoy llamando". Folded text.
 */
const CALLER_ID_SHAPE = /\b(?:number|one|phone|line|cell)\s+(?:that\s+)?(?:i'?m|i am|i was|i|im)\s+(?:\w+\s+)?(?:calling|called|phoning|ringing)(?:\s+you)?\s+(?:from|on|with)\b|\bcaller\s?id\b|\b(?:number|one)\s+(?:you|that)\s+(?:see|have|got|show|shows|showing|came up|popped up|comes up|is showing)\b|\bon your (?:screen|system|phone|display)\b|\b(?:de|desde)\s+(?:donde|el que|el cual|la que|que)\s+(?:le\s+|les\s+)?(?:estoy\s+)?llam(?:o|ando|e)\b|\b(?:al|el|del|este|ese)\s+(?:mismo\s+)?(?:numero|telefono|celular)\s+(?:de|desde|del|con el)\s+(?:donde|que|el que|cual)\b|\beste\s+(?:mismo\s+)?(?:numero|telefono|celular)\b/;
/** Shorter shapes that name the caller's number only in answer to a phone question ("al mismo", "same one"). */
const WEAK_CALLER_ID_SHAPE = /\b(?:al|el|del|este|ese)\s+mismo\b|\b(?:the\s+)?same\s+(?:one|number|phone|cell)\b|\b(?:this|that)\s+(?:one|number|phone|cell|line)\b|\bthe one you have\b/;

const NEGATED_CALLER_ID = /\b(?:not|isn't|isnt|no es|no)\s+(?:this|that|the same|el mismo|este)\b|\b(?:different|another|otro|otra)\s+(?:number|one|numero)\b/;

function list(kind: CallerRequestKind, lang: Language, ctx: Pick<UnderstandingContext, 'requestWords'>): string[] {
  const custom = ctx.requestWords?.[kind]?.[lang];
  if (custom?.length) return custom;
  const base = kind === 'skip' ? SKIP : kind === 'unknown' ? UNKNOWN : kind === 'use_caller_id' ? CALLER_ID : DEFAULT_REQUEST_WORDS[kind];
  return base[lang];
}

/** Phrases of a kind in the call's language, plus English ones (callers mix in English words). */
function phrases(kind: CallerRequestKind, ctx: Pick<UnderstandingContext, 'requestWords' | 'language'>): string[] {
  // "No sé" / "no tengo" in a call still in English: a caller switching languages is not asked the question again.
  if (ctx.language === 'en' && (kind === 'unknown' || kind === 'skip')) return [...list(kind, 'en', ctx), ...list(kind, 'es', ctx).filter((p) => p.includes(' '))];
  return ctx.language === 'en' ? list(kind, 'en', ctx) : [...list(kind, ctx.language, ctx), ...list(kind, 'en', ctx)];
}

export interface RequestOptions {
  /** The slot asked, when a question is pending. */
  asked?: SlotSpec;
  /** A phone slot in scope (for "this number" when the asked slot is not a phone). */
  phoneSlot?: SlotSpec;
  /** The caller's number is known (caller ID); "this number" means nothing without it. */
  callerId?: string;
  /** True when the utterance also gives a value for the asked slot (a skip phrase is then part of the answer). */
  answered?: boolean;
}

/** A question about being a person ("are you a real person?") is a question, not a request for one. */
const ASKS_IF_HUMAN = /\b(?:are you|is this|am i (?:talking|speaking) (?:to|with)) (?:a |an )?(?:real |actual )?(?:person|human|robot|machine|bot|computer|ai)\b|\b(?:eres|es usted) (?:una )?(?:persona|robot|maquina)\b/;

/**
 * Which requests an utterance makes. Language switching only counts when the utterance is little more than the
 * language name, so "I speak some Spanish" in a description does not flip the call; skip and "I don't know" only count
 * in short replies, so "I don't know his name but it was Acme" still gives a value.
 */
export function detectRequests(text: string, ctx: Pick<UnderstandingContext, 'requestWords' | 'language'>, opts: RequestOptions = {}): CallerRequest[] {
  const norm = fold(text);
  const words = wordCount(text);
  const out: CallerRequest[] = [];
  // Disabled requests (a step's ignore_global) are still reported: the engine decides what to do with them.
  const on = (_k: CallerRequestKind) => true;
  if (on('language') && words <= 4) {
    for (const lang of ['es', 'en'] as const) {
      if (lang === ctx.language) continue;
      if (hasPhrase(norm, list('language', lang, ctx)) || hasPhrase(norm, DEFAULT_REQUEST_WORDS.language[lang])) {
        out.push({ kind: 'language', language: lang });
        break;
      }
    }
  }
  for (const kind of ['repeat', 'human', 'emergency', 'start_over', 'goodbye'] as const) {
    // "The emergency room", "not an emergency": the word names a place or is denied, so it asks for nothing.
    // "I have to go to court" is a plan, not a goodbye. "I'd like to talk to a lawyer" inside a story is why they
    // call a law firm (the intake is how they get one), not a request to leave it for a person.
    const heard = kind === 'emergency' ? norm.replace(NOT_AN_EMERGENCY, ' ')
      : kind === 'goodbye' ? norm.replace(GOING_SOMEWHERE, ' ')
      : kind === 'human' && words > 8 ? norm.replace(WANTS_A_LAWYER, ' ')
      : norm;
    if (!on(kind) || !hasPhrase(heard, phrases(kind, ctx))) continue;
    if (kind === 'human' && ASKS_IF_HUMAN.test(norm) && !/\b(?:speak|talk|transfer|connect|hablar)\b/.test(norm)) continue;
    if (kind === 'human' && ASKS_WHEN_A_PERSON.test(norm)) continue;
    // "He's been arrested twice for DUI", "he was threatening me last year": strong words in a story are no request
    // for emergency help. Only the caller saying it is one, or something happening now, is.
    if (kind === 'emergency' && !(EXPLICIT_EMERGENCY.test(heard) || (words <= 3 && /emergenc/.test(heard))) && emergencyEvidence(text).level !== 'now') continue;
    out.push({ kind });
  }
  const askedSlot = opts.asked?.name;
  const phone = opts.asked?.type === 'phone' ? opts.asked : opts.phoneSlot;
  // "this one" / "el mismo" name the caller's number only in answer to a phone question.
  const callerIdPhrases = phrases('use_caller_id', ctx).filter((p) => opts.asked?.type === 'phone' || !WEAK_CALLER_ID.has(p));
  const byShape = CALLER_ID_SHAPE.test(norm) || (opts.asked?.type === 'phone' && WEAK_CALLER_ID_SHAPE.test(norm));
  if (on('use_caller_id') && phone && opts.callerId && !opts.answered && (byShape || hasPhrase(norm, callerIdPhrases)) && !NEGATED_CALLER_ID.test(norm)) {
    out.push({ kind: 'use_caller_id', slot: phone.name });
  }
  // A yes/no question answered "no tengo" / "none" is a "no", not a skip; the caller of detectRequests handles that.
  // "I don't have one, that's the problem, I missed it": a leading skip counts however long the reply, except for
  // free text, where what follows may be the answer.
  const leading = opts.asked !== undefined && opts.asked.type !== 'text' && hasPhrase(fold(text.split(/[,.;!?]/)[0] ?? ''), phrases('skip', ctx));
  if (on('skip') && !opts.answered && (words <= 8 || leading) && opts.asked?.type !== 'yes_no' && hasPhrase(norm, phrases('skip', ctx))) {
    out.push({ kind: 'skip', ...(askedSlot ? { slot: askedSlot } : {}) });
  }
  if (on('unknown') && !opts.answered && words <= 7 && !out.some((r) => r.kind === 'skip') && hasPhrase(norm, phrases('unknown', ctx))) {
    out.push({ kind: 'unknown', ...(askedSlot ? { slot: askedSlot } : {}) });
  }
  return out;
}
