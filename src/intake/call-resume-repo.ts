// What a call needs on the database so that any instance can carry it on (call/resume.ts): the conversation snapshot
// written after every turn, the after-stream plan (<Connect action>), the resume count and the moment the stream claim
// was last released for a resume. Every write is conditional on the call still being live, so an ended call's row is
// never rewritten, and taking a plan or starting a resume is atomic across instances.
import type { Db } from '../db/knex.js';
import { redactCardNumbers } from '../reasoning/redact.js';

export interface CallResumeRepo {
  /** Stores the snapshot (JSON-serialisable) of a live call; a call that has ended keeps what it had. */
  saveSnapshot(callSid: string, snapshot: unknown, at: Date): Promise<void>;
  /** The last snapshot of the call and how often it was resumed, or null when it has none. */
  snapshot(callSid: string): Promise<{ snapshot: unknown; resumes: number } | null>;
  /** What Twilio should do once the stream closes (a transfer, a goodbye); replaces an earlier plan. */
  setAfterStream(callSid: string, plan: unknown): Promise<void>;
  /** The plan, taken once: a second request (any instance) finds nothing. */
  takeAfterStream(callSid: string): Promise<unknown>;
  /**
   * A new stream will carry the call on: frees the stream claim and counts the resume, only while the call is live,
   * has a snapshot and was resumed fewer than `maxResumes` times. False otherwise (nothing written).
   */
  beginResume(callSid: string, at: Date, maxResumes: number): Promise<boolean>;
  /** Highest turn sequence number stored for the call (0 when none), so a resumed transcript numbers on. */
  lastTurnSeq(callSid: string): Promise<number>;
}

/** Card numbers never reach storage (as in turns): every string in the snapshot is redacted, whatever its place. */
function redacted(v: unknown): unknown {
  if (typeof v === 'string') return redactCardNumbers(v);
  if (Array.isArray(v)) return v.map(redacted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redacted(x)]));
  return v;
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // a row written by a broken build must not crash the webhook: treated as none
  }
}

export function createCallResumeRepo(db: Db): CallResumeRepo {
  const live = () => db('calls').where({ status: 'in-progress' }).whereNull('ended_at').whereNull('outcome');
  return {
    async saveSnapshot(callSid, snapshot, at) {
      await live().where({ call_sid: callSid }).update({ snapshot: JSON.stringify(redacted(snapshot)), snapshot_at: at });
    },

    async snapshot(callSid) {
      const r = await db('calls').where({ call_sid: callSid }).first('snapshot', 'resumes');
      const snapshot = parse(r?.snapshot);
      return r && snapshot !== null ? { snapshot, resumes: Number(r.resumes ?? 0) } : null;
    },

    async setAfterStream(callSid, plan) {
      await db('calls').where({ call_sid: callSid }).update({ after_stream: JSON.stringify(plan) });
    },

    async takeAfterStream(callSid) {
      // Compare-and-clear: of two requests for the same plan, only the one whose UPDATE matched the text takes it.
      for (let tries = 0; tries < 3; tries++) {
        const r = await db('calls').where({ call_sid: callSid }).first('after_stream');
        const text = r?.after_stream;
        if (typeof text !== 'string') return null;
        const n = await db('calls').where({ call_sid: callSid, after_stream: text }).update({ after_stream: null });
        if (Number(n) > 0) return parse(text);
      }
      return null;
    },

    async beginResume(callSid, at, maxResumes) {
      const n = await live()
        .where({ call_sid: callSid })
        .whereNotNull('snapshot')
        .where('resumes', '<', maxResumes)
        .update({ stream_sid: null, stream_released_at: at, resumes: db.raw('resumes + 1') });
      return Number(n) > 0;
    },

    async lastTurnSeq(callSid) {
      const r = (await db('turns').where({ call_sid: callSid }).max({ m: 'seq' }).first()) as { m: unknown } | undefined;
      return Number(r?.m ?? 0) || 0;
    },
  };
}
