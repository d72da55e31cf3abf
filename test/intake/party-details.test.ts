// Issue 10: a party slot's parties (each name, the caller's relationship to them, the caller's words) are kept with
// the intake beside the value, which holds the names only; the admin API's intake JSON and the webhook payload carry
// them, a value that changes without them drops them, and the end of the call keeps them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, tokenFor, type ApiWorld } from '../api/helpers.js';
import { intakePayload, loadBundle, summaryText } from '../../src/integrations/bundle.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { seedCall } from '../integrations/helpers.js';

const said = 'my husband, arjun raman, and his girlfriend Lisa Park';
const parties = [{ name: 'Arjun Raman', relationship: 'husband', phrase: said }, { name: 'Lisa Park', relationship: 'girlfriend', phrase: said }];

describeEachDb('party details in the intake record on %s', (kind) => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await apiWorld(kind);
  });
  afterAll(async () => w?.close());

  it('are stored with the value, shown by GET /api/intakes/{id}, in the webhook payload and under the slot in the note', async () => {
    const store = createIntakeStore(w.tdb.db);
    const sid = await seedCall(w.tdb.db, w.firmA.id);
    await store.slot(sid, 'caller_name', 'Priya Raman', true);
    await store.slot(sid, 'opposing_party', 'Arjun Raman; Lisa Park', true, true, parties);
    // The same value again without details (end of call, an effect writing slots) keeps them.
    await store.slot(sid, 'opposing_party', 'Arjun Raman; Lisa Park', true);
    const i = (await store.byCall(sid))!;
    await store.end(sid, 'completed', i.slots);
    expect((await store.byCall(sid))!.parties).toEqual({ opposing_party: parties });

    const token = await tokenFor(w.app, w.firmA.users.owner.email);
    const res = await w.app.inject({ method: 'GET', url: `/api/intakes/${i.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.slots.opposing_party).toBe('Arjun Raman; Lisa Park');
    expect(body.parties).toEqual({ opposing_party: parties });

    const b = await loadBundle(w.tdb.db, i.id);
    const payload = intakePayload(b, 'intake.completed', 'k1') as { intake: Record<string, unknown> };
    expect(payload.intake.parties).toEqual({ opposing_party: parties });
    expect(payload.intake.slots).toMatchObject({ opposing_party: 'Arjun Raman; Lisa Park' });
    expect(summaryText(b)).toContain(['  opposing party: Arjun Raman; Lisa Park', '    - Arjun Raman, husband', '    - Lisa Park, girlfriend', `    Caller's words: "${said}"`].join('\n'));
  });

  it('are dropped when the value changes without them, and an intake without parties shows {}', async () => {
    const store = createIntakeStore(w.tdb.db);
    const sid = await seedCall(w.tdb.db, w.firmA.id);
    await store.slot(sid, 'opposing_party', 'Arjun Raman; Lisa Park', false, false, parties);
    await store.slot(sid, 'opposing_party', 'Ravi Menon', true);
    const i = (await store.byCall(sid))!;
    expect(i.parties).toEqual({});
    const token = await tokenFor(w.app, w.firmA.users.owner.email);
    const res = await w.app.inject({ method: 'GET', url: `/api/intakes/${i.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.json().parties).toEqual({});
    expect(summaryText(await loadBundle(w.tdb.db, i.id))).not.toContain('Caller\'s words');
  });
});
