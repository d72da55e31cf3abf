// Messages taken for staff: written when the flow takes them (in the transaction that queues their delivery, with
// the recipients looked up then), listed for the firm with open ones first, and marked handled by a person.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { rowBool, rowDate, rowJson, rowNumber } from './rows.js';
import type { MessageKind } from './staff-contacts-repo.js';

export const MESSAGE_STATUSES = ['new', 'handled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** A recipient as it was when the message was taken (a later edit of the contact does not rewrite history). */
export interface MessageRecipient {
  contactId: number;
  name: string;
  phone: string | null;
  email: string | null;
}

export interface NewMessage {
  tenantId: number | null;
  intakeId: number | null;
  callSid: string | null;
  idempotencyKey: string;
  kind: MessageKind;
  afterHours: boolean;
  existingClient: boolean;
  callerName: string | null;
  callbackPhone: string | null;
  body: string;
  recipients: MessageRecipient[];
}

/** A message as stored: what was taken, plus its id and whether someone has handled it. */
export interface StoredMessage extends Omit<NewMessage, 'idempotencyKey'> {
  id: number;
  status: MessageStatus;
  handledAt: Date | null;
  handledBy: number | null;
  createdAt: Date | null;
}

type Trx = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

export function toMessage(r: Row): StoredMessage {
  return {
    id: Number(r.id),
    tenantId: rowNumber(r.tenant_id),
    intakeId: rowNumber(r.intake_id),
    callSid: (r.call_sid as string | null) ?? null,
    kind: String(r.kind) as MessageKind,
    afterHours: rowBool(r.after_hours) ?? false,
    existingClient: rowBool(r.existing_client) ?? false,
    callerName: (r.caller_name as string | null) ?? null,
    callbackPhone: (r.callback_phone as string | null) ?? null,
    body: String(r.body ?? ''),
    recipients: rowJson<MessageRecipient[]>(r.recipients, []),
    status: String(r.status) as MessageStatus,
    handledAt: rowDate(r.handled_at),
    handledBy: rowNumber(r.handled_by),
    createdAt: rowDate(r.created_at),
  };
}

/** Writes the message unless its effect already did (a replay): either way returns the stored row. */
export async function recordMessage(trx: Trx, m: NewMessage, now: Date): Promise<{ message: StoredMessage; created: boolean }> {
  const key = m.idempotencyKey.slice(0, 200);
  const inserted = (await trx('messages')
    .insert({
      tenant_id: m.tenantId,
      intake_id: m.intakeId,
      call_sid: m.callSid,
      idempotency_key: key,
      kind: m.kind,
      after_hours: m.afterHours,
      existing_client: m.existingClient,
      caller_name: m.callerName?.slice(0, 200) ?? null,
      callback_phone: m.callbackPhone?.slice(0, 32) ?? null,
      body: m.body.slice(0, 4000),
      recipients: JSON.stringify(m.recipients),
      status: 'new',
      created_at: now,
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('id')) as ({ id: number } | number)[];
  const row = (await trx('messages').where({ idempotency_key: key }).first()) as Row;
  return { message: toMessage(row), created: inserted.length > 0 };
}

export interface MessageQuery {
  status?: MessageStatus;
  limit: number;
  offset: number;
}

export interface MessagesRepo {
  /** Open (new) messages first, then handled ones; newest first within each. */
  list(tenantId: number, q: MessageQuery): Promise<{ items: StoredMessage[]; total: number }>;
  get(tenantId: number, id: number): Promise<StoredMessage | null>;
  byId(id: number): Promise<StoredMessage | null>;
  /** handled true: marked handled by `userId` now; false: back to new. Null when the message is not the firm's. */
  setHandled(tenantId: number, id: number, handled: boolean, userId: number | null, now: Date): Promise<StoredMessage | null>;
}

export function createMessagesRepo(db: Db): MessagesRepo {
  const repo: MessagesRepo = {
    async list(tenantId, q) {
      const base = db('messages').where({ tenant_id: tenantId });
      if (q.status) base.where({ status: q.status });
      const [{ n }] = (await base.clone().count({ n: '*' })) as [{ n: number | string }];
      const rows = (await base.orderByRaw("CASE WHEN status = 'new' THEN 0 ELSE 1 END").orderBy('id', 'desc').limit(q.limit).offset(q.offset)) as Row[];
      return { items: rows.map(toMessage), total: Number(n) };
    },
    async get(tenantId, id) {
      const r = (await db('messages').where({ tenant_id: tenantId, id }).first()) as Row | undefined;
      return r ? toMessage(r) : null;
    },
    async byId(id) {
      const r = (await db('messages').where({ id }).first()) as Row | undefined;
      return r ? toMessage(r) : null;
    },
    async setHandled(tenantId, id, handled, userId, now) {
      // Only a change of state is written: marking a handled message handled again keeps who handled it first.
      await db('messages')
        .where({ tenant_id: tenantId, id, status: handled ? 'new' : 'handled' })
        .update(handled ? { status: 'handled', handled_at: now, handled_by: userId } : { status: 'new', handled_at: null, handled_by: null });
      return repo.get(tenantId, id);
    },
  };
  return repo;
}
