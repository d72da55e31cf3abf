// Writes calls, turns, intakes and outbox rows the way the call path does (Date objects through knex), for API tests.
import type { Db } from '../../src/db/knex.js';

export async function seedCall(db: Db, tenantId: number, callSid: string, opts: {
  startedAt?: Date; status?: string; outcome?: string | null; firstFrameMs?: number[]; intake?: { status: string; emergency?: boolean; payment?: string };
} = {}): Promise<{ intakeId: number | null }> {
  const startedAt = opts.startedAt ?? new Date();
  await db('calls').insert({
    call_sid: callSid, tenant_id: tenantId, from_number: '+13125550188', to_number: '+13125550100', flow_id: 'intake',
    flow_version: '3', status: opts.status ?? 'completed', outcome: opts.outcome ?? 'completed', started_at: startedAt,
    ended_at: new Date(startedAt.getTime() + 90_000), duration_s: 90,
  });
  let seq = 0;
  for (const ms of opts.firstFrameMs ?? []) {
    const at = new Date(startedAt.getTime() + seq * 5000);
    await db('turns').insert({ call_sid: callSid, seq: seq++, speaker: 'caller', text: 'I was in a car accident', started_at: at, ended_at: at });
    await db('turns').insert({ call_sid: callSid, seq: seq++, speaker: 'agent', text: 'I am sorry to hear that.', heard_text: 'I am sorry to hear that.', started_at: at, ended_at: at, first_frame_ms: ms, tts_first_byte_ms: 0 });
  }
  if (!opts.intake) return { intakeId: null };
  const [row] = await db('intakes').insert({
    call_sid: callSid, tenant_id: tenantId, flow_id: 'intake', status: opts.intake.status, slots: JSON.stringify({ caller_name: 'Jane Roe', practice_area: 'personal_injury' }),
    confirmed_slots: JSON.stringify(['caller_name']), caller_name: 'Jane Roe', callback_phone: '+13125550188', practice_area: 'personal_injury',
    is_emergency: opts.intake.emergency ?? false, payment_status: opts.intake.payment ?? null,
  }).returning('id');
  return { intakeId: Number(typeof row === 'object' ? row.id : row) };
}

export async function seedOutbox(db: Db, tenantId: number, key: string, status: string): Promise<number> {
  const [row] = await db('outbox').insert({
    tenant_id: tenantId, action: 'clio.create_intake', args: JSON.stringify({ caller: '+13125550188' }), idempotency_key: key,
    status, attempts: status === 'dead' ? 12 : 1, last_error: status === 'dead' ? 'Clio answered 500' : null, next_attempt_at: new Date(Date.now() + 3600_000),
  }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}
