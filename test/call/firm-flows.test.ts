// The call path's one way to a firm's tenant row: facts laid over the flow and the recording setting come from the
// same cached read, so a call start reads its firm at most once per TTL and an edit reaches callers after it.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFirmFlows } from '../../src/call/firm-flows.js';
import type { LoadedFlow } from '../../src/flows/core.js';
import { CompiledFlow, loadFlow } from '../../src/flows/index.js';
import type { CallerFacts } from '../../src/intake/firm-facts-repo.js';

const FLOW = resolve('test/call/fixtures/firm-facts.yaml');
const nameOf = (f: LoadedFlow) => (f instanceof CompiledFlow ? f.program.firm.name : null);

function firm(record: () => CallerFacts | null | Error, ttlMs = 15_000) {
  let t = 0;
  const reads: number[] = [];
  const warmed: LoadedFlow[] = [];
  const view = createFirmFlows({
    factsOf: async (id) => {
      reads.push(id);
      const r = record();
      if (r instanceof Error) throw r;
      return r;
    },
    ttlMs,
    onNewFlow: (f) => warmed.push(f),
    now: () => t,
  });
  return { view, reads, warmed, advance: (ms: number) => (t += ms) };
}

describe('firm flows', () => {
  it('gives the facts and the recording setting from one read, reused within the TTL and read again after it', async () => {
    const flow = await loadFlow(FLOW);
    let rec: CallerFacts = { facts: { name: 'Okafor Law' }, settings: { recording: true } };
    const f = firm(() => rec);
    const first = await f.view(flow, 7);
    expect([nameOf(first.flow), first.firm]).toEqual(['Okafor Law', { recording: true }]);
    rec = { facts: { name: 'Okafor Law' }, settings: { recording: false } };
    expect((await f.view(flow, 7)).firm).toEqual({ recording: true });
    expect(f.reads).toEqual([7]);
    f.advance(15_000);
    const later = await f.view(flow, 7);
    expect(later.firm).toEqual({ recording: false });
    expect(f.reads).toEqual([7, 7]);
    // Only the recording setting changed: the same overlay, its prompts not warmed again.
    expect(later.flow).toBe(first.flow);
    expect(f.warmed).toEqual([first.flow]);
  });

  it('a call with no firm, or an unknown one, hears the flow and is not recorded', async () => {
    const flow = await loadFlow(FLOW);
    const f = firm(() => null);
    expect(await f.view(flow, null)).toEqual({ flow, firm: { recording: false } });
    expect(await f.view(flow, 9)).toEqual({ flow, firm: { recording: false } });
    expect(f.reads).toEqual([9]);
  });

  it('a failed read gives no firm facts and is not cached: the next call asks again', async () => {
    const flow = await loadFlow(FLOW);
    let fail = true;
    const f = firm(() => (fail ? new Error('database away') : { facts: { name: 'Back Law' }, settings: { recording: true } }));
    expect(await f.view(flow, 3)).toEqual({ flow, firm: null, readError: 'database away' });
    fail = false;
    const next = await f.view(flow, 3);
    expect([nameOf(next.flow), next.firm]).toEqual(['Back Law', { recording: true }]);
    expect(f.reads).toEqual([3, 3]);
  });
});
