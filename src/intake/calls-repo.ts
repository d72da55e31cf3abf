// Calls and turns, written as the call goes: the call row at the voice webhook, each turn when it ends, the outcome
// when the session ends and Twilio's final status and duration from the status callback. Never buffers until hang-up.
import type { Db } from '../db/knex.js';
import type { CallEnd, CallRecord, TurnRecord } from './types.js';
import { redactCardNumbers } from '../reasoning/redact.js';

export interface NumberRoute {
  tenantId: number;
  flow: string;
}

/** The call as written at the webhook, plus what the session and Twilio's status callback added later. */
export interface StoredCall extends CallRecord {
  status: string;
  outcome: string | null;
  endReason: string | null;
  durationS: number | null;
  endedAt: Date | null;
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
  turns(callSid: string): Promise<TurnRecord[]>;
}

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string | number));
const toBool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const toNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function createCallsRepo(db: Db): CallsRepo {
  return {
    async routeFor(to) {
      const row = await db('phone_numbers').where({ e164: to }).first('tenant_id', 'flow');
      return row ? { tenantId: Number(row.tenant_id), flow: String(row.flow) } : null;
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
          status: 'in-progress',
          started_at: call.startedAt,
        })
        .onConflict('call_sid')
        .ignore();
    },

    async addTurn(t) {
      await db('turns').insert({
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
      await db('calls')
        .where({ call_sid: end.callSid })
        .update({ outcome: end.outcome, end_reason: end.reason.slice(0, 300), ended_at: end.endedAt });
    },

    async recordStatus(callSid, status, durationS, at) {
      const n = await db('calls')
        .where({ call_sid: callSid })
        .update({ status: status.slice(0, 32), duration_s: durationS, ended_at: at });
      return Number(n) > 0;
    },

    async get(callSid) {
      const r = await db('calls').where({ call_sid: callSid }).first();
      if (!r) return null;
      return {
        callSid: r.call_sid,
        tenantId: toNum(r.tenant_id),
        from: r.from_number,
        to: r.to_number,
        flowId: r.flow_id,
        flowVersion: r.flow_version,
        status: r.status,
        outcome: r.outcome ?? null,
        endReason: r.end_reason ?? null,
        durationS: toNum(r.duration_s),
        startedAt: toDate(r.started_at),
        endedAt: r.ended_at ? toDate(r.ended_at) : null,
      };
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
            : { llmFirstTokenMs: toNum(r.llm_first_token_ms), ttsFirstByteMs: toNum(r.tts_first_byte_ms), firstFrameMs: toNum(r.first_frame_ms) },
      }));
    },
  };
}

function roundOrNull(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : Math.round(v);
}
