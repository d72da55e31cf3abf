// The TwiML of one <Gather> turn, from the plan the conversation produced (call/gather-turn.ts): each line as <Play>
// of its cached audio (a signed URL, gather-audio.ts) or <Say> in Twilio's voice when it is not cached, then a
// <Gather> that listens for speech and keys, a <Dial> for a transfer, or <Hangup/> after the goodbye.
// Gather facts beyond ../../shared/reference/twilio-calls.md, from https://www.twilio.com/docs/voice/twiml/gather:
// `actionOnEmptyResult="true"` makes Twilio request the action when the caller said and pressed nothing (else it
// falls through to the next verb); `timeout` is the seconds of silence before that happens (default 5); `hints` is
// a comma-separated list of words and phrases. Nested <Say>/<Play> are cut by the caller's input (bargeIn default).
import twilio from 'twilio';
import type { GatherPlan } from '../call/gather-turn.js';
import type { PromptAudio } from '../call/ports.js';
import { SAY_LANGUAGE, type UrlOf } from './warm-twiml.js';
import { TRANSFER_RING_S } from './twiml.js';
import { promptPath } from './gather-audio.js';

export const GATHER_PATH = '/twilio/gather';
/** Twilio's hints: a few hundred characters are plenty (GUESS on Twilio's own limit; each phrase <= 100 characters). */
const HINTS_MAX_CHARS = 500;

export interface GatherTwimlDeps {
  url: UrlOf;
  /** Signs prompt URLs; null: every line is <Say> (no key configured). */
  key: Buffer | null;
  prompts: PromptAudio | null;
  /** Where a <Dial> reports how it ended (an unanswered transfer becomes a voicemail, not silence). */
  dialAction(to: string, language: GatherPlan['next']['language']): string;
}

export function gatherTwiml(plan: GatherPlan, d: GatherTwimlDeps): string {
  const r = new twilio.twiml.VoiceResponse();
  const next = plan.next;
  // The lines are spoken inside the <Gather> so the caller may answer over them, as on the other channels.
  const into = next.kind === 'listen'
    ? r.gather({
        input: ['speech', 'dtmf'], action: d.url(`${GATHER_PATH}?turn=${plan.turn}`), method: 'POST', language: SAY_LANGUAGE[next.language], speechTimeout: 'auto',
        timeout: next.timeoutS, actionOnEmptyResult: true, ...(hintList(next.hints) ? { hints: hintList(next.hints) } : {}),
      })
    : r;
  for (const line of plan.lines) {
    if (!line.text.trim()) continue;
    if (d.key && d.prompts?.get(line.voice, line.text)) into.play(d.url(promptPath(d.key, line.voice, line.text)));
    else into.say({ language: SAY_LANGUAGE[line.language] }, line.text);
  }
  if (next.kind === 'transfer') {
    r.dial({ answerOnBridge: true, action: d.dialAction(next.to, next.language), method: 'POST', timeout: TRANSFER_RING_S }).number(next.to);
  } else if (next.kind === 'end') r.hangup();
  return r.toString();
}

function hintList(hints: string[]): string {
  let out = '';
  for (const h of hints) {
    const t = h.replace(/,/g, ' ').trim().slice(0, 100);
    if (!t || out.length + t.length + 1 > HINTS_MAX_CHARS) continue;
    out = out ? `${out},${t}` : t;
  }
  return out;
}
