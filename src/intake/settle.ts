// Settling what a crash interrupted. A live session heartbeats its call row (calls.last_seen_at); a call whose
// session has not been seen for a while (kill -9, a lost instance) is ended as `interrupted`, and its intake is
// settled `partial` with outcome `interrupted` and delivered like every other ended intake (the `afterEnd` hook the
// caller passes: the firm's hook, a lead to Clio). Every step is a conditional write inside one transaction, so
// several instances sweeping the same database end each call once and deliver each intake once; a record that is
// already final (a session that came back and finished, a status callback) is never rewritten.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { createIntakeStore, ensureIntake, isSettled, writeSlots, type IntakeStoreOptions, type StoredIntake } from './intakes-repo.js';
import type { Outcome } from '../flows/commands.js';

/** Why a call (and its intake) was settled without its session. */
export const INTERRUPTED_REASON = 'interrupted: the session stopped (server crash or restart) before the call ended';
const NO_STREAM_REASON = 'interrupted: the media stream never started';

export interface SweepResult {
  /** In-progress call rows ended as interrupted. */
  calls: number;
  /** Intakes settled (of those calls, and of calls that ended elsewhere while their session was gone). */
  intakes: number;
}

export interface CallSettler {
  /**
   * Ends calls still in progress, with no outcome, whose session was last seen before `seenBefore`, and settles their
   * intakes; then settles intakes left unsettled by calls that ended (a final status, an outcome) with no session
   * seen since `seenBefore`. At most `limit` of each per run. Calls in `holding` (the sweeping instance's own live
   * sessions) are never taken, however late their heartbeat.
   */
  sweep(seenBefore: Date, limit?: number, holding?: readonly string[]): Promise<SweepResult>;
  /**
   * A final status arrived for a call that has no session on this instance: when no session has been seen since
   * `seenBefore` and the call's session never recorded an outcome, the call gets the interrupted reason and its
   * intake is settled (`settled`, or `nothing` when there was no open intake). `seen`: a session heartbeat is newer
   * than `seenBefore` (it may be closing on another instance; ask again later). `final`: a session finished the
   * call, or none ever started.
   */
  settleIfGone(callSid: string, seenBefore: Date): Promise<'settled' | 'nothing' | 'seen' | 'final'>;
}

type Trx = Knex.Transaction;

/**
 * A call whose media stream has not started yet is given this much longer: the stream token the TwiML carries lives
 * two minutes (telephony/stream-token.ts), so until it expires a slow Twilio (or a busy instance) may still connect.
 */
export const STREAMLESS_GRACE_MS = 2 * 60_000;

/** The session's heartbeat is older than `seenBefore` (or it never had one and the call started before). */
function stale(q: Knex.QueryBuilder, seenBefore: Date, table = 'calls'): Knex.QueryBuilder {
  return q.where((w) =>
    w.where(`${table}.last_seen_at`, '<', seenBefore).orWhere((w2) => w2.whereNull(`${table}.last_seen_at`).where(`${table}.started_at`, '<', seenBefore)),
  );
}

/** Stale, and for a call that never got a stream, stale for the grace as well. */
function gone(q: Knex.QueryBuilder, seenBefore: Date): Knex.QueryBuilder {
  const streamless = new Date(seenBefore.getTime() - STREAMLESS_GRACE_MS);
  return q.where((w) => w.where((a) => void stale(a.whereNotNull('calls.stream_sid'), seenBefore)).orWhere((b) => void stale(b.whereNull('calls.stream_sid'), streamless)));
}

export function createCallSettler(db: Db, opts: IntakeStoreOptions = {}): CallSettler {
  const now = opts.now ?? (() => new Date());
  const store = createIntakeStore(db, opts);

  /** Settles the call's intake as interrupted inside `trx`; false when there is none or it is already final. */
  async function settleIntake(trx: Trx, callSid: string): Promise<boolean> {
    // A call that collected nothing leaves no intake (as a hang-up does); none is made up here.
    if (!(await trx('intakes').where({ call_sid: callSid }).first('id'))) return false;
    const intake = await ensureIntake(trx, callSid, now()); // locks the row on PostgreSQL
    if (isSettled(intake)) return false;
    const settled: StoredIntake = await writeSlots(trx, intake, {}, {}, now(), { status: 'partial', outcome: 'interrupted' });
    await opts.afterEnd?.(trx, { ...settled, status: 'partial', outcome: 'interrupted' });
    return true;
  }

  /** Gives an ended call without an outcome the interrupted reason (its Twilio status stays). */
  async function markInterrupted(trx: Trx, callSid: string, reason: string): Promise<void> {
    await trx('calls')
      .where({ call_sid: callSid })
      .whereNull('outcome')
      .update({ outcome: 'abandoned', end_reason: db.raw('coalesce(end_reason, ?)', [reason]), ended_at: db.raw('coalesce(ended_at, ?)', [now()]) });
  }

  return {
    async sweep(seenBefore, limit = 200, holding = []) {
      const result: SweepResult = { calls: 0, intakes: 0 };
      const held = new Set(holding);
      // 1. Calls in progress whose session is gone. A call whose session recorded an outcome is over even if Twilio
      //    never sent its status (no status callback configured): that one is not "interrupted".
      const live = (await gone(db('calls').where({ status: 'in-progress' }).whereNull('outcome'), seenBefore)
        .limit(limit)
        .select('call_sid', 'stream_sid')) as { call_sid: string; stream_sid: string | null }[];
      for (const { call_sid, stream_sid } of live) {
        if (held.has(call_sid)) continue;
        const reason = stream_sid ? INTERRUPTED_REASON : NO_STREAM_REASON;
        await db.transaction(async (trx) => {
          // The claim: re-checked in the update, so a heartbeat, an outcome or another instance in between wins.
          const n = await gone(trx('calls').where({ call_sid, status: 'in-progress' }).whereNull('outcome'), seenBefore).update({
            status: 'interrupted',
            outcome: 'abandoned',
            end_reason: reason,
            ended_at: trx.raw('coalesce(ended_at, ?)', [now()]),
          });
          if (Number(n) === 0) return;
          result.calls++;
          if (await settleIntake(trx, call_sid)) result.intakes++;
        });
      }

      // 2. Intakes still open although their call ended (Twilio's final status came while the session was gone, or
      //    the session's last write was lost) and no session has been seen since.
      const orphans = (await stale(
        db('intakes')
          .join('calls', 'calls.call_sid', 'intakes.call_sid')
          .where('intakes.status', 'partial')
          .whereNull('intakes.outcome')
          .where((w) => w.whereNot('calls.status', 'in-progress').orWhereNotNull('calls.outcome')),
        seenBefore,
      )
        .limit(limit)
        .select('intakes.call_sid as call_sid', 'calls.outcome as outcome', 'calls.end_reason as end_reason')) as { call_sid: string; outcome: string | null; end_reason: string | null }[];
      for (const o of orphans) {
        if (held.has(o.call_sid)) continue;
        if (o.outcome !== null && !(o.end_reason ?? '').startsWith('interrupted')) {
          // The session finished (its outcome is on the call) but the intake's end was not stored: settle it the way
          // the session would have, from what was committed.
          const before = await store.byCall(o.call_sid);
          await store.end(o.call_sid, o.outcome as Outcome, {});
          const after = await store.byCall(o.call_sid);
          if (before && after && !isSettled(before) && isSettled(after)) result.intakes++;
          continue;
        }
        const done = await db.transaction(async (trx) => {
          if (!(await stale(trx('calls').where({ call_sid: o.call_sid }), seenBefore).first('call_sid'))) return false;
          await markInterrupted(trx, o.call_sid, INTERRUPTED_REASON);
          return settleIntake(trx, o.call_sid);
        });
        if (done) result.intakes++;
      }
      return result;
    },

    async settleIfGone(callSid, seenBefore) {
      return db.transaction(async (trx) => {
        // No stream ever started (no session, no intake), or a session finished the call: nothing to settle.
        const open = await trx('calls').where({ call_sid: callSid }).whereNotNull('stream_sid').whereNull('outcome').first('call_sid');
        if (!open) return 'final' as const;
        if (!(await stale(trx('calls').where({ call_sid: callSid }), seenBefore).first('call_sid'))) return 'seen' as const;
        await markInterrupted(trx, callSid, INTERRUPTED_REASON);
        return (await settleIntake(trx, callSid)) ? ('settled' as const) : ('nothing' as const);
      });
    },
  };
}
