// Limits that several HERMES instances must agree on, kept in the shared database (PostgreSQL when there are several
// instances): a fixed-window counter per key (the admin API's rate limits, through @fastify/rate-limit's store
// interface) and a sliding log per key (a request budget such as Clio's per firm). Each operation is one short
// transaction; on PostgreSQL a budget key is serialised with a transaction-scoped advisory lock, so two instances
// never both take the last request of a window.
import type { Db } from './knex.js';

export interface SharedCounters {
  /** Counts one hit on `key` in its current window of `windowMs`: the count so far and the ms left in the window. */
  hit(key: string, windowMs: number, now?: number): Promise<{ count: number; ttlMs: number }>;
}

export interface SharedBudget {
  /** Takes one request of `limit` per sliding `windowMs` on `key`: 0 when taken, else how long until one frees up. */
  take(key: string, limit: number, windowMs: number, now?: number): Promise<number>;
}

const toNumber = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function createSharedCounters(db: Db): SharedCounters {
  let sweptAt = 0;
  return {
    async hit(key, windowMs, now = Date.now()) {
      const k = key.slice(0, 300);
      const row = await db.transaction(async (trx) => {
        await trx('shared_counters')
          .insert({ key: k, count: 1, reset_at: now + windowMs })
          .onConflict('key')
          .merge({
            count: trx.raw('case when shared_counters.reset_at <= ? then 1 else shared_counters.count + 1 end', [now]),
            reset_at: trx.raw('case when shared_counters.reset_at <= ? then ? else shared_counters.reset_at end', [now, now + windowMs]),
          });
        return (await trx('shared_counters').where({ key: k }).first('count', 'reset_at')) as { count: unknown; reset_at: unknown } | undefined;
      });
      // Expired windows are deleted now and then, not on every request.
      if (now - sweptAt > 60_000) {
        sweptAt = now;
        void db('shared_counters').where('reset_at', '<', now - 60_000).delete().catch(() => undefined);
      }
      return { count: toNumber(row?.count ?? 1), ttlMs: Math.max(0, toNumber(row?.reset_at ?? now + windowMs) - now) };
    },
  };
}

export function createSharedBudget(db: Db): SharedBudget {
  const pg = db.client.config.client === 'pg';
  return {
    async take(key, limit, windowMs, now = Date.now()) {
      const k = key.slice(0, 200);
      return db.transaction(async (trx) => {
        if (pg) await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`hermes-budget:${k}`]);
        await trx('shared_budget_events').where({ key: k }).where('at', '<=', now - windowMs).delete();
        const rows = (await trx('shared_budget_events').where({ key: k }).orderBy('at').limit(limit).select('at')) as { at: unknown }[];
        if (rows.length < limit) {
          await trx('shared_budget_events').insert({ key: k, at: now });
          return 0;
        }
        return Math.max(1, toNumber(rows[0]!.at) + windowMs - now);
      });
    },
  };
}

/**
 * The shared stores where several instances can run (PostgreSQL), null on SQLite: one process owns an SQLite file,
 * its own memory is shared enough, and a write per request would sit on the call path's thread.
 */
export function sharedLimitsFor(db: Db): { counters: SharedCounters; budget: SharedBudget } | null {
  return db.client.config.client === 'pg' ? { counters: createSharedCounters(db), budget: createSharedBudget(db) } : null;
}
