// The set-up every repository suite repeated: a fresh migrated database of the kind under test with one firm in it,
// made before the suite and destroyed after it. Used inside describeEachDb(...), which gives the kind.
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/db/knex.js';
import { seedTenant } from '../integrations/helpers.js';
import { createTestDb, type TestDb, type TestDbKind } from './db.js';

export interface FirmDb {
  readonly db: Db;
  readonly url: string;
  /** The firm seeded in it. */
  readonly tenantId: number;
}

/** Registers the suite's beforeAll/afterAll; the fields are there once the suite's tests run. */
export function firmDb(kind: TestDbKind): FirmDb {
  let made: { t: TestDb; tenantId: number } | undefined;
  beforeAll(async () => {
    const t = await createTestDb(kind);
    made = { t, tenantId: await seedTenant(t.db) };
  });
  afterAll(async () => made?.t.destroy());
  const get = () => {
    if (!made) throw new Error('firmDb: read before the suite started (use it inside tests or hooks)');
    return made;
  };
  return {
    get db() { return get().t.db; },
    get url() { return get().t.url; },
    get tenantId() { return get().tenantId; },
  };
}
