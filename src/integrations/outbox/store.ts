// The outbox table: rows written in the same transaction as the intake change that caused them, claimed by workers,
// settled as delivered, rescheduled or dead. Claims are atomic on both engines: PostgreSQL picks rows with
// FOR UPDATE SKIP LOCKED (several workers never take one row), SQLite runs one conditional UPDATE ... RETURNING
// (a single writer at a time). Every settle is fenced by the claim token, so a worker whose lease was taken over
// cannot overwrite the new owner's result.
import type { Knex } from 'knex';
import { isPostgres, type Db } from '../../db/knex.js';
import { rowDate, rowJson, rowNumber } from '../../intake/rows.js';

export type OutboxStatus = 'pending' | 'in_flight' | 'delivered' | 'dead';

export interface OutboxRow {
  id: number;
  tenantId: number | null;
  intakeId: number | null;
  callSid: string | null;
  action: string;
  args: Record<string, unknown>;
  progress: Record<string, unknown>;
  idempotencyKey: string;
  status: OutboxStatus;
  /** Attempts started so far, counting the one in flight (a crash mid-attempt still uses one). */
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lockedBy: string | null;
  lockedAt: Date | null;
  createdAt: Date | null;
  deliveredAt: Date | null;
}

export interface NewOutboxRow {
  tenantId: number | null;
  intakeId: number | null;
  callSid: string | null;
  action: string;
  args: Record<string, unknown>;
  idempotencyKey: string;
  maxAttempts?: number;
}

type Trx = Knex | Knex.Transaction;
const MAX_ERROR_CHARS = 2000;

export function toOutboxRow(r: Record<string, unknown>): OutboxRow {
  return {
    id: Number(r.id),
    tenantId: rowNumber(r.tenant_id),
    intakeId: rowNumber(r.intake_id),
    callSid: (r.call_sid as string | null) ?? null,
    action: String(r.action),
    args: rowJson<Record<string, unknown>>(r.args, {}),
    progress: rowJson<Record<string, unknown>>(r.progress, {}),
    idempotencyKey: String(r.idempotency_key),
    status: String(r.status) as OutboxStatus,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    nextAttemptAt: rowDate(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    lockedBy: (r.locked_by as string | null) ?? null,
    lockedAt: rowDate(r.locked_at),
    createdAt: rowDate(r.created_at),
    deliveredAt: rowDate(r.delivered_at),
  };
}

/** Writes a row unless one with the same idempotency key exists (a replayed effect). Returns the row's id. */
export async function enqueue(trx: Trx, row: NewOutboxRow, now: Date): Promise<{ id: number; created: boolean }> {
  const inserted = (await trx('outbox')
    .insert({
      tenant_id: row.tenantId,
      intake_id: row.intakeId,
      call_sid: row.callSid,
      action: row.action,
      args: JSON.stringify(row.args),
      progress: '{}',
      idempotency_key: row.idempotencyKey.slice(0, 200),
      status: 'pending',
      attempts: 0,
      ...(row.maxAttempts ? { max_attempts: row.maxAttempts } : {}),
      // Written explicitly: SQLite's CURRENT_TIMESTAMP default is text, which never compares with bound times.
      next_attempt_at: now,
      created_at: now,
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('id')) as ({ id: number } | number)[];
  const first = inserted[0];
  if (first !== undefined) return { id: Number(typeof first === 'object' ? first.id : first), created: true };
  const existing = (await trx('outbox').where({ idempotency_key: row.idempotencyKey.slice(0, 200) }).first('id')) as { id: number };
  return { id: Number(existing.id), created: false };
}

export interface ClaimOptions {
  /** Unique per claim: settles are fenced by it. */
  token: string;
  now: Date;
  limit: number;
  /** An in-flight row older than this is taken over (its worker died). */
  leaseMs: number;
}

export async function claim(db: Db, o: ClaimOptions): Promise<OutboxRow[]> {
  const staleBefore = new Date(o.now.getTime() - o.leaseMs);
  if (isPostgres(db)) {
    const res = await db.raw(
      `WITH picked AS (
         SELECT id FROM outbox
          WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'in_flight' AND locked_at < ?)
          ORDER BY next_attempt_at, id
          LIMIT ?
          FOR UPDATE SKIP LOCKED)
       UPDATE outbox o SET status = 'in_flight', locked_by = ?, locked_at = ?, attempts = o.attempts + 1
         FROM picked WHERE o.id = picked.id
       RETURNING o.*`,
      [o.now, staleBefore, o.limit, o.token, o.now],
    );
    return (res.rows as Record<string, unknown>[]).map(toOutboxRow).sort((a, b) => a.id - b.id);
  }
  // SQLite stores bound Dates as epoch milliseconds; raw bindings are given as numbers to match.
  const rows = (await db.raw(
    `UPDATE outbox SET status = 'in_flight', locked_by = ?, locked_at = ?, attempts = attempts + 1
      WHERE id IN (SELECT id FROM outbox
                    WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'in_flight' AND locked_at < ?)
                    ORDER BY next_attempt_at, id
                    LIMIT ?)
      RETURNING *`,
    [o.token, o.now.getTime(), o.now.getTime(), staleBefore.getTime(), o.limit],
  )) as Record<string, unknown>[];
  return rows.map(toOutboxRow).sort((a, b) => a.id - b.id);
}

/** Records remote ids of a multi-step delivery as soon as they exist, so a retry resumes after them. */
export async function saveProgress(db: Db, id: number, token: string, progress: Record<string, unknown>): Promise<boolean> {
  const n = await db('outbox').where({ id, locked_by: token, status: 'in_flight' }).update({ progress: JSON.stringify(progress) });
  return Number(n) > 0;
}

export async function markDelivered(db: Db, id: number, token: string, progress: Record<string, unknown>, now: Date): Promise<boolean> {
  const n = await db('outbox')
    .where({ id, locked_by: token, status: 'in_flight' })
    .update({ status: 'delivered', delivered_at: now, progress: JSON.stringify(progress), last_error: null, locked_by: null, locked_at: null });
  return Number(n) > 0;
}

/** A failed attempt: rescheduled at `retryAt`, or dead (retryAt null) with the reason kept in last_error. */
export async function markFailed(
  db: Db,
  id: number,
  token: string,
  progress: Record<string, unknown>,
  error: string,
  retryAt: Date | null,
): Promise<boolean> {
  const n = await db('outbox')
    .where({ id, locked_by: token, status: 'in_flight' })
    .update({
      status: retryAt ? 'pending' : 'dead',
      ...(retryAt ? { next_attempt_at: retryAt } : {}),
      progress: JSON.stringify(progress),
      last_error: error.slice(0, MAX_ERROR_CHARS),
      locked_by: null,
      locked_at: null,
    });
  return Number(n) > 0;
}

export class OutboxRetryError extends Error {}

/** Puts a dead (fresh attempt budget) or pending row back in line for delivery now. Progress is kept. */
export async function retryRow(db: Db, id: number, now: Date): Promise<OutboxRow> {
  const row = (await db('outbox').where({ id }).first()) as Record<string, unknown> | undefined;
  if (!row) throw new OutboxRetryError(`no outbox row ${id}`);
  const status = String(row.status);
  if (status !== 'dead' && status !== 'pending') {
    throw new OutboxRetryError(`row ${id} is ${status}; only pending or dead rows can be retried`);
  }
  await db('outbox')
    .where({ id })
    .whereIn('status', ['pending', 'dead'])
    .update({ status: 'pending', next_attempt_at: now, ...(status === 'dead' ? { attempts: 0 } : {}) });
  return toOutboxRow((await db('outbox').where({ id }).first()) as Record<string, unknown>);
}

export async function listRows(db: Db, q: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxRow[]> {
  const base = db('outbox').orderBy('id', 'desc').limit(q.limit ?? 50);
  if (q.status) base.where({ status: q.status });
  return ((await base) as Record<string, unknown>[]).map(toOutboxRow);
}

/** When the next pending row is due (null when none): lets a worker or a simulation skip idle time. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const r = (await db('outbox').where({ status: 'pending' }).min({ at: 'next_attempt_at' }).first()) as { at: unknown } | undefined;
  return rowDate(r?.at ?? null);
}

export async function countByStatus(db: Db): Promise<Record<OutboxStatus, number>> {
  const rows = (await db('outbox').select('status').count({ n: '*' }).groupBy('status')) as { status: OutboxStatus; n: number | string }[];
  const out: Record<OutboxStatus, number> = { pending: 0, in_flight: 0, delivered: 0, dead: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
