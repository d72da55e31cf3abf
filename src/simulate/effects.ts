// In-memory effect runner for chat and simulate: records every effect and answers like the real integrations would
// (conflict check clear unless a script names conflicting parties), so flows can be exercised without any service.
// The conflict check builds its query and matches names with production's code (integrations/clio/conflict-query.ts):
// the same party names, the same spellings, the same threshold; only the firm's records are the script's list.
import type { EffectCommand } from '../flows/commands.js';
import { conflictQuery, listedConflicts } from '../integrations/clio/conflict-query.js';

export interface RecordedEffect {
  action: string;
  args: Record<string, unknown>;
}

export interface MemoryEffectsOptions {
  conflicts?: string[];
  failActions?: string[];
}

export class MemoryEffects {
  readonly recorded: RecordedEffect[] = [];
  constructor(private readonly opts: MemoryEffectsOptions = {}) {}

  run(effect: EffectCommand): { ok: boolean; data?: Record<string, unknown>; error?: string } {
    this.recorded.push({ action: effect.action, args: effect.args });
    if (this.opts.failActions?.some((a) => sameAction(a, effect.action))) return { ok: false, error: `${effect.action} failed (simulated)` };
    switch (effect.action) {
      case 'clio.conflict_check': {
        const q = conflictQuery({ ...effect.args, ...(effect.args.names !== undefined && effect.args.opposing_party === undefined ? { opposing_party: effect.args.names } : {}) }, {});
        const matches = listedConflicts(q, this.opts.conflicts ?? []);
        const conflict = matches.length > 0;
        // The data fields of the real runner's answer (status, conflict, clear, match_count, matched_names).
        return { ok: true, data: { status: conflict ? 'conflict' : 'clear', conflict, clear: !conflict, match_count: matches.length, matched_names: matches.join(', '), matches } };
      }
      case 'payment.link_sms':
      case 'lawpay.payment_link_sms':
        return { ok: true, data: { url: `https://pay.example.test/consultation/${this.recorded.length}` } };
      case 'clio.create_intake':
        return { ok: true, data: { id: `intake-${this.recorded.length}` } };
      default:
        return { ok: true, data: {} };
    }
  }
}

/** lawpay.payment_link_sms is the older name of payment.link_sms: a script failing either fails both. */
const PAYMENT_NAMES = new Set(['payment.link_sms', 'lawpay.payment_link_sms']);
const sameAction = (a: string, b: string) => a === b || (PAYMENT_NAMES.has(a) && PAYMENT_NAMES.has(b));
