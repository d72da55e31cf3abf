// Carries out the engine's effect commands for a call. The conflict check runs now, under a deadline, because the
// flow waits on its answer; a late or failed check answers ok:false so the flow routes the caller to staff.
// Every delivery becomes an outbox row in the same transaction as the intake's latest slots and answers at once
// with {queued: true}: nothing the caller waits for depends on Clio, LawPay, Twilio SMS or Zapier being up.
// take_message also stores the message with its recipients (staff contacts, looked up now) and answers how many it
// will reach ({recipients, recipient_names, kind, message_id}), so the flow never promises a delivery nobody gets.
import type { Db } from '../db/knex.js';
import type { EffectAction, EffectCommand } from '../flows/commands.js';
import { createIntakeStore, writeSlots, type IntakeStore } from '../intake/intakes-repo.js';
import type { EffectContext, EffectOutcome, EffectRunner } from '../intake/types.js';
import type { Logger } from '../observability/logger.js';
import type { ConflictQuery, ConflictResult } from './clio/conflict.js';
import { conflictQuery } from './clio/conflict-query.js';
import { takeMessage, takenResult } from './messages/take.js';
import { enqueue } from './outbox/store.js';

export const DEFAULT_CONFLICT_DEADLINE_MS = 2_500;

/** Deliveries: queued, never run inside the call. */
export const QUEUED_ACTIONS: readonly EffectAction[] = ['clio.create_intake', 'payment.link_sms', 'lawpay.payment_link_sms', 'sms.send', 'webhook', 'take_message'];

export type ConflictChecker = (tenantId: number, q: ConflictQuery, signal: AbortSignal) => Promise<ConflictResult>;

export interface EffectRunnerDeps {
  db: Db;
  log: Logger;
  conflictCheck: ConflictChecker;
  conflictDeadlineMs?: number;
  now?: () => Date;
  intakes?: IntakeStore;
}

export { conflictQuery } from './clio/conflict-query.js';

export function createEffectRunner(d: EffectRunnerDeps): EffectRunner {
  const now = d.now ?? (() => new Date());
  const intakes = d.intakes ?? createIntakeStore(d.db, { now });
  const deadline = d.conflictDeadlineMs ?? DEFAULT_CONFLICT_DEADLINE_MS;

  async function conflict(effect: EffectCommand, ctx: EffectContext): Promise<EffectOutcome> {
    if (ctx.tenantId === null) return { ok: false, error: 'no firm for this call, so no Clio to search' };
    const q = conflictQuery(effect.args, ctx.slots);
    if (q.callerNames.length + q.opposingNames.length + q.phones.length + q.emails.length === 0) {
      return { ok: false, error: 'nothing to search for (no names, phone or email)' };
    }
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort(new Error('deadline'));
        reject(new Error(`conflict check took longer than ${deadline} ms`));
      }, deadline);
    });
    try {
      const r = await Promise.race([d.conflictCheck(ctx.tenantId, q, abort.signal), late]);
      return {
        ok: true,
        data: {
          status: r.status,
          conflict: r.status === 'conflict',
          clear: r.status === 'clear',
          match_count: r.matches.length,
          matched_names: [...new Set(r.matches.map((m) => m.name))].join(', '),
          matches: r.matches,
        },
      };
    } catch (err) {
      d.log.warn({ callSid: ctx.callSid, err: (err as Error).message }, 'conflict check failed; routing to staff');
      return { ok: false, error: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async function queue(effect: EffectCommand, ctx: EffectContext): Promise<EffectOutcome> {
    try {
      const key = `${ctx.callSid}:${effect.id}`;
      const { id, created, extra } = await intakes.withIntake(ctx.callSid, async (trx, intake) => {
        await writeSlots(trx, intake, ctx.slots, {}, now());
        // A message is stored with its recipients (looked up now) beside its delivery, so the caller hears what was queued.
        const taken = effect.action === 'take_message' ? await takeMessage(trx, intake, effect, ctx.slots, key, now()) : null;
        const args = taken ? { ...effect.args, message_id: taken.message.id } : effect.args;
        const row = await enqueue(trx, { tenantId: intake.tenantId, intakeId: intake.id, callSid: ctx.callSid, action: effect.action, args, idempotencyKey: key }, now());
        return { ...row, extra: taken ? takenResult(taken) : {} };
      });
      return { ok: true, data: { queued: true, outbox_id: id, replayed: !created, ...extra } };
    } catch (err) {
      d.log.error({ callSid: ctx.callSid, action: effect.action, err: (err as Error).message }, 'could not queue effect');
      return { ok: false, error: `could not queue ${effect.action}: ${(err as Error).message}` };
    }
  }

  return {
    async run(effect, ctx) {
      if (effect.action === 'clio.conflict_check') return conflict(effect, ctx);
      if (QUEUED_ACTIONS.includes(effect.action)) return queue(effect, ctx);
      return { ok: false, error: `unknown effect action "${String(effect.action)}"` };
    },
  };
}
