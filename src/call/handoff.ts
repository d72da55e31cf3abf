// How a call leaves HERMES once its last words were heard: the plan Twilio's <Connect action> request will find (a
// transfer or a Twilio-voiced goodbye, so it works without REST credentials), the REST update that carries it out at
// once when there are credentials, and the conversation parked for a warm transfer that may come back unanswered.
import type { Command, Language } from '../flows/commands.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SessionDeps, WarmDial } from './ports.js';

export type Exit = { kind: 'end'; reason: string } | { kind: 'transfer'; to: string; reason: string; warm?: WarmDial };

export interface HandOff {
  callSid: string;
  exit: Exit;
  /** Lines the caller must still hear, spoken by Twilio's voice (speech providers failed). */
  lines: string[];
  language: Language;
  deps: Pick<SessionDeps, 'afterStream' | 'control'>;
  log: Logger;
  metrics: Metrics;
}

/** Tells Twilio (after-stream plan, then REST) what to do with the call; a failed REST update is logged, not thrown. */
export async function handOff(h: HandOff): Promise<void> {
  const { callSid, exit, lines, language } = h;
  const control = h.deps.control;
  const warm = exit.kind === 'transfer' ? exit.warm : undefined;
  try {
    // Stored (in the database when there is one) before the stream closes: the <Connect action> may reach any instance.
    await h.deps.afterStream?.(callSid, exit.kind === 'transfer' ? { dial: exit.to, lines, language, ...(warm ? { warm } : {}) } : { lines, language });
  } catch (err) {
    h.log.error({ err: (err as Error).message }, 'after-stream plan not stored; the instance that gets <Connect action> falls back');
  }
  try {
    if (exit.kind === 'transfer') {
      if (control) await control.transfer(callSid, exit.to, lines, { language, ...(warm ? { warm } : {}) });
      else h.log.info('transfer through <Connect action> (no REST credentials)');
    } else if (control && lines.length > 0) {
      await control.sayAndHangup(callSid, lines, language);
    }
  } catch (err) {
    h.metrics.providerErrors.inc({ provider: 'twilio', kind: 'failed' });
    h.log.error({ err: (err as Error).message, exit: exit.kind }, 'Twilio call update failed');
  }
}

/** The warm transfer a transfer command asks for (numbers to ring in turn), or undefined for a blind one. */
export function warmDial(c: Extract<Command, { type: 'transfer' }>): WarmDial | undefined {
  if (c.mode !== 'warm' || !c.numbers?.length) return undefined;
  return { numbers: c.numbers, whisper: c.whisper ?? '', language: c.language ?? 'en', ringTimeoutS: Math.max(5, Math.round((c.ringTimeoutMs ?? 20_000) / 1000)) };
}
