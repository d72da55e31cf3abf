// TwiML documents HERMES answers with, built with twilio's VoiceResponse so escaping is never hand-written.
import twilio from 'twilio';
import type { Language } from '../flows/commands.js';
import { SAY_LANGUAGE } from './warm-twiml.js';

/** <Connect><Stream url=wss://...> with <Parameter>s. The URL must not carry a query string (Twilio error 31922). */
export function connectStreamTwiml(streamUrl: string, params: Record<string, string>, action?: string): string {
  const r = new twilio.twiml.VoiceResponse();
  const stream = r.connect(action ? { action, method: 'POST' } : {}).stream({ url: streamUrl });
  for (const [name, value] of Object.entries(params)) {
    // Twilio limits name + value to 500 characters; a longer value is a bug upstream, cut rather than fail the call.
    stream.parameter({ name, value: value.slice(0, Math.max(0, 499 - name.length)) });
  }
  return r.toString();
}

/** How long a transfer rings before it counts as unanswered (Twilio's <Dial timeout>, seconds). */
export const TRANSFER_RING_S = 25;

/**
 * Spoken by Twilio itself when HERMES cannot run the call (flow missing, no speech provider).
 * `dialAction` is where Twilio reports how a <Dial> ended, so an unanswered transfer becomes a voicemail, not silence.
 */
export function sayTwiml(lines: string[], then: { dial?: string; dialAction?: string; hangup?: boolean; language?: Language } = {}): string {
  const r = new twilio.twiml.VoiceResponse();
  const attrs = then.language ? { language: SAY_LANGUAGE[then.language] } : {};
  for (const line of lines) if (line.trim()) r.say(attrs, line);
  if (then.dial) {
    const opts = then.dialAction ? { action: then.dialAction, method: 'POST' as const, timeout: TRANSFER_RING_S } : {};
    r.dial({ answerOnBridge: true, ...opts }).number(then.dial);
  } else if (then.hangup ?? true) r.hangup();
  return r.toString();
}

/** Redirect of a live call to a person (transfer). */
export function dialTwiml(to: string, sayFirst: string[] = [], dialAction?: string, language?: Language): string {
  return sayTwiml(sayFirst, { dial: to, ...(dialAction ? { dialAction } : {}), ...(language ? { language } : {}) });
}

export const VOICEMAIL_PROMPT =
  'The attorney on call could not be reached. Please leave your name, your phone number and a short message after the tone. ' +
  'Someone from the firm will call you back as soon as possible. Press the pound key when you are done.';
/** The voicemail's lines per language: a Spanish call hears Spanish from Twilio's voice too. */
export const VOICEMAIL_LINES: Record<Language, { prompt: string; nothing: string; thanks: string }> = {
  en: {
    prompt: VOICEMAIL_PROMPT,
    nothing: 'We did not receive a message. Please call again, or stay safe and call nine one one in an emergency. Goodbye.',
    thanks: 'Thank you. Your message has been passed to the attorney on call. Goodbye.',
  },
  es: {
    prompt:
      'No pudimos comunicarnos con el abogado de guardia. Por favor deje su nombre, su número de teléfono y un mensaje breve después del tono. ' +
      'Alguien de la oficina le devolverá la llamada lo antes posible. Oprima la tecla de numeral cuando termine.',
    nothing: 'No recibimos ningún mensaje. Por favor llame de nuevo, o si es una emergencia, llame al nueve uno uno. Adiós.',
    thanks: 'Gracias. Su mensaje se pasó al abogado de guardia. Adiós.',
  },
};

/** After an unanswered transfer: record a message (up to 3 minutes), then hang up. */
export function voicemailTwiml(recordAction: string, language: Language = 'en'): string {
  const r = new twilio.twiml.VoiceResponse();
  const lines = VOICEMAIL_LINES[language];
  const attrs = { language: SAY_LANGUAGE[language] };
  r.say(attrs, lines.prompt);
  r.record({ action: recordAction, method: 'POST', maxLength: 180, playBeep: true, finishOnKey: '#', timeout: 6 });
  // <Record> falls through here only when nothing was recorded.
  r.say(attrs, lines.nothing);
  r.hangup();
  return r.toString();
}
