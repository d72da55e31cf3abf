import { afterAll, describe, expect, it } from 'vitest';
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
