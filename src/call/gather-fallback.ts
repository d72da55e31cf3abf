// When a Media Streams call cannot get a speech provider at its start, it goes on over <Gather> instead of
// apologising and hanging up or transferring.
//
// The decision, and why: both ways the issue names are used, each for what it does best.
// 1. Per call, an after-stream plan: the session finds its STT (or TTS) connect failed before the caller has said
//    anything, stores the plan "continue on <Gather>" (in the database, so whichever instance Twilio's <Connect
//    action> request reaches finds it), and closes the stream without ending the call; <Connect action> answers the
//    first <Gather> turn of the same call. This needs no guess about provider health: it acts on this call's own
//    failure, and the caller hears the greeting again after a moment, never silence or a bare hang-up.
// 2. A short-lived health flag (CallRuntime.noteSpeechDown, SPEECH_DOWN_HOLD_MS): for a while after such a fallback
//    the voice webhook answers <Gather> directly, so the next callers do not each wait on a connect that just failed
//    (Deepgram's client retries before it gives up). It is per instance and expires on its own: the first call after
//    it tries the provider again, which is the only probe that tells.
// A failure once the caller has spoken keeps the Media Streams way (apology, the flow's fallback): the conversation
// is live in memory and switching channel mid-answer would lose what was just said.
import type { Logger } from '../observability/logger.js';
import type { AfterStreamPlan } from './ports.js';

export interface GatherFallbackDeps {
  callSid: string;
  provider: 'stt' | 'tts';
  log: Logger;
  /** Stores the after-stream plan (before the stream closes). */
  afterStream?: (callSid: string, plan: AfterStreamPlan) => Promise<void> | void;
  /** Tells the runtime (health flag, metric). */
  note: (provider: 'stt' | 'tts') => void;
  /** Closes the session without ending the call, then the stream. */
  close: (reason: string) => Promise<void>;
}

export async function fallBackToGather(d: GatherFallbackDeps): Promise<void> {
  d.log.warn({ provider: d.provider }, 'speech provider unavailable at the call start; the call goes on over <Gather>');
  d.note(d.provider);
  try {
    await d.afterStream?.(d.callSid, { lines: [], gather: d.provider });
  } catch (err) {
    // Without the plan, <Connect action> finds a live call without one and takes the resume path or the flow fallback.
    d.log.error({ err: (err as Error).message }, 'after-stream plan not stored; the <Gather> fallback may not happen');
  }
  await d.close(`speech provider unavailable (${d.provider}): continued on <Gather>`);
}
