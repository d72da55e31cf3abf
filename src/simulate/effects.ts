// In-memory effect runner for chat and simulate: records every effect and answers like the real integrations would
// (conflict check clear unless a script names conflicting parties), so flows can be exercised without any service.
import type { EffectCommand } from '../flows/commands.js';

export interface RecordedEffect {
  action: string;
  args: Record<string, unknown>;
}

export interface MemoryEffectsOptions {
  conflicts?: string[];
  failActions?: string[];
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9 ]/g, ' ').replace(/\s+/g, ' ').trim();

export class MemoryEffects {
  readonly recorded: RecordedEffect[] = [];
  constructor(private readonly opts: MemoryEffectsOptions = {}) {}

  run(effect: EffectCommand): { ok: boolean; data?: Record<string, unknown>; error?: string } {
    this.recorded.push({ action: effect.action, args: effect.args });
    if (this.opts.failActions?.some((a) => sameAction(a, effect.action))) return { ok: false, error: `${effect.action} failed (simulated)` };
    switch (effect.action) {
      case 'clio.conflict_check': {
        // Same argument names as the real runner (src/integrations/effect-runner.ts): caller_name, opposing_party, names.
        const names = ['names', 'caller_name', 'name', 'opposing_party', 'opposing_parties']
          .flatMap((k) => (Array.isArray(effect.args[k]) ? (effect.args[k] as unknown[]) : [effect.args[k]]))
          .filter((n): n is string => typeof n === 'string' && n.trim() !== '');
        const listed = (this.opts.conflicts ?? []).map(fold);
        const matches = names.filter((n) => listed.some((c) => c && (fold(n).includes(c) || c.includes(fold(n)))));
        return { ok: true, data: { conflict: matches.length > 0, matches } };
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
