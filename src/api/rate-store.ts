// @fastify/rate-limit's store interface over the shared database counters (db/shared-limits.ts): with several
// instances behind nginx, a client's requests count once wherever they land, instead of once per instance.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { SharedCounters } from '../db/shared-limits.js';

type RouteKeyed = { routeInfo?: { method?: string; url?: string }; method?: unknown; url?: unknown };

export function sharedRateLimitStore(counters: SharedCounters): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = 'rl:',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      counters.hit(this.prefix + key, timeWindow).then(
        (r) => callback(null, { current: r.count, ttl: r.ttlMs }),
        (err: Error) => callback(err),
      );
    }

    /** A route with its own limit (login, password change) counts apart from the global one. */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const r = routeOptions as unknown as RouteKeyed;
      const method = r.routeInfo?.method ?? String(r.method);
      const url = r.routeInfo?.url ?? String(r.url);
      return new SharedStore(undefined, `${this.prefix}${method}${url}:`);
    }
  }
  return SharedStore;
}
