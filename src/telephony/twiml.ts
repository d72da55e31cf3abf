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

/** Spoken by Twilio itself when HERMES cannot run the call (flow missing, no speech provider). */
export function sayTwiml(lines: string[], then: { dial?: string; hangup?: boolean } = {}): string {
  const r = new twilio.twiml.VoiceResponse();
  for (const line of lines) if (line.trim()) r.say(line);
  if (then.dial) r.dial({ answerOnBridge: true }).number(then.dial);
  else if (then.hangup ?? true) r.hangup();
  return r.toString();
}

/** Redirect of a live call to a person (transfer). */
export function dialTwiml(to: string, sayFirst: string[] = []): string {
  return sayTwiml(sayFirst, { dial: to });
}
