// Call recordings as Twilio reports them (the recording status callback): one row per RecordingSid, linked to its
// call. The audio itself stays at Twilio and is fetched on demand; a purge or an erasure deletes it there first, then
// marks the row (so a failed Twilio delete is retried, never forgotten).
import type { Knex } from 'knex';
import { rowDate, rowNumber } from './rows.js';

export const RECORDING_STATUSES = ['in-progress', 'completed', 'failed', 'deleted'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export interface StoredRecording {
  recordingSid: string;
  callSid: string;
  tenantId: number | null;
  status: RecordingStatus;
  durationSeconds: number | null;
  channels: string | null;
  /** Twilio's RecordingUrl, without extension. */
  url: string | null;
  errorCode: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface RecordingReport {
  recordingSid: string;
  callSid: string;
  /** Twilio's RecordingStatus: in-progress, completed, absent, failed. */
  twilioStatus: string;
  durationSeconds: number | null;
  channels: string | null;
  url: string | null;
  errorCode: string | null;
}

type Trx = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/** absent (nothing was recorded) and anything unknown are failures for whoever plays the recording. */
export function recordingStatusOf(twilio: string): RecordingStatus {
  if (twilio === 'in-progress' || twilio === 'completed') return twilio;
  return 'failed';
}

export function toRecording(r: Row): StoredRecording {
  return {
    recordingSid: String(r.recording_sid),
    callSid: String(r.call_sid),
    tenantId: rowNumber(r.tenant_id),
    status: String(r.status) as RecordingStatus,
    durationSeconds: rowNumber(r.duration_s),
    channels: (r.channels as string | null) ?? null,
    url: (r.url as string | null) ?? null,
    errorCode: (r.error_code as string | null) ?? null,
    createdAt: rowDate(r.created_at),
    updatedAt: rowDate(r.updated_at),
  };
}

/**
 * Stores a status callback. Callbacks may arrive out of order: a completed recording never goes back to in-progress,
 * and a deleted one stays deleted. Returns false when the call is not ours.
 */
export async function storeRecordingReport(db: Trx, r: RecordingReport, at: Date): Promise<boolean> {
  const call = (await db('calls').where({ call_sid: r.callSid }).first('tenant_id')) as { tenant_id: unknown } | undefined;
  if (!call) return false;
  const status = recordingStatusOf(r.twilioStatus);
  const existing = (await db('recordings').where({ recording_sid: r.recordingSid }).first()) as Row | undefined;
  if (!existing) {
    await db('recordings')
      .insert({
        recording_sid: r.recordingSid, call_sid: r.callSid, tenant_id: rowNumber(call.tenant_id), status, duration_s: r.durationSeconds,
        channels: r.channels, url: r.url, error_code: r.errorCode, created_at: at, updated_at: at,
      })
      .onConflict('recording_sid')
      .ignore();
    return true;
  }
  const was = String(existing.status);
  if (was === 'deleted' || (was === 'completed' && status === 'in-progress')) return true;
  await db('recordings').where({ recording_sid: r.recordingSid }).update({
    status, duration_s: r.durationSeconds ?? existing.duration_s ?? null, channels: r.channels ?? existing.channels ?? null,
    url: r.url ?? existing.url ?? null, error_code: r.errorCode, updated_at: at,
  });
  return true;
}

/** The call's recording to show: the latest one not deleted, else the latest (deleted) one, else null. */
export async function recordingOfCall(db: Trx, callSid: string): Promise<StoredRecording | null> {
  const rows = ((await db('recordings').where({ call_sid: callSid }).orderBy('id', 'desc')) as Row[]).map(toRecording);
  return rows.find((r) => r.status !== 'deleted') ?? rows[0] ?? null;
}

export async function markRecordingDeleted(db: Trx, recordingSid: string, at: Date): Promise<void> {
  await db('recordings').where({ recording_sid: recordingSid }).update({ status: 'deleted', updated_at: at });
}
