// The call path's recorder keeps one slot write in flight per call: slots committed meanwhile (the session does not
// wait for them) are merged into the next write, so a lagging database sees one transaction per call at a time
// instead of a queue of them; nothing committed is lost, the last commit of a slot wins, and end() waits for them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.js';
import { createIntakeRecorder, createIntakeStore } from '../../src/intake/intakes-repo.js';
import { seedCall, seedTenant } from '../integrations/helpers.js';

describeEachDb('intake recorder, slot writes per call on %s', (kind) => {
  let t: TestDb;
  let tenantId: number;
  let begins = 0;
  beforeAll(async () => {
    t = await createTestDb(kind);
    tenantId = await seedTenant(t.db);
    t.db.on('query', (q: { sql?: string }) => {
      if (/^begin/i.test(q.sql ?? '')) begins++;
    });
  });
  afterAll(async () => t?.destroy());

  it('merges slots committed while a write is in flight into one more transaction, the last commit of a slot winning', async () => {
    const rec = createIntakeRecorder(t.db);
    const sid = await seedCall(t.db, tenantId);
    const before = begins;
    const writes = [
      rec.slot(sid, 'caller_name', 'Ann Lee', false),
      rec.slot(sid, 'caller_name', 'Ann Lee', true, true),
      rec.slot(sid, 'callback_phone', '+13125550142', true),
      rec.slot(sid, 'opposing_party', 'Acme', false),
      rec.slot(sid, 'opposing_party', 'Acme Trucking', false),
    ];
    await Promise.all(writes);
    // The first slot alone, then the four committed while it was written, together.
    expect(begins - before).toBe(2);
    const i = (await createIntakeStore(t.db).byCall(sid))!;
    expect(i.slots).toEqual({ caller_name: 'Ann Lee', callback_phone: '+13125550142', opposing_party: 'Acme Trucking' });
    expect(i.confirmedSlots.sort()).toEqual(['callback_phone', 'caller_name']);
    expect(i.readBackSlots).toEqual(['caller_name']);
  });

  it('end() waits for the slot writes still queued, so their confirmations are kept in the settled intake', async () => {
    const rec = createIntakeRecorder(t.db);
    const sid = await seedCall(t.db, tenantId);
    void rec.slot(sid, 'caller_name', 'Bo Diaz', false);
    void rec.slot(sid, 'caller_name', 'Bo Diaz', true);
    void rec.slot(sid, 'email', 'bo@example.com', true);
    await rec.end(sid, null, { caller_name: 'Bo Diaz', email: 'bo@example.com' });
    expect(await createIntakeStore(t.db).byCall(sid)).toMatchObject({ status: 'abandoned', callerName: 'Bo Diaz', email: 'bo@example.com' });
    expect((await createIntakeStore(t.db).byCall(sid))!.confirmedSlots.sort()).toEqual(['caller_name', 'email']);
  });

  it('a failed write rejects the commits merged into it and the next commits still go through', async () => {
    const rec = createIntakeRecorder(t.db);
    const unknown = `CA${'f'.repeat(32)}`;
    // No call row: the intake cannot be created, so the write fails.
    await expect(rec.slot(unknown, 'caller_name', 'Cy Park', true)).rejects.toThrow();
    const sid = await seedCall(t.db, tenantId);
    await rec.slot(sid, 'caller_name', 'Cy Park', true);
    expect((await createIntakeStore(t.db).byCall(sid))!.slots).toEqual({ caller_name: 'Cy Park' });
  });
});
