// The intake record, written as the call goes: the row appears with the first collected slot, every slot change is
// saved at once (JSON plus the typed columns staff filter on), and end() settles the status. Anything that must change
// together with the intake (an outbox row) runs inside the same transaction through `withIntake`.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { isPostgres } from '../db/knex.js';
import type { Outcome, SlotParty } from '../flows/commands.js';
import type { IntakeRecorder } from './types.js';
import { rowBool, rowDate, rowJson } from './rows.js';

export type IntakeStatus = 'partial' | 'complete' | 'abandoned' | 'conflict' | 'transferred';
/** How the conversation ended (the engine's outcome), or `interrupted`: its session was lost (crash) mid-call. */
export type IntakeOutcome = Outcome | 'interrupted';

export interface StoredIntake {
  id: number;
  callSid: string;
  tenantId: number | null;
  flowId: string;
  status: IntakeStatus;
  outcome: IntakeOutcome | null;
  slots: Record<string, unknown>;
  confirmedSlots: string[];
  /** Slots whose value the caller confirmed in a read-back (a subset of confirmedSlots). */
  readBackSlots: string[];
  /** Per party slot: each party its value names, with the caller's relationship to them and the caller's words. */
  parties: Record<string, SlotParty[]>;
  callerName: string | null;
  callbackPhone: string | null;
  email: string | null;
  practiceArea: string | null;
  incidentDate: string | null;
  isEmergency: boolean | null;
  solRisk: boolean | null;
  paymentStatus: string | null;
  paidAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export class UnknownCallError extends Error {
  constructor(callSid: string) {
    super(`no call ${callSid}: the call row must be written (calls-repo create) before its intake`);
    this.name = 'UnknownCallError';
  }
}

type Trx = Knex | Knex.Transaction;
type Column = 'caller_name' | 'callback_phone' | 'email' | 'practice_area' | 'incident_date' | 'is_emergency' | 'sol_risk';

/**
 * Slot names (as flows name them) that fill a typed column. Flows may use any of the aliases; the JSON keeps the
 * flow's own name.
 */
const COLUMN_OF: Record<string, Column> = {
  caller_name: 'caller_name', full_name: 'caller_name', name: 'caller_name',
  callback_phone: 'callback_phone', phone: 'callback_phone', phone_number: 'callback_phone', callback_number: 'callback_phone',
  email: 'email', email_address: 'email',
  practice_area: 'practice_area',
  incident_date: 'incident_date', date_of_incident: 'incident_date',
  is_emergency: 'is_emergency', emergency: 'is_emergency',
  sol_risk: 'sol_risk',
};
const WIDTH: Partial<Record<Column, number>> = { caller_name: 200, callback_phone: 32, email: 320, practice_area: 40 };

function columnValue(col: Column, value: unknown): string | boolean | null {
  if (value === null || value === undefined || value === '') return null;
  if (col === 'is_emergency' || col === 'sol_risk') {
    if (typeof value === 'boolean') return value;
    const v = String(value).toLowerCase();
    return ['yes', 'true', '1', 'y'].includes(v) ? true : ['no', 'false', '0', 'n'].includes(v) ? false : null;
  }
  if (col === 'incident_date') {
    // Only a calendar date fits the column; other spellings stay in the JSON for a person to read.
    const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(value));
    return m ? m[1]! : null;
  }
  return String(value).slice(0, WIDTH[col] ?? 200);
}

function typedColumns(slots: Record<string, unknown>): Partial<Record<Column, string | boolean | null>> {
  const out: Partial<Record<Column, string | boolean | null>> = {};
  for (const [name, value] of Object.entries(slots)) {
    const col = COLUMN_OF[name];
    if (col) out[col] = columnValue(col, value);
  }
  return out;
}

/**
 * How a call's outcome becomes the intake status. A message is complete when the caller left a way back (name and
 * phone), else partial; a call that ended without an outcome (hang-up, crash caught at close) is abandoned.
 */
export function statusFor(outcome: Outcome | null, slots: Record<string, unknown>): IntakeStatus {
  switch (outcome) {
    case 'completed':
      return 'complete';
    case 'transferred':
      return 'transferred';
    case 'conflict':
      return 'conflict';
    case 'message': {
      const cols = typedColumns(slots);
      return cols.caller_name && cols.callback_phone ? 'complete' : 'partial';
    }
    case 'abandoned':
    case null:
      return 'abandoned';
  }
}

export function toIntake(r: Record<string, unknown>): StoredIntake {
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    callSid: String(r.call_sid),
    tenantId: r.tenant_id === null || r.tenant_id === undefined ? null : Number(r.tenant_id),
    flowId: String(r.flow_id),
    status: String(r.status) as IntakeStatus,
    outcome: (s(r.outcome) as IntakeOutcome | null) ?? null,
    slots: rowJson<Record<string, unknown>>(r.slots, {}),
    confirmedSlots: rowJson<string[]>(r.confirmed_slots, []),
    readBackSlots: rowJson<string[]>(r.read_back_slots, []),
    parties: rowJson<Record<string, SlotParty[]>>(r.parties, {}),
    callerName: s(r.caller_name),
    callbackPhone: s(r.callback_phone),
    email: s(r.email),
    practiceArea: s(r.practice_area),
    incidentDate: s(r.incident_date),
    isEmergency: rowBool(r.is_emergency),
    solRisk: rowBool(r.sol_risk),
    paymentStatus: s(r.payment_status),
    paidAt: rowDate(r.paid_at),
    createdAt: rowDate(r.created_at),
    updatedAt: rowDate(r.updated_at),
  };
}

/** The call's intake, created (from the call row's tenant and flow) when missing. Locks the row on PostgreSQL. */
export async function ensureIntake(trx: Trx, callSid: string, now: Date): Promise<StoredIntake> {
  const select = () => {
    const q = trx('intakes').where({ call_sid: callSid }).first();
    return isPostgres(trx as Db) ? q.forUpdate() : q;
  };
  let row = (await select()) as Record<string, unknown> | undefined;
  if (!row) {
    const call = (await trx('calls').where({ call_sid: callSid }).first('tenant_id', 'flow_id')) as { tenant_id: number | null; flow_id: string } | undefined;
    if (!call) throw new UnknownCallError(callSid);
    await trx('intakes')
      .insert({ call_sid: callSid, tenant_id: call.tenant_id, flow_id: call.flow_id, status: 'partial', slots: '{}', confirmed_slots: '[]', read_back_slots: '[]', parties: '{}', created_at: now, updated_at: now })
      .onConflict('call_sid')
      .ignore();
    row = (await select()) as Record<string, unknown>;
  }
  return toIntake(row);
}

/**
 * Merges slot values (and which of them are confirmed, which the caller confirmed in a read-back, and a party slot's
 * parties) into the intake and its typed columns. A value that changes without a read-back loses its read-back mark;
 * one that changes without parties loses its parties (they described the old value).
 */
export async function writeSlots(
  trx: Trx,
  intake: StoredIntake,
  values: Record<string, unknown>,
  confirmed: Record<string, boolean>,
  now: Date,
  extra: Record<string, unknown> = {},
  readBack: Record<string, boolean> = {},
  parties: Record<string, SlotParty[]> = {},
): Promise<StoredIntake> {
  const heard = new Set(intake.readBackSlots);
  const named = { ...intake.parties };
  for (const [k, v] of Object.entries(values)) {
    const changed = JSON.stringify(v ?? null) !== JSON.stringify(intake.slots[k] ?? null);
    if (changed && !readBack[k]) heard.delete(k);
    if (parties[k]?.length && v !== null && v !== undefined) named[k] = parties[k]!;
    else if (changed || v === null || v === undefined) delete named[k];
  }
  const slots = { ...intake.slots };
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) delete slots[k];
    else slots[k] = v;
  }
  const conf = new Set(intake.confirmedSlots);
  for (const [k, c] of Object.entries(confirmed)) {
    if (c && k in slots) conf.add(k);
    else conf.delete(k);
  }
  for (const [k, r] of Object.entries(readBack)) {
    if (r && conf.has(k)) heard.add(k);
    else if (!r) heard.delete(k);
  }
  for (const k of [...heard]) if (!conf.has(k)) heard.delete(k);
  const patch = { slots: JSON.stringify(slots), confirmed_slots: JSON.stringify([...conf]), read_back_slots: JSON.stringify([...heard]), parties: JSON.stringify(named), ...typedColumns(values), ...extra, updated_at: now };
  await trx('intakes').where({ id: intake.id }).update(patch);
  return { ...intake, slots, confirmedSlots: [...conf], readBackSlots: [...heard], parties: named };
}

export interface IntakeStore extends IntakeRecorder {
  /** Runs `fn` in one transaction with the call's intake (created if needed): effects enqueue their outbox rows here. */
  withIntake<T>(callSid: string, fn: (trx: Knex.Transaction, intake: StoredIntake) => Promise<T>): Promise<T>;
  byCall(callSid: string): Promise<StoredIntake | null>;
  byId(id: number): Promise<StoredIntake | null>;
  /** LawPay reported the fee paid (events poll or webhook); idempotent. Returns false for an unknown intake. */
  markPaid(intakeId: number, at: Date): Promise<boolean>;
  setPaymentStatus(intakeId: number, status: string): Promise<void>;
  /**
   * Intakes still partial with no outcome whose call started before `startedBefore`: their call ended without the
   * server hearing it (a crash, a restart). Marked abandoned, keeping everything gathered; returns how many.
   */
  abandonStale(startedBefore: Date, limit?: number): Promise<number>;
}

export interface IntakeStoreOptions {
  now?: () => Date;
  /** Runs inside end()'s transaction with the settled intake: deliveries every ended intake gets (a Zapier post). */
  afterEnd?: (trx: Knex.Transaction, intake: StoredIntake) => Promise<void>;
}

/** A settled intake (an outcome, or a status other than partial) is final: nothing a late socket sends rewrites it. */
export const isSettled = (i: StoredIntake): boolean => i.outcome !== null || i.status !== 'partial';

export function createIntakeStore(db: Db, opts: IntakeStoreOptions = {}): IntakeStore {
  const now = opts.now ?? (() => new Date());
  const store: IntakeStore = {
    async withIntake(callSid, fn) {
      return db.transaction(async (trx) => fn(trx, await ensureIntake(trx, callSid, now())));
    },

    async slot(callSid, name, value, confirmed, readBack = false, parties) {
      await store.withIntake(callSid, async (trx, intake) => {
        if (!isSettled(intake)) await writeSlots(trx, intake, { [name]: value }, { [name]: confirmed }, now(), {}, { [name]: readBack }, parties?.length ? { [name]: parties } : {});
      });
    },

    async end(callSid, outcome, slots) {
      const exists = await db('intakes').where({ call_sid: callSid }).first('id');
      // A call that ended before anything was collected leaves no intake, unless its outcome matters to staff.
      if (!exists && Object.keys(slots).length === 0 && (outcome === null || outcome === 'abandoned')) return;
      await store.withIntake(callSid, async (trx, intake) => {
        // Final once final: an intake already settled (an outcome, or a status other than partial) is never
        // rewritten by a late close or a replayed start (complete -> abandoned was possible).
        if (isSettled(intake)) return;
        const merged = { ...intake.slots, ...slots };
        // Slots the engine still holds were already confirmed or not through slot(); end() keeps those flags.
        const status = statusFor(outcome, merged);
        const settled = await writeSlots(trx, intake, slots, {}, now(), { status, outcome });
        await opts.afterEnd?.(trx, { ...settled, status, outcome });
      });
    },

    async byCall(callSid) {
      const r = await db('intakes').where({ call_sid: callSid }).first();
      return r ? toIntake(r) : null;
    },

    async byId(id) {
      const r = await db('intakes').where({ id }).first();
      return r ? toIntake(r) : null;
    },

    async markPaid(intakeId, at) {
      const n = await db('intakes').where({ id: intakeId }).where((q) => q.whereNull('payment_status').orWhereNot({ payment_status: 'paid' })).update({ payment_status: 'paid', paid_at: at, updated_at: now() });
      if (Number(n) > 0) return true;
      return Boolean(await db('intakes').where({ id: intakeId }).first('id'));
    },

    async abandonStale(startedBefore, limit = 200) {
      const stale = (await db('intakes')
        .where({ status: 'partial' })
        .whereNull('outcome')
        .whereIn('call_sid', db('calls').where('started_at', '<', startedBefore).select('call_sid'))
        .limit(limit)
        .select('call_sid')) as { call_sid: string }[];
      let n = 0;
      for (const { call_sid } of stale) {
        await store.withIntake(call_sid, async (trx, intake) => {
          // Re-checked under the lock: the call may have ended properly in the meantime.
          if (intake.status !== 'partial' || intake.outcome !== null) return;
          const settled = await writeSlots(trx, intake, {}, {}, now(), { status: 'abandoned' });
          await opts.afterEnd?.(trx, { ...settled, status: 'abandoned' });
          n++;
        });
      }
      return n;
    },

    async setPaymentStatus(intakeId, status) {
      // Never walk a paid intake back to "link sent" when a late SMS retry lands after the payment.
      await db('intakes').where({ id: intakeId }).where((q) => q.whereNull('payment_status').orWhereNot({ payment_status: 'paid' })).update({ payment_status: status, updated_at: now() });
    },
  };
  return store;
}

/** The IntakeRecorder the call path uses. */
/** Slots committed for one call while its previous write was in flight, written together next. */
interface SlotBatch {
  values: Record<string, unknown>;
  confirmed: Record<string, boolean>;
  readBack: Record<string, boolean>;
  /** Parties heard with a slot's value; a later value of the slot without parties clears them (as writeSlots does). */
  parties: Record<string, SlotParty[]>;
  done: Promise<void>;
  settle(err?: Error): void;
}

function slotBatch(): SlotBatch {
  let settle!: SlotBatch['settle'];
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  return { values: {}, confirmed: {}, readBack: {}, parties: {}, done, settle };
}

/**
 * The call path's recorder. The session commits slots without waiting, one transaction of several round trips each;
 * when the database or the worker's event loop lags, those transactions queue for the pool faster than they drain,
 * and the voice webhook's insert waits behind them (docs/benchmarks.md, 1,000 calls). So a call has one slot write
 * in flight at a time, and slots committed meanwhile are merged into the next one (the last value, confirmation and
 * read-back of a slot win, as written one after another). end() waits for the call's slot writes first.
 */
export function createIntakeRecorder(db: Db, opts: IntakeStoreOptions = {}): IntakeRecorder {
  const s = createIntakeStore(db, opts);
  const now = opts.now ?? (() => new Date());
  const calls = new Map<string, { inFlight: Promise<void> | null; next: SlotBatch | null }>();
  const pump = (callSid: string) => {
    const c = calls.get(callSid)!;
    const b = c.next;
    c.next = null;
    if (!b) {
      c.inFlight = null;
      calls.delete(callSid);
      return;
    }
    c.inFlight = s
      .withIntake(callSid, async (trx, intake) => {
        if (!isSettled(intake)) await writeSlots(trx, intake, b.values, b.confirmed, now(), {}, b.readBack, b.parties);
      })
      .then(() => b.settle(), (err: Error) => b.settle(err))
      .then(() => pump(callSid));
  };
  return {
    slot(callSid, name, value, confirmed, readBack = false, parties) {
      let c = calls.get(callSid);
      if (!c) calls.set(callSid, (c = { inFlight: null, next: null }));
      const b = (c.next ??= slotBatch());
      b.values[name] = value;
      b.confirmed[name] = confirmed;
      b.readBack[name] = readBack;
      if (parties?.length) b.parties[name] = parties;
      else delete b.parties[name];
      if (!c.inFlight) pump(callSid);
      return b.done;
    },
    async end(callSid, outcome, slots) {
      for (let c = calls.get(callSid); c?.inFlight; c = calls.get(callSid)) await c.inFlight;
      return s.end(callSid, outcome, slots);
    },
  };
}
