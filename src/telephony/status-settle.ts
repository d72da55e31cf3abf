// Twilio's final status for a call that has no session on this instance: if no session anywhere still holds it, the
// intake is settled now (partial, interrupted) instead of waiting for the sweep. "No session anywhere" is read from
// the heartbeat: none for two ticks settles at once; a recent one may be a session closing on another instance, so
// the call is looked at again one heartbeat after the status (a live session would have beaten by then).
import type { CallSettler } from '../intake/settle.js';
import type { Logger } from '../observability/logger.js';

export interface StatusSettle {
  /** Twilio reported the call ended (completed, failed, ...) at `at`, and this instance has no session for it. */
  ended(callSid: string, at: Date): Promise<void>;
  /** Drops the pending second looks (server shutdown; the sweep of any instance covers them). */
  close(): void;
}

/** Margin past one heartbeat before the second look: a tick delayed by a busy event loop still lands first. */
const SECOND_LOOK_SLACK_MS = 2_000;

export function createStatusSettle(o: { settler: CallSettler; heartbeatMs: number; log: Logger }): StatusSettle {
  const timers = new Set<NodeJS.Timeout>();
  const look = async (callSid: string, seenBefore: Date) => {
    const r = await o.settler.settleIfGone(callSid, seenBefore);
    if (r === 'settled') o.log.info({ callSid }, 'intake of an interrupted call settled on its final status');
    return r;
  };
  return {
    async ended(callSid, at) {
      const r = await look(callSid, new Date(at.getTime() - 2 * o.heartbeatMs));
      if (r !== 'seen') return;
      const t = setTimeout(() => {
        timers.delete(t);
        look(callSid, at).catch((err: Error) => o.log.warn({ callSid, err: err.message }, 'interrupted call not settled; the sweep will'));
      }, o.heartbeatMs + SECOND_LOOK_SLACK_MS);
      t.unref();
      timers.add(t);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
