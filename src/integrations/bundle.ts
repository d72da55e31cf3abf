// Everything a delivery needs to know about one intake, read fresh at delivery time (the intake as it stands, its
// call, its transcript), and the human-readable forms of it: summary, transcript, and the JSON sent to webhooks.
import type { Db } from '../db/knex.js';
import { createCallsRepo } from '../intake/calls-repo.js';
import { toIntake, type StoredIntake } from '../intake/intakes-repo.js';
import type { TurnRecord } from '../intake/types.js';
import type { Language } from '../primitives.js';
import { detectLanguage } from '../reasoning/understand/language.js';
import { configError } from './errors.js';

export interface IntakeBundle {
  intake: StoredIntake;
  call: { callSid: string; from: string; to: string; startedAt: Date; endedAt: Date | null } | null;
  turns: TurnRecord[];
}

const SUMMARY_FIELDS: [keyof StoredIntake, string][] = [
  ['callerName', 'Caller'], ['callbackPhone', 'Callback number'], ['email', 'Email'], ['practiceArea', 'Practice area'],
  ['incidentDate', 'Incident date'], ['isEmergency', 'Emergency'], ['solRisk', 'Limitation-period risk'],
];
const COLUMN_SLOTS = new Set(['caller_name', 'full_name', 'name', 'callback_phone', 'phone', 'phone_number', 'callback_number', 'email', 'email_address', 'practice_area', 'incident_date', 'date_of_incident', 'is_emergency', 'emergency', 'sol_risk']);

export async function loadBundle(db: Db, intakeId: number | null): Promise<IntakeBundle> {
  const row = intakeId === null ? undefined : ((await db('intakes').where({ id: intakeId }).first()) as Record<string, unknown> | undefined);
  // The row is linked by foreign key; a missing one was deleted by staff, and no retry will bring it back.
  if (!row) throw configError('outbox', `intake ${intakeId ?? '(none)'} no longer exists`);
  const intake = toIntake(row);
  const calls = createCallsRepo(db);
  const call = await calls.get(intake.callSid);
  const turns = await calls.turns(intake.callSid);
  return { intake, call: call && { callSid: call.callSid, from: call.from, to: call.to, startedAt: call.startedAt, endedAt: call.endedAt }, turns };
}

/** The language the agent spoke most in the call (its last word on a tie): how a name's parts are read for Clio. */
export function callLanguage(b: IntakeBundle): Language {
  const counts = new Map<Language, number>();
  let last: Language = 'en';
  for (const t of b.turns) {
    if (t.speaker !== 'agent') continue;
    const l = detectLanguage(t.text);
    if (!l) continue;
    counts.set(l, (counts.get(l) ?? 0) + 1);
    last = l;
  }
  const top = [...counts.entries()].sort((a, b2) => b2[1] - a[1]);
  return top.length > 1 && top[0]![1] === top[1]![1] ? last : (top[0]?.[0] ?? 'en');
}

export function humanise(v: string): string {
  return v.replace(/_/g, ' ');
}

const show = (v: unknown) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

/**
 * Under a party slot's line (which keeps the names only, as the conflict check searched them): each party with the
 * caller's relationship to them, then the caller's words, so staff read "Arjun Raman, husband" and what was said.
 */
function partyLines(parties: StoredIntake['parties'][string] | undefined): string[] {
  if (!parties?.length) return [];
  const phrases = [...new Set(parties.map((p) => p.phrase).filter(Boolean))];
  return [
    ...parties.map((p) => `    - ${p.name}${p.relationship ? `, ${p.relationship}` : ''}`),
    ...phrases.map((w) => `    Caller's words: "${w}"`),
  ];
}

export function summaryText(b: IntakeBundle): string {
  const i = b.intake;
  const lines = [`Intake taken by HERMES (AI receptionist) on call ${i.callSid}${b.call ? ` at ${b.call.startedAt.toISOString()}` : ''}.`, `Status: ${i.status}${i.outcome ? ` (${i.outcome})` : ''}`];
  for (const [k, label] of SUMMARY_FIELDS) {
    const v = i[k];
    if (v !== null && v !== undefined) lines.push(`${label}: ${k === 'practiceArea' ? humanise(String(v)) : show(v)}`);
  }
  const other = Object.entries(i.slots).filter(([k]) => !COLUMN_SLOTS.has(k));
  if (other.length) {
    lines.push('Other details:');
    for (const [k, v] of other) lines.push(`  ${humanise(k)}: ${show(v)}`, ...partyLines(i.parties[k]));
  }
  const readBack = Object.keys(i.slots).filter((k) => i.readBackSlots.includes(k));
  if (readBack.length) lines.push(`Read back to the caller and confirmed: ${readBack.map(humanise).join(', ')}`);
  const unconfirmed = Object.keys(i.slots).filter((k) => !i.confirmedSlots.includes(k));
  if (unconfirmed.length) lines.push(`Not confirmed with the caller: ${unconfirmed.map(humanise).join(', ')}`);
  return lines.join('\n');
}

/** What was said, as heard: an agent turn cut by barge-in shows only the part the caller heard. */
export function transcriptText(b: IntakeBundle): string {
  if (b.turns.length === 0) return '(no transcript recorded)';
  return b.turns
    .map((t) => `${t.speaker === 'caller' ? 'Caller' : 'HERMES'}: ${t.speaker === 'agent' && t.interrupted && t.heardText !== null ? `${t.heardText} [interrupted]` : t.text}`)
    .join('\n');
}

/** The JSON posted to Zapier and other webhooks; stable field names, documented in the README. */
export function intakePayload(b: IntakeBundle, event: string, idempotencyKey: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const i = b.intake;
  return {
    event,
    idempotency_key: idempotencyKey,
    intake: {
      id: i.id, call_sid: i.callSid, tenant_id: i.tenantId, flow_id: i.flowId, status: i.status, outcome: i.outcome,
      caller_name: i.callerName, callback_phone: i.callbackPhone, email: i.email, practice_area: i.practiceArea,
      incident_date: i.incidentDate, is_emergency: i.isEmergency, sol_risk: i.solRisk, payment_status: i.paymentStatus,
      slots: i.slots, confirmed_slots: i.confirmedSlots, read_back_slots: i.readBackSlots, parties: i.parties, created_at: i.createdAt?.toISOString() ?? null,
    },
    call: b.call && { call_sid: b.call.callSid, from: b.call.from, to: b.call.to, started_at: b.call.startedAt.toISOString(), ended_at: b.call.endedAt?.toISOString() ?? null },
    summary: summaryText(b),
    transcript: transcriptText(b),
    ...extra,
  };
}
