// Issue 10: a value the caller heard read back and confirmed is marked so in the intake (read_back_slots), apart from
// values accepted without a read-back; the admin API and the Clio note show which ones. The marks come from the
// conversation core's own commands (intake/read-backs.ts), the way a live call's session feeds them to the recorder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, tokenFor, type ApiWorld } from '../api/helpers.js';
import { createConversation, loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import type { Command } from '../../src/flows/commands.js';
import { loadBundle, summaryText } from '../../src/integrations/bundle.js';
import { ReadBackWatch } from '../../src/intake/read-backs.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { seedCall } from '../integrations/helpers.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('test/simulate/fixtures/score-flow.yaml');
});

/** The slot commands of a short call (name taken silently, phone read back), each with the watch's verdict. */
async function slotsOf(answers: string[]): Promise<{ name: string; value: unknown; confirmed: boolean; readBack: boolean }[]> {
  const core = createConversation(flow, { callSid: 'CAREADBACK', from: '+13125550111', to: '+13125550100', startedAt: new Date('2026-12-01T16:00:00Z'), channel: 'simulate' }, { reasoner: createOfflineReasoner(), now: () => new Date('2026-12-01T16:00:00Z') });
  const watch = new ReadBackWatch();
  const out: { name: string; value: unknown; confirmed: boolean; readBack: boolean }[] = [];
  const see = (cmds: Command[]) => {
    for (const c of cmds) {
      const r = watch.see(c);
      if (c.type === 'slot') out.push({ name: c.name, value: c.value, confirmed: c.confirmed, readBack: r });
    }
  };
  see(await core.start());
  for (const text of answers) see(await core.handle({ type: 'utterance', text, alternatives: [{ text, confidence: 0.95 }], confidence: 0.95, final: true }));
  return out;
}

describe('telling read-backs from the commands', () => {
  it('marks the phone the caller confirmed, not the name accepted without a read-back', async () => {
    expect(await slotsOf(['Ana Ruiz', '312 555 0111', 'yes'])).toEqual([
      { name: 'caller_name', value: 'Ana Ruiz', confirmed: true, readBack: false },
      { name: 'callback_phone', value: '+13125550111', confirmed: true, readBack: true },
    ]);
  });

  it('a rejected read-back marks nothing; the corrected number confirmed in its own read-back is marked', async () => {
    const slots = await slotsOf(['Ana Ruiz', '312 555 0111', 'no, it is 312 555 0199', 'yes']);
    expect(slots.filter((s) => s.name === 'callback_phone').at(-1)).toEqual({ name: 'callback_phone', value: '+13125550199', confirmed: true, readBack: true });
  });
});

describeEachDb('read-back marks in the record on %s', (kind) => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await apiWorld(kind);
  });
  afterAll(async () => w?.close());

  it('are stored, dropped when the value changes unheard, shown by the admin API and in the Clio note', async () => {
    const store = createIntakeStore(w.tdb.db);
    const sid = await seedCall(w.tdb.db, w.firmA.id);
    await store.slot(sid, 'caller_name', 'Ana Ruiz', true);
    await store.slot(sid, 'callback_phone', '+13125550111', true, true);
    await store.slot(sid, 'incident_date', '2026-11-03', true, true);
    await store.slot(sid, 'incident_date', '2026-11-04', true);
    const i = (await store.byCall(sid))!;
    expect(i.confirmedSlots.sort()).toEqual(['callback_phone', 'caller_name', 'incident_date']);
    expect(i.readBackSlots).toEqual(['callback_phone']);
    await store.end(sid, 'completed', i.slots);
    expect((await store.byCall(sid))!.readBackSlots).toEqual(['callback_phone']);

    const token = await tokenFor(w.app, w.firmA.users.owner.email);
    const res = await w.app.inject({ method: 'GET', url: `/api/intakes/${i.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ confirmedSlots: expect.arrayContaining(['caller_name', 'callback_phone']), readBackSlots: ['callback_phone'] });
    expect(summaryText(await loadBundle(w.tdb.db, i.id))).toContain('Read back to the caller and confirmed: callback phone');
  });
});
