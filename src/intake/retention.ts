// The retention purge: for each firm that set a retention period, what its ended calls older than that left behind
// is deleted: the transcript (turns), the recording (at Twilio first, then marked deleted on its row, which keeps no
// caller data), and an intake that was never delivered (no delivery of it succeeded) with its undelivered outbox
// rows. Delivered intakes stay (the firm has them in its own systems; staff may still work them), as do call rows
// (numbers, times, outcome: what analytics count). A recording Twilio would not delete is left for the next run.
import type { Knex } from 'knex';

/** Deletes a recording at Twilio; a recording Twilio no longer has counts as deleted. */
export type RemoveRecording = (recordingSid: string) => Promise<void>;

export interface PurgeReport {
  transcripts: number;
  recordings: number;
  intakes: number;
  /** Recordings Twilio did not delete this time (tried again next run). */
  failed: number;
}

/** Calls handled per firm per run: a first purge of a long history is spread over runs, never one huge transaction. */
const BATCH = 500;

export async function purgeExpired(db: Knex, removeRecording: RemoveRecording, now: Date): Promise<PurgeReport> {
  const report: PurgeReport = { transcripts: 0, recordings: 0, intakes: 0, failed: 0 };
  const firms = (await db('tenants').whereNotNull('retention_days').select('id', 'retention_days')) as { id: number; retention_days: number }[];
  for (const f of firms) {
    const cutoff = new Date(now.getTime() - Number(f.retention_days) * 86_400_000);
    const expired = db('calls').where({ tenant_id: f.id }).where('started_at', '<', cutoff).whereNot({ status: 'in-progress' }).select('call_sid');
    const recs = (await db('recordings').whereIn('call_sid', expired.clone()).whereNot({ status: 'deleted' }).limit(BATCH).select('recording_sid')) as { recording_sid: string }[];
    for (const r of recs) {
      try {
        await removeRecording(r.recording_sid);
      } catch {
        report.failed++;
        continue;
      }
      await db('recordings').where({ recording_sid: r.recording_sid }).update({ status: 'deleted', url: null, updated_at: now });
      report.recordings++;
    }
    report.transcripts += Number(await db('turns').whereIn('call_sid', expired.clone()).delete());
    const delivered = db('outbox').whereNotNull('intake_id').where({ status: 'delivered' }).select('intake_id');
    const undelivered = (await db('intakes').where({ tenant_id: f.id }).whereIn('call_sid', expired.clone()).whereNotIn('id', delivered).limit(BATCH).pluck('id')) as number[];
    if (undelivered.length > 0) {
      await db.transaction(async (trx) => {
        await trx('outbox').whereIn('intake_id', undelivered).whereNot({ status: 'delivered' }).delete();
        report.intakes += Number(await trx('intakes').whereIn('id', undelivered).delete());
      });
    }
  }
  return report;
}
