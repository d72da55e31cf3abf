// What any instance relies on to carry a call on: the snapshot is kept only for a live call, the after-stream plan
// is taken once whoever asks, a resume frees the stream claim only for a live call with a snapshot and within the
// limit, and a stream token minted before that release no longer claims the call.
import { expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { firmDb } from '../helpers/firm-db.js';
import { createCallsRepo } from '../../src/intake/calls-repo.js';
import { createCallResumeRepo } from '../../src/intake/call-resume-repo.js';
import { seedCall } from '../integrations/helpers.js';

describeEachDb('call resume records on %s', (kind) => {
  const t = firmDb(kind);

  it('keeps the latest snapshot of a live call and none written after the call ended', async () => {
    const repo = createCallResumeRepo(t.db);
    const calls = createCallsRepo(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    expect(await repo.snapshot(sid)).toBeNull();
    await repo.saveSnapshot(sid, { v: 1, step: 'a' }, new Date());
    await repo.saveSnapshot(sid, { v: 1, step: 'b' }, new Date());
    expect(await repo.snapshot(sid)).toEqual({ snapshot: { v: 1, step: 'b' }, resumes: 0 });
    await calls.finish({ callSid: sid, outcome: 'completed', reason: 'done', endedAt: new Date() });
    await repo.saveSnapshot(sid, { v: 1, step: 'c' }, new Date());
    expect((await repo.snapshot(sid))?.snapshot).toEqual({ v: 1, step: 'b' });
  });

  it('stores no card number a caller read out, wherever it sits in the snapshot', async () => {
    const repo = createCallResumeRepo(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await repo.saveSnapshot(sid, { v: 1, engine: { transcript: [{ speaker: 'caller', text: 'my card is 4111 1111 1111 1111' }], slots: { note: '4111111111111111' }, seq: 4111 } }, new Date());
    const text = JSON.stringify((await repo.snapshot(sid))?.snapshot);
    expect(text).not.toMatch(/4111 ?1111/);
    expect(text).toContain('[card number removed]');
    expect(text).toContain('"seq":4111');
  });

  it('hands the after-stream plan out once, to whichever of several requests comes first', async () => {
    const repo = createCallResumeRepo(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    expect(await repo.takeAfterStream(sid)).toBeNull();
    await repo.setAfterStream(sid, { dial: '+13125550100', lines: [] });
    const taken = await Promise.all([repo.takeAfterStream(sid), repo.takeAfterStream(sid), repo.takeAfterStream(sid)]);
    expect(taken.filter((p) => p !== null)).toEqual([{ dial: '+13125550100', lines: [] }]);
  });

  it('resumes a live call with a snapshot within the limit, and refuses a token minted before the release', async () => {
    const repo = createCallResumeRepo(t.db);
    const calls = createCallsRepo(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    const t0 = Date.now();
    expect(await calls.claimStream(sid, 'MZfirst', new Date(t0), { mintedAt: new Date(t0 - 10), instance: 'host-a:1' })).not.toBeNull();
    expect(await repo.beginResume(sid, new Date(t0 + 100), 2)).toBe(false); // no snapshot yet
    await repo.saveSnapshot(sid, { v: 1 }, new Date());
    expect(await repo.beginResume(sid, new Date(t0 + 100), 2)).toBe(true);
    // The first stream's token (minted before the release) cannot take the freed claim; a fresh one can, once.
    expect(await calls.claimStream(sid, 'MZreplay', new Date(t0 + 150), { mintedAt: new Date(t0 - 10) })).toBeNull();
    const fresh = await calls.claimStream(sid, 'MZsecond', new Date(t0 + 200), { mintedAt: new Date(t0 + 100), instance: 'host-b:2' });
    expect(fresh?.streamSid).toBe('MZsecond');
    expect(await calls.claimStream(sid, 'MZthird', new Date(t0 + 210), { mintedAt: new Date(t0 + 100) })).toBeNull();
    expect(await t.db('calls').where({ call_sid: sid }).first('instance', 'resumes')).toEqual({ instance: 'host-b:2', resumes: 1 });
    expect(await repo.beginResume(sid, new Date(t0 + 300), 2)).toBe(true);
    expect(await repo.beginResume(sid, new Date(t0 + 400), 2)).toBe(false); // the limit
    const ended = await seedCall(t.db, t.tenantId);
    await repo.saveSnapshot(ended, { v: 1 }, new Date());
    await calls.finish({ callSid: ended, outcome: 'abandoned', reason: 'caller hung up', endedAt: new Date() });
    expect(await repo.beginResume(ended, new Date(), 5)).toBe(false);
  });

  it('numbers a resumed transcript on from the turns already stored', async () => {
    const repo = createCallResumeRepo(t.db);
    const calls = createCallsRepo(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    expect(await repo.lastTurnSeq(sid)).toBe(0);
    for (const seq of [1, 2, 3]) await calls.addTurn({ callSid: sid, seq, speaker: 'agent', text: 'x', heardText: 'x', interrupted: false, startedAt: new Date(), endedAt: new Date(), timings: null });
    expect(await repo.lastTurnSeq(sid)).toBe(3);
  });
});
