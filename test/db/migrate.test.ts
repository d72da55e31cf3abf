import { afterAll, expect, it } from 'vitest';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.js';
import { migrateDown, migrationStatus } from '../../src/db/migrate.js';

describeEachDb('migrations on %s', (kind) => {
  let t: TestDb;
  afterAll(async () => t?.destroy());

  it('apply from nothing, report no pending, and roll back cleanly', async () => {
    t = await createTestDb(kind);
    const status = await migrationStatus(t.db);
    expect(status.pending).toEqual([]);
    expect(status.applied.length).toBeGreaterThan(0);
    expect(await t.db.schema.hasTable('intakes')).toBe(true);
    while ((await migrateDown(t.db)).length > 0) { /* roll everything back */ }
    expect(await t.db.schema.hasTable('calls')).toBe(false);
  });
});
