// TwiML documents HERMES answers with, built with twilio's VoiceResponse so escaping is never hand-written.
import twilio from 'twilio';

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
export function sayTwiml(lines: string[], then: { dial?: string; dialAction?: string; hangup?: boolean } = {}): string {
  const r = new twilio.twiml.VoiceResponse();
  for (const line of lines) if (line.trim()) r.say(line);
  if (then.dial) {
    const opts = then.dialAction ? { action: then.dialAction, method: 'POST' as const, timeout: TRANSFER_RING_S } : {};
    r.dial({ answerOnBridge: true, ...opts }).number(then.dial);
  } else if (then.hangup ?? true) r.hangup();
  return r.toString();
}

/** Redirect of a live call to a person (transfer). */
export function dialTwiml(to: string, sayFirst: string[] = [], dialAction?: string): string {
  return sayTwiml(sayFirst, { dial: to, ...(dialAction ? { dialAction } : {}) });
}

export const VOICEMAIL_PROMPT =
  'The attorney on call could not be reached. Please leave your name, your phone number and a short message after the tone. ' +
  'Someone from the firm will call you back as soon as possible. Press the pound key when you are done.';
const VOICEMAIL_NOTHING = 'We did not receive a message. Please call again, or stay safe and call nine one one in an emergency. Goodbye.';

/** After an unanswered transfer: record a message (up to 3 minutes), then hang up. */
export function voicemailTwiml(recordAction: string): string {
  const r = new twilio.twiml.VoiceResponse();
  r.say(VOICEMAIL_PROMPT);
  r.record({ action: recordAction, method: 'POST', maxLength: 180, playBeep: true, finishOnKey: '#', timeout: 6 });
  // <Record> falls through here only when nothing was recorded.
  r.say(VOICEMAIL_NOTHING);
  r.hangup();
  return r.toString();
}
