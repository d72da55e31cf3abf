// The few sentences the engine itself says (not written in a flow): apologies, read-backs, spelling requests.
// Fixed ones carry a promptId so the phone path can play them from the prompt cache.
import type { Language } from './commands.js';

export const PHRASES = {
  sorry: { en: "Sorry, I didn't catch that.", es: 'Perdón, no le entendí bien.' },
  still_there: { en: 'Are you still there?', es: '¿Sigue ahí?' },
  spell: { en: 'Could you spell that for me, letter by letter?', es: '¿Me lo podría deletrear, letra por letra?' },
  retry: { en: "Sorry about that. Let's try again.", es: 'Disculpe. Intentémoslo de nuevo.' },
  updated: { en: "Thanks, I've updated that.", es: 'Gracias, ya lo corregí.' },
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
} as const satisfies Record<string, Record<Language, string>>;

export type PhraseId = keyof typeof PHRASES;

/** Read-backs carry caller data, so they are never cached. */
export function readBack(language: Language, spoken: string, before = false): string {
  if (language === 'es') return `${before ? 'Antes de seguir, quiero confirmar: ' : ''}Tengo ${spoken}. ¿Es correcto?`;
  return `${before ? 'Before we go on, let me check: ' : ''}I have ${spoken}. Is that right?`;
}
