// Each firm's view of a flow: the firm's facts (read from the tenant record, cached briefly so a busy number does not
// read them on every call, yet an edit through the CLI or another instance reaches callers within the TTL, and one
// through this instance's admin API at once, by `forget`) laid over the
// flow's `firm:` block, and the firm's settings facts (recording) that ride with the call as CallFacts.firm. Both come
// from the one cached read, so a call start asks the database for its firm at most once per TTL. The overlaid flow is
// kept per flow and per set of facts, so its fixed prompts (which speak the firm's name) are warmed once; a change of
// the recording setting alone makes no new overlay (no prompt speaks it).
import type { FirmSettingsFacts, LoadedFlow } from '../flows/core.js';
import { withFirmFacts, type FirmFactsT } from '../flows/firm-facts.js';
import type { CallerFacts } from '../intake/firm-facts-repo.js';

export interface FirmFlowOptions {
  /** The firm's record, or null for an unknown tenant. */
  factsOf(tenantId: number): Promise<CallerFacts | null>;
  /** How long a firm's facts are reused before they are read again, ms. */
  ttlMs: number;
  /** Called once for each new overlaid flow (the prompt cache warms its prompts). */
  onNewFlow?(flow: LoadedFlow): void;
  now?: () => number;
}

/**
 * What a call of this firm runs: the flow as its callers hear it, and the settings facts for CallFacts.firm. `firm`
 * is null only when the tenant could not be read (the call then goes on with the flow's defaults, not recorded).
 */
export interface FirmView {
  flow: LoadedFlow;
  firm: FirmSettingsFacts | null;
  /** Why the tenant could not be read (with firm null), for the call's log. */
  readError?: string;
}

export interface FirmFlows {
  (flow: LoadedFlow, tenantId: number | null): Promise<FirmView>;
  /** Drops a firm's cached record (its facts or settings were just changed here): the next call reads them again. */
  forget(tenantId: number): void;
}

/** A firm with no tenant, or an unknown one, does not record: the disclosure never claims it. */
const NOT_RECORDED: FirmSettingsFacts = Object.freeze({ recording: false });

/** Overlays kept per flow; a firm that keeps editing its facts pushes the oldest out. */
const PER_FLOW_MAX = 16;

export function createFirmFlows(o: FirmFlowOptions): FirmFlows {
  const now = o.now ?? Date.now;
  const records = new Map<number, { at: number; value: Promise<CallerFacts | null> }>();
  const overlays = new WeakMap<LoadedFlow, Map<string, LoadedFlow>>(); // weak: an evicted flow takes its overlays along

  const recordFor = (tenantId: number) => {
    const hit = records.get(tenantId);
    if (hit && now() - hit.at < o.ttlMs) return hit.value;
    const value = o.factsOf(tenantId);
    records.set(tenantId, { at: now(), value });
    // A failed read is not cached: the next call asks again (and this one hears the flow's defaults).
    value.catch(() => records.delete(tenantId));
    return value;
  };

  const overlay = (flow: LoadedFlow, f: FirmFactsT): LoadedFlow => {
    const key = JSON.stringify(f);
    let byFacts = overlays.get(flow);
    if (!byFacts) overlays.set(flow, (byFacts = new Map()));
    let view = byFacts.get(key);
    if (!view) {
      view = withFirmFacts(flow, f);
      byFacts.set(key, view);
      while (byFacts.size > PER_FLOW_MAX) byFacts.delete(byFacts.keys().next().value!);
      if (view !== flow) o.onNewFlow?.(view);
    }
    return view;
  };

  const view = async (flow: LoadedFlow, tenantId: number | null): Promise<FirmView> => {
    if (tenantId === null) return { flow, firm: NOT_RECORDED };
    let record: CallerFacts | null;
    try {
      record = await recordFor(tenantId);
    } catch (err) {
      return { flow, firm: null, readError: (err as Error).message };
    }
    if (!record) return { flow, firm: NOT_RECORDED };
    return { flow: overlay(flow, record.facts), firm: record.settings };
  };
  return Object.assign(view, { forget: (tenantId: number) => void records.delete(tenantId) });
}
