// Carrying a call on after its media stream ended without the call ending (a server died, a socket dropped, a
// deploy). Twilio's <Connect action> request reaches any instance; telephony/resume-route.ts frees the call's stream
// claim and answers a new <Connect><Stream> with a fresh token; when that stream starts, restoreCall() rebuilds the
// conversation from the snapshot the old session stored after its last turn (snapshot.ts), and the session starts
// with the `resumed` event (the caller hears that the line dropped, then the pending question) instead of a greeting.
import type { Logger } from '../observability/logger.js';
import type { ConversationEvent } from '../flows/events.js';
import type { Language } from '../flows/commands.js';
import type { CallFacts, ConversationCore, LoadedFlow } from '../flows/core.js';
import type { CallResumeRepo } from '../intake/call-resume-repo.js';
import { isCallSnapshot } from './snapshot.js';

/** A call is carried on at most this many times (a call that keeps dropping gets the fallback instead). */
export const MAX_RESUMES = 5;

export interface RestoredCall {
  core: ConversationCore;
  language: Language;
  /** Turns already stored: the new transcript numbers on from here. */
  turns: number;
  event: ConversationEvent;
}

export type Restore = (flow: LoadedFlow, facts: CallFacts, snapshot: unknown) => ConversationCore;

/**
 * The conversation of a resumed call, or null when the call has no snapshot (a first stream) or it does not restore
 * on this flow (changed since: the call then starts over rather than fail).
 */
export async function restoreCall(o: { repo: CallResumeRepo; restore: Restore; flow: LoadedFlow; facts: CallFacts; log: Logger }): Promise<RestoredCall | null> {
  const stored = await o.repo.snapshot(o.facts.callSid);
  if (!stored || stored.resumes === 0 || !isCallSnapshot(stored.snapshot)) return null;
  const snap = stored.snapshot;
  try {
    const core = o.restore(o.flow, { ...o.facts, language: snap.language }, snap.engine);
    const turns = await o.repo.lastTurnSeq(o.facts.callSid);
    return { core, language: snap.language, turns, event: { type: 'resumed' } };
  } catch (err) {
    o.log.warn({ err: (err as Error).message }, 'snapshot does not restore on this flow; the call starts over');
    return null;
  }
}
