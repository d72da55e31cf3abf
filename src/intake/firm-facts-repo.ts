// A firm's facts as stored: name and time zone are the tenant's own columns, the rest (main number, on-call list,
// hours, holidays, fee, address) is JSON in tenants.firm_facts. What callers hear is the flow's `firm:` block with
// these laid over it (src/flows/firm-facts.ts). A call reads the facts and the recording setting together, in one
// query (callerFactsOf), so the call path has one cached way to the tenant row (src/call/firm-flows.ts).
import type { Db } from '../db/knex.js';
import type { FirmSettingsFacts } from '../flows/core.js';
import { checkFirmFacts, presentFacts, type FirmFactsT } from '../flows/firm-facts.js';
import { rowJson } from './rows.js';

/** What a firm's call needs from its tenant row: the facts laid over the flow's `firm:`, and its settings facts. */
export interface CallerFacts {
  facts: FirmFactsT;
  /** recording is true only for a firm that records its calls (tenants.recording = 'on'). */
  settings: FirmSettingsFacts;
}

export class FirmFactsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'FirmFactsError';
  }
}

/** The firm's facts (name and timezone always, others when set); null for an unknown tenant. */
export async function firmFactsOf(db: Db, tenantId: number): Promise<FirmFactsT | null> {
  const r = (await db('tenants').where({ id: tenantId }).first('name', 'timezone', 'firm_facts')) as { name: string; timezone: string; firm_facts: unknown } | undefined;
  return r ? factsOfRow(r) : null;
}

const factsOfRow = (r: { name: string; timezone: string; firm_facts: unknown }): FirmFactsT =>
  presentFacts({ ...rowJson<FirmFactsT>(r.firm_facts, {}), name: r.name, timezone: r.timezone });

/** The firm's facts and recording setting in one read; null for an unknown tenant. */
export async function callerFactsOf(db: Db, tenantId: number): Promise<CallerFacts | null> {
  const r = (await db('tenants').where({ id: tenantId }).first('name', 'timezone', 'firm_facts', 'recording')) as
    | { name: string; timezone: string; firm_facts: unknown; recording: unknown }
    | undefined;
  return r ? { facts: factsOfRow(r), settings: { recording: r.recording === 'on' } } : null;
}

/**
 * Checks and stores a change to the firm's facts: fields given replace the stored ones, an empty value ("" or [])
 * clears one so the flow's default applies again. Throws FirmFactsError listing every problem; nothing is stored then.
 */
export async function updateFirmFacts(db: Db, tenantId: number, patch: Record<string, unknown>): Promise<FirmFactsT> {
  const { facts, problems } = checkFirmFacts(patch);
  if (problems.length) throw new FirmFactsError(problems);
  const r = (await db('tenants').where({ id: tenantId }).first('firm_facts')) as { firm_facts: unknown } | undefined;
  if (!r) throw new FirmFactsError([`no firm with id ${tenantId}`]);
  const { name, timezone, ...rest } = facts;
  const merged = presentFacts({ ...rowJson<FirmFactsT>(r.firm_facts, {}), ...rest });
  await db('tenants').where({ id: tenantId }).update({ firm_facts: JSON.stringify(merged), ...(name ? { name } : {}), ...(timezone ? { timezone } : {}) });
  return (await firmFactsOf(db, tenantId))!;
}
