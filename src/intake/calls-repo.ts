// Calls and turns, written as the call goes: the call row at the voice webhook, each turn when it ends, the outcome
// when the session ends and Twilio's final status and duration from the status callback. Never buffers until hang-up.
// A record is final once final: the first outcome and the first final status win, whatever arrives late (a socket
// closing after the status callback, a replayed start, the sweep), so nothing an ended call stored is rewritten.
import type { Db } from '../db/knex.js';
import type { CallEnd, CallRecord, TurnRecord } from './types.js';
import { redactCardNumbers } from '../reasoning/redact.js';
import { rowNumber } from './rows.js';
import { WriteBatch } from './write-batch.js';

export interface NumberRoute {
  tenantId: number;
  flow: string;
  /** The number's channel (media-streams | conversation-relay), or null for the CHANNEL setting. */
  channel?: string | null;
}

/** The call as written at the webhook, plus what the session and Twilio's status callback added later. */
export interface StoredCall extends CallRecord {
  status: string;
  outcome: string | null;
  endReason: string | null;
  durationS: number | null;
  endedAt: Date | null;
  streamSid: string | null;
  lastSeenAt: Date | null;
}

export interface ClaimOptions {
  /** When the stream's token was minted: a token older than the claim's last release (a resume) is refused. */
  mintedAt?: Date;
  /** Which instance holds the stream (shown by the live view; a draining instance finds its own calls). */
  instance?: string;
}

export interface CallsRepo {
  /** Which tenant and flow answer calls to this number; null when the number has no mapping. */
  routeFor(to: string): Promise<NumberRoute | null>;
  /** Inserts the call; a retried webhook for the same CallSid is ignored. */
  create(call: CallRecord): Promise<void>;
  addTurn(turn: TurnRecord): Promise<void>;
  /** The conversation ended (outcome and reason, from the session). */
  finish(end: CallEnd): Promise<void>;
  /** Twilio's final status and billed duration (status callback). Returns false when the call is unknown. */
  recordStatus(callSid: string, status: string, durationS: number | null, at: Date): Promise<boolean>;
  get(callSid: string): Promise<StoredCall | null>;
  /**
   * A media stream starts for this call: succeeds (returns the call) only for a call that exists, has not ended and
   * has no stream yet, atomically, so a replayed start or a second socket is refused on every instance.
   */
  claimStream(callSid: string, streamSid: string, at: Date, opts?: ClaimOptions): Promise<StoredCall | null>;
  /**
   * The call's stream ended for a warm transfer nobody accepted and the call comes back to HERMES: frees the claim
   * (only while the call is live) so the new stream can be admitted. False when the call has ended meanwhile.
   */
  releaseStream?(callSid: string, at: Date): Promise<boolean>;
  /**
   * The live sessions of this instance are still there (per-call heartbeat, last_seen_at): one UPDATE for up to 1000
   * calls. Rows are touched whatever their status, so a call Twilio already reported ended still shows that its
   * session lives (the settler waits for it instead of settling its intake). Calls a crash interrupted are ended by
   * createCallSettler (settle.ts).
   */
  heartbeat(callSids: string[], at: Date): Promise<void>;
  turns(callSid: string): Promise<TurnRecord[]>;
}

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string | number));
const toBool = (v: unknown): boolean => v === true || v === 1 || v === '1';

export function createCallsRepo(db: Db): CallsRepo {
  // Turns of every live call written together, a multi-row insert per event-loop turn (never one commit per turn).
  const turnWrites = new WriteBatch<Record<string, unknown>>((rows) => db('turns').insert(rows).then(() => undefined));
  const repo: CallsRepo = {
    async routeFor(to) {
      const row = await db('phone_numbers').where({ e164: to }).first('tenant_id', 'flow', 'channel');
      return row ? { tenantId: Number(row.tenant_id), flow: String(row.flow), channel: row.channel === null || row.channel === undefined ? null : String(row.channel) } : null;
    },

    async create(call) {
      await db('calls')
        .insert({
          call_sid: call.callSid,
          tenant_id: call.tenantId,
          from_number: call.from.slice(0, 32),
          to_number: call.to.slice(0, 32),
          flow_id: call.flowId.slice(0, 200),
          flow_version: call.flowVersion.slice(0, 100),
          flow_ref: call.flowRef ? call.flowRef.slice(0, 500) : null,
          status: 'in-progress',
          started_at: call.startedAt,
          last_seen_at: call.startedAt,
        })
        .onConflict('call_sid')
        .ignore();
    },

    async addTurn(t) {
      await turnWrites.add({
        call_sid: t.callSid,
        seq: t.seq,
        speaker: t.speaker,
        // Card numbers never reach storage: a caller may read one out despite the flow's payment link.
        text: redactCardNumbers(t.text),
        heard_text: t.heardText === null ? null : redactCardNumbers(t.heardText),
        interrupted: t.interrupted,
        started_at: t.startedAt,
        ended_at: t.endedAt,
        llm_first_token_ms: roundOrNull(t.timings?.llmFirstTokenMs),
        tts_first_byte_ms: roundOrNull(t.timings?.ttsFirstByteMs),
        first_frame_ms: roundOrNull(t.timings?.firstFrameMs),
      });
    },

    async finish(end) {
      // Only the first outcome is kept; ended_at stays the earliest end (the status callback may have come first).
      await db('calls')
        .where({ call_sid: end.callSid })
        .whereNull('outcome')
        .whereNull('end_reason')
        .update({ outcome: end.outcome, end_reason: end.reason.slice(0, 300), ended_at: db.raw('coalesce(ended_at, ?)', [end.endedAt]) });
    },

    async recordStatus(callSid, status, durationS, at) {
      // The first final status wins; a call HERMES ended as interrupted still takes Twilio's billed duration.
      const n = await db('calls')
        .where({ call_sid: callSid })
        .whereIn('status', ['in-progress', 'interrupted'])
        .update({
          status: db.raw("case when status = 'in-progress' then ? else status end", [status.slice(0, 32)]),
          duration_s: durationS,
          ended_at: db.raw('coalesce(ended_at, ?)', [at]),
        });
      if (Number(n) > 0) return true;
      return Boolean(await db('calls').where({ call_sid: callSid }).first('call_sid'));
    },

    async get(callSid) {
      const r = await db('calls').where({ call_sid: callSid }).first();
      if (!r) return null;
      return {
        callSid: r.call_sid,
        tenantId: rowNumber(r.tenant_id),
        from: r.from_number,
        to: r.to_number,
        flowId: r.flow_id,
        flowVersion: r.flow_version,
        status: r.status,
        outcome: r.outcome ?? null,
        endReason: r.end_reason ?? null,
        durationS: rowNumber(r.duration_s),
        startedAt: toDate(r.started_at),
        endedAt: r.ended_at ? toDate(r.ended_at) : null,
        flowRef: r.flow_ref ?? null,
        streamSid: r.stream_sid ?? null,
        lastSeenAt: r.last_seen_at ? toDate(r.last_seen_at) : null,
      };
    },

    async claimStream(callSid, streamSid, at, opts = {}) {
      const q = db('calls')
        .where({ call_sid: callSid, status: 'in-progress' })
        .whereNull('ended_at')
        .whereNull('outcome')
        .whereNull('stream_sid');
      const minted = opts.mintedAt;
      if (minted) q.where((w) => void w.whereNull('stream_released_at').orWhere('stream_released_at', '<=', minted));
      const n = await q.update({ stream_sid: streamSid.slice(0, 64), last_seen_at: at, ...(opts.instance ? { instance: opts.instance.slice(0, 100) } : {}) });
      return Number(n) > 0 ? repo.get(callSid) : null;
    },

    async releaseStream(callSid, at) {
      const n = await db('calls')
        .where({ call_sid: callSid, status: 'in-progress' })
        .whereNull('ended_at')
        .whereNull('outcome')
        .update({ stream_sid: null, last_seen_at: at });
      return Number(n) > 0;
    },

    async heartbeat(callSids, at) {
      for (let i = 0; i < callSids.length; i += 1000) {
        await db('calls').whereIn('call_sid', callSids.slice(i, i + 1000)).update({ last_seen_at: at });
      }
    },

    async turns(callSid) {
      const rows = await db('turns').where({ call_sid: callSid }).orderBy('seq');
      return rows.map((r) => ({
        callSid: r.call_sid,
        seq: Number(r.seq),
        speaker: r.speaker,
        text: r.text,
        heardText: r.heard_text ?? null,
        interrupted: toBool(r.interrupted),
        startedAt: toDate(r.started_at),
        endedAt: toDate(r.ended_at),
        timings:
          r.llm_first_token_ms === null && r.tts_first_byte_ms === null && r.first_frame_ms === null
            ? null
            : { llmFirstTokenMs: rowNumber(r.llm_first_token_ms), ttsFirstByteMs: rowNumber(r.tts_first_byte_ms), firstFrameMs: rowNumber(r.first_frame_ms) },
      }));
    },
  };
  return repo;
}

function roundOrNull(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : Math.round(v);
}
