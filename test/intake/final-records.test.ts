// Records are final once final: the first end of a call and of its intake wins over every later writer (a socket
// closing after the status callback, a replayed start's session ending, the stale sweep, a second status callback).
import { expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { firmDb } from '../helpers/firm-db.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { createCallsRepo } from '../../src/intake/calls-repo.js';
import { seedCall } from '../integrations/helpers.js';

describeEachDb('final records on %s', (kind) => {
  const t = firmDb(kind);

  it('late socket close / replayed start: a second end() leaves a complete intake complete', async () => {
    const store = createIntakeStore(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await store.slot(sid, 'caller_name', 'Ann Lee', true);
    await store.end(sid, 'completed', { caller_name: 'Ann Lee' });
    const done = await store.byCall(sid);
    await store.end(sid, 'abandoned', {});
    await store.end(sid, null, { caller_name: 'Mallory' });
    await store.slot(sid, 'caller_name', 'Mallory', true);
    expect(await store.byCall(sid)).toEqual(done);
    expect(done!.status).toBe('complete');
  });

  it('sweep: abandonStale never touches a settled intake', async () => {
    const store = createIntakeStore(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await store.slot(sid, 'caller_name', 'Bo', true);
    await store.end(sid, 'message', { caller_name: 'Bo' }); // partial (no phone) but settled: outcome message
    const before = await store.byCall(sid);
    await store.abandonStale(new Date(Date.now() + 3600_000));
    expect(await store.byCall(sid)).toEqual(before);
  });

  it('status callback and late session end: first final status and first outcome win', async () => {
    const calls = createCallsRepo(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    const t1 = new Date('2026-12-01T10:00:00Z');
    expect(await calls.recordStatus(sid, 'completed', 42, t1)).toBe(true);
    await calls.finish({ callSid: sid, outcome: 'completed', reason: 'flow ended', endedAt: new Date('2026-12-01T10:00:05Z') });
    const first = await calls.get(sid);
    expect(first).toMatchObject({ status: 'completed', outcome: 'completed', durationS: 42 });
    expect(first!.endedAt!.getTime()).toBe(t1.getTime());
    // a late close of a replayed socket, and a second callback
    await calls.finish({ callSid: sid, outcome: 'abandoned', reason: 'stream closed without stop', endedAt: new Date() });
    expect(await calls.recordStatus(sid, 'failed', 0, new Date())).toBe(true);
    expect(await calls.get(sid)).toEqual(first);
    expect(await calls.recordStatus('CAunknown', 'completed', 1, new Date())).toBe(false);
  });

  it('an ended call cannot be claimed by a stream', async () => {
    const calls = createCallsRepo(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await calls.finish({ callSid: sid, outcome: 'completed', reason: 'done', endedAt: new Date() });
    expect(await calls.claimStream(sid, 'MZ1', new Date())).toBeNull();
    const live = await seedCall(t.db, t.tenantId);
    expect(await calls.claimStream(live, 'MZ2', new Date())).not.toBeNull();
    expect(await calls.claimStream(live, 'MZ3', new Date())).toBeNull();
  });
});
