// The TwiML of a warm transfer, in both legs. The caller's leg: a hold line in the caller's language, then a <Dial>
// of one on-call number whose action (warm-result) decides what next. The answering leg: <Number url> runs the
// whisper, a <Gather> that connects only on 1. Every line the caller hears is in the caller's language (Twilio's
// voice for es-US / en-US); nothing here reads a database or holds state (URLs carry the step).
import twilio from 'twilio';
import type { Language } from '../flows/commands.js';
import type { WarmDial } from '../call/ports.js';

export const WARM_RESULT_PATH = '/twilio/warm-result';
export const WHISPER_PATH = '/twilio/whisper';
export const WHISPER_KEY_PATH = '/twilio/whisper-key';

/** Twilio's <Say language> for each conversation language. */
export const SAY_LANGUAGE: Record<Language, 'en-US' | 'es-US'> = { en: 'en-US', es: 'es-US' };

/** Lines Twilio's voice speaks to the caller while the on-call numbers ring, per language. */
export const HOLD_LINES: Record<Language, { first: string; next: string }> = {
  en: { first: 'Please stay on the line while I reach the attorney on call.', next: "I'm still trying to reach someone. Please stay on the line." },
  es: { first: 'Por favor, no cuelgue mientras me comunico con el abogado de guardia.', next: 'Sigo intentando comunicarme con alguien. Por favor, no cuelgue.' },
};

/** Lines for the person answering (the whisper leg). */
const WHISPER_LINES = {
  generic: 'You have a call from HERMES. Press 1 to take the call.',
  noKey: 'No key was pressed. The caller will be offered another way to reach you. Goodbye.',
  declined: 'The call was not connected. Goodbye.',
};

/** Seconds the person answering has to press 1 after the whisper. */
export const WHISPER_KEY_TIMEOUT_S = 8;

export const langOf = (v: unknown): Language => (v === 'es' ? 'es' : 'en');

const query = (step: number, language: Language): string => `?i=${step}&lang=${language}`;

/** `base` turns a path (with its query) into the public URL Twilio signs. */
export type UrlOf = (pathAndQuery: string) => string;

/**
 * The caller's leg for ringing number `step` of the warm transfer: `sayFirst` (lines our own voice could not speak),
 * the hold line, then the <Dial>. answerOnBridge keeps the caller hearing ringing, not silence, while the answering
 * person hears the whisper.
 */
export function warmDialTwiml(warm: WarmDial, step: number, url: UrlOf, sayFirst: string[] = []): string {
  const r = new twilio.twiml.VoiceResponse();
  const language = SAY_LANGUAGE[warm.language];
  for (const line of sayFirst) if (line.trim()) r.say({ language }, line);
  r.say({ language }, step === 0 ? HOLD_LINES[warm.language].first : HOLD_LINES[warm.language].next);
  const dial = r.dial({ action: url(WARM_RESULT_PATH + query(step, warm.language)), method: 'POST', timeout: warm.ringTimeoutS, answerOnBridge: true });
  dial.number({ url: url(WHISPER_PATH + query(step, warm.language)), method: 'POST' }, warm.numbers[step]!);
  return r.toString();
}

/** The answering leg: the whisper inside a one-key <Gather>; no key pressed hangs this leg up (the caller is not connected). */
export function whisperTwiml(whisper: string, step: number, language: Language, url: UrlOf): string {
  const r = new twilio.twiml.VoiceResponse();
  const g = r.gather({ numDigits: 1, timeout: WHISPER_KEY_TIMEOUT_S, action: url(WHISPER_KEY_PATH + query(step, language)), method: 'POST', actionOnEmptyResult: false });
  const text = whisper.trim() || WHISPER_LINES.generic;
  g.say({ language: 'en-US' }, text);
  g.pause({ length: 2 });
  g.say({ language: 'en-US' }, text);
  r.say({ language: 'en-US' }, WHISPER_LINES.noKey);
  r.hangup();
  return r.toString();
}

/** The answer to the whisper's key: 1 bridges (an empty document ends the whisper), anything else hangs up this leg. */
export function whisperKeyTwiml(accepted: boolean): string {
  const r = new twilio.twiml.VoiceResponse();
  if (!accepted) {
    r.say({ language: 'en-US' }, WHISPER_LINES.declined);
    r.hangup();
  }
  return r.toString();
}
