// Erasing one caller from a firm (a deletion request): every row about them, found by phone number (calls from it,
// intakes and messages with it as the callback number) or by an intake (its call, and then everything under the
// numbers it carries). Recordings are deleted at Twilio before any row goes, so a Twilio failure leaves the caller
// findable for a retry rather than audio nobody can find. Only this firm's rows are touched. The SMS opt-out stays:
// it is what keeps us from texting the person again.
import type { Knex } from 'knex';
import type { RemoveRecording } from './retention.js';

export type EraseTarget = { phone: string } | { intakeId: number };

export interface EraseReport {
  calls: number;
  turns: number;
  intakes: number;
  messages: number;
  outbox: number;
  recordings: number;
}

export class EraseNotFoundError extends Error {
  constructor() {
    super('no such intake');
    this.name = 'EraseNotFoundError';
  }
}

/** The caller's numbers: the one given, or those on the intake and its call. */
async function numbersOf(db: Knex, tenantId: number, target: EraseTarget): Promise<{ phones: string[]; intakeIds: number[] }> {
  if ('phone' in target) return { phones: [target.phone], intakeIds: [] };
  const intake = (await db('intakes').where({ id: target.intakeId, tenant_id: tenantId }).first('id', 'call_sid', 'callback_phone')) as { id: number; call_sid: string; callback_phone: string | null } | undefined;
  if (!intake) throw new EraseNotFoundError();
  const call = (await db('calls').where({ call_sid: intake.call_sid, tenant_id: tenantId }).first('from_number')) as { from_number: string } | undefined;
  const phones = [...new Set([intake.callback_phone, call?.from_number].filter((p): p is string => !!p && /^\+\d{8,15}$/.test(p)))];
  return { phones, intakeIds: [Number(intake.id)] };
}

export async function eraseCaller(db: Knex, tenantId: number, target: EraseTarget, removeRecording: RemoveRecording): Promise<EraseReport> {
  const { phones, intakeIds } = await numbersOf(db, tenantId, target);
  const byIntake = intakeIds.length ? ((await db('intakes').whereIn('id', intakeIds).pluck('call_sid')) as string[]) : [];
  const fromCalls = phones.length ? ((await db('calls').where({ tenant_id: tenantId }).whereIn('from_number', phones).pluck('call_sid')) as string[]) : [];
  const byCallback = phones.length ? ((await db('intakes').where({ tenant_id: tenantId }).whereIn('callback_phone', phones).pluck('call_sid')) as string[]) : [];
  const callSids = [...new Set([...byIntake, ...fromCalls, ...byCallback])];
  const ids = (await db('intakes').where({ tenant_id: tenantId }).where((q) => {
    void q.whereIn('call_sid', callSids);
    if (intakeIds.length) void q.orWhereIn('id', intakeIds);
  }).pluck('id')) as number[];

  const recs = (await db('recordings').whereIn('call_sid', callSids).whereNot({ status: 'deleted' }).pluck('recording_sid')) as string[];
  for (const sid of recs) await removeRecording(sid);

  return db.transaction(async (trx) => {
    const r: EraseReport = { calls: 0, turns: 0, intakes: 0, messages: 0, outbox: 0, recordings: 0 };
    r.recordings = Number(await trx('recordings').whereIn('call_sid', callSids).delete());
    r.messages = Number(await trx('messages').where({ tenant_id: tenantId }).where((q) => {
      void q.whereIn('call_sid', callSids).orWhereIn('intake_id', ids);
      if (phones.length) void q.orWhereIn('callback_phone', phones);
    }).delete());
    r.outbox = Number(await trx('outbox').where((q) => void q.whereIn('call_sid', callSids).orWhereIn('intake_id', ids)).delete());
    await trx('intake_reviews').whereIn('intake_id', ids).delete();
    r.intakes = Number(await trx('intakes').whereIn('id', ids).delete());
    r.turns = Number(await trx('turns').whereIn('call_sid', callSids).delete());
    r.calls = Number(await trx('calls').where({ tenant_id: tenantId }).whereIn('call_sid', callSids).delete());
    return r;
  });
}
