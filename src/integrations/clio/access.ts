// Per-firm access to Clio: a client per tenant sharing one request budget, the delivery target (Manage, or the
// Clio Grow lead inbox when the firm's clio meta says target "grow" or only Grow is connected), and the practice-area
// lookup by name, cached for the life of the process (practice areas rarely change; a miss is cached too).
import type { Clock } from '../clock.js';
import type { CredentialStore } from '../credentials.js';
import { configError } from '../errors.js';
import { RateLimiter, CLIO_RATE_LIMIT, type RateLimitSettings } from '../rate-limit.js';
import type { SharedBudget } from '../../db/shared-limits.js';
import { ClioClient, type ClioListPage } from './client.js';
import type { ClioOAuthConfig } from './oauth.js';

export const GROW_BASE_URL = 'https://grow.clio.com';

export type ClioTarget = { kind: 'manage' } | { kind: 'grow'; inboxLeadToken: string; baseUrl: string };

export interface ClioAccess {
  client(tenantId: number): ClioClient;
  target(tenantId: number): Promise<ClioTarget>;
  practiceAreaId(tenantId: number, name: string, signal?: AbortSignal): Promise<number | null>;
}

export function createClioAccess(o: {
  cfg: ClioOAuthConfig; creds: CredentialStore; clock: Clock; rateLimit?: RateLimitSettings; requestTimeoutMs?: number;
  /** The request budget per firm shared by every instance (PostgreSQL); absent: this process's own. */
  budget?: SharedBudget | null;
}): ClioAccess {
  const limiter = new RateLimiter('clio', o.clock, o.rateLimit ?? CLIO_RATE_LIMIT, o.budget ?? null);
  const clients = new Map<number, ClioClient>();
  const areas = new Map<string, Promise<number | null>>();
  const access: ClioAccess = {
    client(tenantId) {
      let c = clients.get(tenantId);
      if (!c) clients.set(tenantId, (c = new ClioClient(tenantId, o.cfg, o.creds, limiter, o.clock, o.requestTimeoutMs)));
      return c;
    },
    async target(tenantId) {
      const manageMeta = await o.creds.meta(tenantId, 'clio');
      const growMeta = await o.creds.meta(tenantId, 'clio_grow');
      if (growMeta && (manageMeta === null || manageMeta.target === 'grow')) {
        const grow = await o.creds.get<{ inboxLeadToken: string }>(tenantId, 'clio_grow');
        if (!grow?.secret.inboxLeadToken) throw configError('clio', 'Clio Grow is selected but has no inbox lead token');
        return { kind: 'grow', inboxLeadToken: grow.secret.inboxLeadToken, baseUrl: typeof growMeta.baseUrl === 'string' ? growMeta.baseUrl : GROW_BASE_URL };
      }
      return { kind: 'manage' };
    },
    practiceAreaId(tenantId, name, signal) {
      const key = `${tenantId}:${name.toLowerCase()}`;
      // The promise is cached, so deliveries running side by side share one lookup; a failed lookup is forgotten.
      let p = areas.get(key);
      if (!p) {
        p = access
          .client(tenantId)
          .get<ClioListPage<{ id: number; name: string }>>('practice_areas.json', { query: { name, fields: 'id,name', limit: 200 }, signal })
          .then((page) => (page.data ?? []).find((a) => a.name.toLowerCase() === name.toLowerCase())?.id ?? null);
        areas.set(key, p);
        p.catch(() => areas.delete(key));
      }
      return p;
    },
  };
  return access;
}
