// Each firm's view of a flow: the firm's facts (read from the tenant record, cached briefly so a busy number does not
// read them on every call, yet an edit through the CLI or admin API reaches callers within the TTL) laid over the
// flow's `firm:` block. The overlaid flow is kept per flow and per set of facts, so its fixed prompts (which speak the
// firm's name) are warmed once.
import type { LoadedFlow } from '../flows/core.js';
import { withFirmFacts, type FirmFactsT } from '../flows/firm-facts.js';

export interface FirmFlowOptions {
  factsOf(tenantId: number): Promise<FirmFactsT | null>;
  /** How long a firm's facts are reused before they are read again, ms. */
  ttlMs: number;
  /** Called once for each new overlaid flow (the prompt cache warms its prompts). */
  onNewFlow?(flow: LoadedFlow): void;
  now?: () => number;
}

/** Overlays kept per flow; a firm that keeps editing its facts pushes the oldest out. */
const PER_FLOW_MAX = 16;

export function createFirmFlows(o: FirmFlowOptions): (flow: LoadedFlow, tenantId: number | null) => Promise<LoadedFlow> {
  const now = o.now ?? Date.now;
  const facts = new Map<number, { at: number; value: Promise<FirmFactsT | null> }>();
  const overlays = new WeakMap<LoadedFlow, Map<string, LoadedFlow>>(); // weak: an evicted flow takes its overlays along

  const factsFor = (tenantId: number) => {
    const hit = facts.get(tenantId);
    if (hit && now() - hit.at < o.ttlMs) return hit.value;
    const value = o.factsOf(tenantId);
    facts.set(tenantId, { at: now(), value });
    // A failed read is not cached: the next call asks again (and this one hears the flow's defaults).
    value.catch(() => facts.delete(tenantId));
    return value;
  };

  return async (flow, tenantId) => {
    if (tenantId === null) return flow;
    const f = await factsFor(tenantId).catch(() => null);
    if (!f) return flow;
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
}
