// Start-up checks of how numbers and firms fit together, said once in the log so an operator sees them before a
// caller does: no number mapped (every call lands on the default flow with no firm, seen only by operators through
// `hermes calls unrouted`), and a firm whose main or on-call number is itself a number mapped to HERMES (a transfer
// to "a person" would ring HERMES again).
import type { Db } from '../db/knex.js';
import type { LoadedFlow } from '../flows/core.js';
import { CompiledFlow } from '../flows/loaded.js';
import { firmFactsOf } from '../intake/firm-facts-repo.js';
import { withFirmFacts } from '../flows/firm-facts.js';

export async function numberWarnings(db: Db, loadFlow: (ref: string) => Promise<LoadedFlow>, defaultFlow: string): Promise<string[]> {
  const rows = (await db('phone_numbers').select('e164', 'tenant_id', 'flow')) as { e164: string; tenant_id: number; flow: string | null }[];
  const warnings: string[] = [];
  if (rows.length === 0) {
    warnings.push('no phone number is mapped to a firm: every call is answered by DEFAULT_FLOW and belongs to no firm, so no firm user sees it (operators: `hermes calls unrouted`; map numbers with `hermes numbers` or the admin API)');
  }
  const ours = new Set(rows.map((r) => r.e164));
  const checked = new Set<string>();
  for (const r of rows) {
    const ref = r.flow ?? defaultFlow;
    const key = `${r.tenant_id}|${ref}`;
    if (checked.has(key)) continue;
    checked.add(key);
    const flow = await loadFlow(ref).catch(() => null);
    if (!(flow instanceof CompiledFlow)) continue; // a flow that does not load is reported where it is loaded
    const facts = await firmFactsOf(db, Number(r.tenant_id));
    const firm = (facts ? withFirmFacts(flow, facts) : flow) as CompiledFlow;
    const f = firm.program.firm;
    if (f.main_number && ours.has(f.main_number)) {
      warnings.push(`firm "${f.name}" (tenant ${r.tenant_id}, flow ${flow.id}): its main number ${f.main_number} is mapped to HERMES, so "talk to a person" would call HERMES itself; set the firm's own line with \`hermes tenants set <slug> --main-number\``);
    }
    for (const n of f.on_call ?? []) {
      if (ours.has(n)) warnings.push(`firm "${f.name}" (tenant ${r.tenant_id}, flow ${flow.id}): on-call number ${n} is mapped to HERMES, so an emergency transfer would call HERMES itself`);
    }
  }
  return warnings;
}
