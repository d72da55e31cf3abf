// The take_message effect at the moment the flow takes the message: works out what kind of message it is, looks up
// who at the firm receives that kind now, and writes the message row beside its outbox row (same transaction). The
// effect's result says how many people it will reach, so the flow tells the caller only what was really queued.
import type { Knex } from 'knex';
import { e164 } from '../clio/deliver.js';
import type { EffectCommand } from '../../flows/commands.js';
import { recordMessage, type MessageRecipient, type StoredMessage } from '../../intake/messages-repo.js';
import type { StoredIntake } from '../../intake/intakes-repo.js';
import { createStaffContactsRepo, MESSAGE_KINDS, recipientsFor, type MessageKind } from '../../intake/staff-contacts-repo.js';

const truthy = (v: unknown): boolean => v === true || v === 'true' || v === 1 || v === 'yes';
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

/** args.kind when it names one; otherwise urgent messages are emergencies and everything else a message. */
/** args.notify: one number, a comma-separated list or an array (the on-call numbers), as E.164, without repeats. */
export function notifyNumbers(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  return [...new Set(list.map((n) => e164(typeof n === 'string' ? n.trim() : null)).filter((n): n is string => !!n))];
}

export function messageKind(args: Record<string, unknown>): MessageKind {
  const k = typeof args.kind === 'string' ? args.kind.trim() : '';
  if ((MESSAGE_KINDS as readonly string[]).includes(k)) return k as MessageKind;
  return truthy(args.urgent) ? 'emergency' : 'message';
}

/** The words of the message: what the caller said for it, else why the flow took it (a failed Clio intake). */
function messageBody(args: Record<string, unknown>, slots: Record<string, unknown>): string {
  const said = text(args.message) ?? text(slots.message) ?? text(slots.description);
  const reason = text(args.reason);
  return [said, reason && `(${reason})`].filter(Boolean).join(' ');
}

export interface TakenMessage {
  message: StoredMessage;
  created: boolean;
}

export async function takeMessage(trx: Knex.Transaction, intake: StoredIntake, effect: EffectCommand, slots: Record<string, unknown>, idempotencyKey: string, now: Date): Promise<TakenMessage> {
  const args = effect.args;
  const kind = messageKind(args);
  const afterHours = truthy(args.after_hours);
  // Read through the transaction: SQLite has one connection, and the transaction holds it.
  const contacts = intake.tenantId === null ? [] : await createStaffContactsRepo(trx).list(intake.tenantId);
  const recipients: MessageRecipient[] = recipientsFor(contacts, kind, afterHours).map((c) => ({ contactId: c.id, name: c.name, phone: c.phone, email: c.email }));
  // Numbers the flow pages itself (args.notify: the on-call list) are recipients too, once each, so the caller's line
  // counts them and nobody who is both a contact and on call gets two texts.
  for (const phone of notifyNumbers(args.notify))
    if (!recipients.some((r) => r.phone === phone)) recipients.push({ contactId: 0, name: kind === 'emergency' ? 'the attorney on call' : 'the office', phone, email: null });
  return recordMessage(
    trx,
    {
      tenantId: intake.tenantId,
      intakeId: intake.id,
      callSid: intake.callSid,
      idempotencyKey,
      kind,
      afterHours,
      existingClient: truthy(args.existing_client) || (args.existing_client === undefined && slots.existing_client === true),
      callerName: text(args.name) ?? text(slots.caller_name) ?? intake.callerName,
      callbackPhone: text(args.phone) ?? text(slots.callback_phone) ?? intake.callbackPhone,
      body: messageBody(args, slots),
      recipients,
    },
    now,
  );
}

/** What the flow may branch on: how many people the message will reach, and their names for a line. */
export function takenResult(t: TakenMessage): Record<string, unknown> {
  return {
    message_id: t.message.id,
    kind: t.message.kind,
    recipients: t.message.recipients.length,
    recipient_names: t.message.recipients.map((r) => r.name).join(', '),
  };
}
