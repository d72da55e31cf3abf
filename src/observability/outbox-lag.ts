// The delivery lag Prometheus alerts on: how long the oldest outbox row that is due (pending, or claimed by a worker)
// has waited since it was written. Read from the shared database at scrape time, so every instance reports the same
// lag whichever process delivers (in-process worker or `hermes worker`), and a stuck or absent worker shows as a
// growing number rather than as silence.
import type { Db } from '../db/knex.js';
import { rowDate } from '../intake/rows.js';

/** Seconds the oldest due, undelivered outbox row has waited (0 when none is due). */
export async function oldestDueOutboxAgeSeconds(db: Db, now: Date = new Date()): Promise<number> {
  const r = (await db('outbox')
    .whereIn('status', ['pending', 'in_flight'])
    .andWhere('next_attempt_at', '<=', now)
    .min({ at: 'created_at' })
    .first()) as { at: unknown } | undefined;
  const at = rowDate(r?.at ?? null);
  return at ? Math.max(0, (now.getTime() - at.getTime()) / 1000) : 0;
}
