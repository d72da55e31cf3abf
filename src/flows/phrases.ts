// The few sentences the engine itself says (not written in a flow): apologies, read-backs, spelling requests, the
// second and third tries at a question. Fixed ones carry a promptId so the phone path can play them from the cache.
import type { Language } from './commands.js';
import type { SlotType } from '../reasoning/types.js';

export const PHRASES = {
  sorry: { en: "Sorry, I didn't catch that.", es: 'Perdón, no le entendí bien.' },
  /** Something was said but none of it fits the question: acknowledge it instead of pretending nothing was heard. */
  heard_you: { en: 'Thank you for telling me.', es: 'Gracias por contármelo.' },
  not_valid: { en: "I don't think I got that right.", es: 'Creo que no lo entendí bien.' },
  noted: { en: "Thank you, I've noted that.", es: 'Gracias, lo anoté.' },
  still_there: { en: 'Are you still there?', es: '¿Sigue ahí?' },
  spell: { en: 'Could you spell that for me, letter by letter?', es: '¿Me lo podría deletrear, letra por letra?' },
  retry: { en: "Sorry about that. Let's try again.", es: 'Disculpe. Intentémoslo de nuevo.' },
  updated: { en: "Thanks, I've updated that.", es: 'Gracias, ya lo corregí.' },
  skipped: { en: "No problem, we'll leave that out.", es: 'No hay problema, lo dejamos.' },
  start_over: { en: "Okay, let's start over.", es: 'De acuerdo, empecemos de nuevo.' },
  language: { en: "Sure, let's continue in English.", es: 'Claro, continuemos en español.' },
  goodbye: { en: 'Thank you for calling. Goodbye.', es: 'Gracias por llamar. Adiós.' },
  trouble: {
    en: "I'm sorry, I'm having technical trouble on my end.",
    es: 'Lo siento, estoy teniendo problemas técnicos.',
  },
  trouble_end: {
    en: 'Please call back in a few minutes, or leave a message on our main line. Goodbye.',
    es: 'Por favor vuelva a llamar en unos minutos. Adiós.',
  },
  no_key: { en: "That key doesn't do anything here.", es: 'Esa tecla no tiene función aquí.' },
  yes_no: { en: 'Please say yes or no.', es: 'Por favor diga sí o no.' },
  unknown: { en: "That's okay.", es: 'Está bien.' },
  moving_on: { en: "Let's leave that one for the attorney to go over with you.", es: 'Dejemos eso para que el abogado lo revise con usted.' },
  no_caller_id: { en: "I can't see the number you're calling from.", es: 'No puedo ver el número desde el que llama.' },
  offer_keypad: { en: 'You can also use the keypad.', es: 'También puede usar el teclado.' },
  offer_person: { en: 'You can press 0 to reach a person, or say skip to go on without it.', es: 'Puede oprimir 0 para hablar con una persona, o decir omitir para seguir sin eso.' },
  offer_skip: { en: 'If you prefer, say skip and we can go on without it.', es: 'Si prefiere, diga omitir y seguimos sin eso.' },
} as const satisfies Record<string, Record<Language, string>>;

export type PhraseId = keyof typeof PHRASES;

/**
 * Other wordings of engine phrases a call may need several times ("That's okay." after each "I don't know"): the
 * engine takes the first one not said in the last turns, so the caller never hears the same sentence twice.
 */
export const PHRASE_VARIANTS: Partial<Record<PhraseId, Record<Language, string[]>>> = {
  moving_on: { en: ["We'll leave that for now; the attorney can go over it with you.", "Let's move on, and the attorney can ask you about that."], es: ['Lo dejamos por ahora; el abogado lo puede revisar con usted.', 'Sigamos, y el abogado le puede preguntar sobre eso.'] },
  unknown: { en: ['No problem.', "That's fine, we can leave it for now."], es: ['No hay problema.', 'Está bien, lo dejamos por ahora.'] },
  skipped: { en: ["Okay, we'll skip that.", "That's fine, we'll go on without it."], es: ['De acuerdo, lo omitimos.', 'Está bien, seguimos sin eso.'] },
  noted: { en: ['Thanks, I have that.', "Got it, I've written that down."], es: ['Gracias, ya lo tengo.', 'Entendido, lo anoté.'] },
  heard_you: { en: ['Thanks for explaining.', 'I appreciate you telling me.'], es: ['Gracias por explicarme.', 'Le agradezco que me lo cuente.'] },
  sorry: { en: ["Sorry, I missed that.", "I'm sorry, I couldn't hear that."], es: ['Perdón, no lo escuché.', 'Disculpe, no le escuché bien.'] },
  not_valid: { en: ["Hmm, I don't think I have that right.", "Sorry, that doesn't look right to me."], es: ['Mm, creo que no lo tengo bien.', 'Perdón, eso no me parece correcto.'] },
  retry: { en: ["Sorry about that. Let's fix it.", 'My mistake. Let me ask again.'], es: ['Disculpe. Vamos a corregirlo.', 'Perdón, se lo pregunto de nuevo.'] },
  still_there: { en: ['Hello, are you still with me?', "I'm still here whenever you're ready."], es: ['¿Hola, sigue conmigo?', 'Sigo aquí cuando esté listo.'] },
  yes_no: { en: ['Just yes or no, please.', 'Please answer yes or no.'], es: ['Solo sí o no, por favor.', 'Por favor conteste sí o no.'] },
};

/** The wordings of a phrase, the main one first. */
export function phraseWordings(id: string, language: Language): string[] {
  const main = (PHRASES as Record<string, Record<Language, string>>)[id]?.[language];
  return [...(main ? [main] : []), ...(PHRASE_VARIANTS[id as PhraseId]?.[language] ?? [])];
}

/** Second try at a question when the step has no `help:` or `reprompt:`: what is wanted, with an example. */
export const TYPE_HELP: Partial<Record<SlotType, Record<Language, string>>> = {
  person_name: { en: 'Please tell me your first and last name, for example: Maria Lopez.', es: 'Dígame su nombre y apellido, por ejemplo: María López.' },
  phone: {
    en: 'Please say the phone number with the area code, for example: three one two, five five five, one two three four.',
    es: 'Dígame el número con el código de área, por ejemplo: tres uno dos, cinco cinco cinco, uno dos tres cuatro.',
  },
  email: {
    en: 'Please say the email address, for example: maria dot lopez at gmail dot com. You can spell it if that is easier.',
    es: 'Dígame el correo electrónico, por ejemplo: maria punto lopez arroba gmail punto com. Puede deletrearlo si es más fácil.',
  },
  date: { en: 'An approximate date is fine, for example: last Friday, or March 3rd.', es: 'Una fecha aproximada está bien, por ejemplo: el viernes pasado, o el 3 de marzo.' },
  yes_no: { en: 'Please just say yes or no.', es: 'Por favor responda sí o no.' },
  digits: { en: 'Please say the digits one at a time, for example: four, four, seven, one.', es: 'Dígame los dígitos uno por uno, por ejemplo: cuatro, cuatro, siete, uno.' },
  number: { en: 'Please say just the number, for example: two.', es: 'Dígame solo el número, por ejemplo: dos.' },
};

/** Lead-ins that turn a flow prompt into a different sentence when it has to be asked again. */
export const LEAD_IN = {
  again: { en: 'So,', es: 'Entonces,' },
  brief: { en: 'In a few words:', es: 'En pocas palabras:' },
  once_more: { en: "Let's try once more:", es: 'Intentemos una vez más:' },
  for_example: { en: 'For example, you can say:', es: 'Por ejemplo, puede decir:' },
} as const satisfies Record<string, Record<Language, string>>;

/** "May I have ..." -> "so, may I have ...": the prompt continues a sentence (keeps "I" and names capitalised). */
export function leadIn(lead: string, prompt: string): string {
  const p = prompt.trim();
  const m = /^(¿?)(\S+)/.exec(p);
  if (!m) return `${lead} ${p}`;
  const word = m[2]!;
  const keep = /^I\b|^I'/.test(word) || (word.length > 1 && word[1] === word[1]!.toUpperCase() && /[A-Z]/.test(word[1]!));
  const first = keep ? word : word[0]!.toLowerCase() + word.slice(1);
  return `${lead} ${m[1]}${first}${p.slice(m[0].length)}`;
}

const variants: Record<Language, [string, string][]> = {
  en: [
    ['I have ', '. Is that right?'],
    ['Just to be sure: ', '. Is that correct?'],
    ['So that is ', '? Please say yes or no.'],
  ],
  es: [
    ['Tengo ', '. ¿Es correcto?'],
    ['Solo para confirmar: ', '. ¿Está bien?'],
    ['Entonces es ', '. ¿Sí o no?'],
  ],
};

/** Read-backs carry caller data, so they are never cached. `variant` changes the wording on a repeat. */
export function readBack(language: Language, spoken: string, before = false, variant = 0): string {
  const [a, b] = variants[language][variant % 3]!;
  const lead = before ? (language === 'es' ? 'Antes de seguir, quiero confirmar: ' : 'Before we go on, let me check: ') : '';
  return `${lead}${a}${spoken}${b}`;
}

const YES_NO_READ_BACK: Record<Language, [string, string][]> = {
  en: [["So that's a yes?", "So that's a no?"], ['Just to check, is that a yes?', 'Just to check, is that a no?'], ['So the answer is yes?', 'So the answer is no?']],
  es: [['¿Entonces es un sí?', '¿Entonces es un no?'], ['Solo para confirmar, ¿es un sí?', 'Solo para confirmar, ¿es un no?'], ['¿Entonces la respuesta es sí?', '¿Entonces la respuesta es no?']],
};

/** The read-back of a yes/no the caller told rather than said ("I went to urgent care"): never "I have yes". */
export function yesNoReadBack(language: Language, value: boolean, variant = 0): string {
  return YES_NO_READ_BACK[language][variant % 3]![value ? 0 : 1];
}

/** The last four digits of an E.164 number, spaced for speech ("1 2 3 4"). */
export function lastFour(e164: string): string {
  return e164.replace(/\D/g, '').slice(-4).split('').join(' ');
}

/** The read-back of a caller-ID fill: the caller hears the last four digits, never the whole number. */
export function callerIdReadBack(language: Language, e164: string): string {
  return language === 'es'
    ? `¿Le llamamos al número desde el que llama, que termina en ${lastFour(e164)}?`
    : `Just to confirm, we can call you back at the number you're calling from, ending in ${lastFour(e164)}?`;
}

/** How a caller-ID value is named in a repeated read-back ("the number ending in 1 2 3 4"). */
export function callerIdSpoken(language: Language, e164: string): string {
  return language === 'es' ? `el número que termina en ${lastFour(e164)}` : `the number ending in ${lastFour(e164)}`;
}

/** What the caller was in the middle of, by the pending slot's type, for the line after a dropped stream. */
const RESUME_TOPIC: Partial<Record<SlotType, Record<Language, string>>> = {
  person_name: { en: 'your name', es: 'su nombre' },
  phone: { en: 'your phone number', es: 'su número de teléfono' },
  email: { en: 'your email address', es: 'su correo electrónico' },
  date: { en: 'the date', es: 'la fecha' },
};

/**
 * The line a resumed call starts with ("Sorry, we got cut off. You were telling me your phone number."); fixed per
 * slot type and language, so it carries a prompt id. `confirming`: the caller was answering a read-back.
 */
export function cutOffLine(language: Language, type: SlotType | undefined, confirming: boolean): { text: string; promptId: string } {
  const topic = type ? RESUME_TOPIC[type]?.[language] : undefined;
  const first = language === 'es' ? 'Perdón, se cortó la llamada.' : 'Sorry, we got cut off.';
  let then: string;
  if (!topic) then = language === 'es' ? 'Sigamos donde lo dejamos.' : "Let's pick up where we left off.";
  else if (confirming) then = language === 'es' ? `Estábamos confirmando ${topic}.` : `We were checking ${topic}.`;
  else then = language === 'es' ? `Me estaba diciendo ${topic}.` : `You were telling me ${topic}.`;
  return { text: `${first} ${then}`, promptId: `hermes.cut_off.${topic ? `${type}.${confirming ? 'check' : 'tell'}` : 'any'}.${language}` };
}

/** Every wording cutOffLine() can give in `language`, for the prompt cache (a resumed call speaks without waiting). */
export function cutOffPrompts(language: Language): { promptId: string; text: string; language: Language }[] {
  const types = [undefined, ...(Object.keys(RESUME_TOPIC) as SlotType[])];
  return types.flatMap((t) => (t ? [false, true] : [false]).map((confirming) => ({ ...cutOffLine(language, t, confirming), language })));
}
