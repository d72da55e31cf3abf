import { afterAll, expect, it } from 'vitest';
import { createCallsRepo } from '../../src/intake/calls-repo.js';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.js';

describeEachDb('calls repository on %s', (kind) => {
  let t: TestDb;
  afterAll(async () => t?.destroy());

  it('stores turns with a card number the caller read out redacted', async () => {
    t = await createTestDb(kind);
    const repo = createCallsRepo(t.db);
    const now = new Date('2026-11-26T10:00:00Z');
    await repo.create({ callSid: 'CA1', tenantId: null, from: '+13125550142', to: '+13125550100', flowId: 'intake', flowVersion: '1', startedAt: now });
    await repo.addTurn({
      callSid: 'CA1', seq: 1, speaker: 'caller', text: 'my card is 4111 1111 1111 1111 thanks', heardText: null,
      interrupted: false, startedAt: now, endedAt: now, timings: null,
    });
    const [turn] = await repo.turns('CA1');
    expect(turn?.text).not.toMatch(/4111/);
    expect(turn?.text).toMatch(/^my card is .+ thanks$/);
  });
});

describeEachDb('calls are final once final on %s', (kind) => {
  let t: TestDb;
  afterAll(async () => t?.destroy());

  it('a second finish (late socket close, replayed start) and a retried status callback change nothing', async () => {
    t = await createTestDb(kind);
    const repo = createCallsRepo(t.db);
    const at = new Date('2026-11-26T10:00:00Z');
    await repo.create({ callSid: 'CAfinal', tenantId: null, from: '+13125550142', to: '+13125550100', flowId: 'intake', flowVersion: '1', startedAt: at });
    await repo.finish({ callSid: 'CAfinal', outcome: 'completed', reason: 'flow ended', endedAt: new Date(at.getTime() + 60_000) });
    await repo.finish({ callSid: 'CAfinal', outcome: null, reason: 'stream closed without stop', endedAt: new Date(at.getTime() + 90_000) });
    expect(await repo.recordStatus('CAfinal', 'completed', 61, new Date(at.getTime() + 62_000))).toBe(true);
    expect(await repo.recordStatus('CAfinal', 'failed', 999, new Date(at.getTime() + 99_000))).toBe(true);
    const c = await repo.get('CAfinal');
    expect(c).toMatchObject({ outcome: 'completed', endReason: 'flow ended', status: 'completed', durationS: 61 });
    expect(c!.endedAt!.getTime()).toBe(at.getTime() + 60_000);
    expect(await repo.recordStatus('CAnobody', 'completed', 1, at)).toBe(false);
  });
});
