// Integration secrets per firm (integration_credentials): the secret JSON encrypted with AES-256-GCM (crypto.ts),
// non-secret settings in meta (e.g. Clio target "grow", a Zapier hook, a LawPay account id). Nothing here logs secrets.
import type { Db } from '../db/knex.js';
import { rowDate, rowJson } from '../intake/rows.js';
import { decryptSecret, encryptSecret, parseKey } from './crypto.js';
import { configError } from './errors.js';

export interface StoredCredential<T> {
  secret: T;
  meta: Record<string, unknown>;
  expiresAt: Date | null;
}

export interface CredentialStore {
  get<T>(tenantId: number, provider: string): Promise<StoredCredential<T> | null>;
  /** Non-secret settings only; works without ENCRYPTION_KEY. */
  meta(tenantId: number, provider: string): Promise<Record<string, unknown> | null>;
  put<T>(tenantId: number, provider: string, secret: T, opts?: { meta?: Record<string, unknown>; expiresAt?: Date | null }): Promise<void>;
}

const aad = (tenantId: number, provider: string) => `hermes:${tenantId}:${provider}`;

export function createCredentialStore(db: Db, encryptionKey: string | null, now: () => Date = () => new Date()): CredentialStore {
  const key = () => {
    if (!encryptionKey) throw configError('credentials', 'ENCRYPTION_KEY is not set, so integration secrets cannot be stored or read');
    return parseKey(encryptionKey);
  };
  return {
    async get<T>(tenantId: number, provider: string) {
      const r = (await db('integration_credentials').where({ tenant_id: tenantId, provider }).first()) as Record<string, unknown> | undefined;
      if (!r) return null;
      const secret = JSON.parse(decryptSecret(key(), String(r.secret_enc), aad(tenantId, provider))) as T;
      return { secret, meta: rowJson<Record<string, unknown>>(r.meta, {}), expiresAt: rowDate(r.expires_at) };
    },
    async meta(tenantId, provider) {
      const r = (await db('integration_credentials').where({ tenant_id: tenantId, provider }).first('meta')) as { meta: unknown } | undefined;
      return r ? rowJson<Record<string, unknown>>(r.meta, {}) : null;
    },
    async put(tenantId, provider, secret, opts = {}) {
      const enc = encryptSecret(key(), JSON.stringify(secret), aad(tenantId, provider));
      const t = now();
      const row: Record<string, unknown> = { secret_enc: enc, updated_at: t, expires_at: opts.expiresAt ?? null };
      if (opts.meta) row.meta = JSON.stringify(opts.meta);
      const n = await db('integration_credentials').where({ tenant_id: tenantId, provider }).update(row);
      if (Number(n) === 0) {
        await db('integration_credentials')
          .insert({ tenant_id: tenantId, provider, meta: JSON.stringify(opts.meta ?? {}), created_at: t, ...row })
          .onConflict(['tenant_id', 'provider'])
          .merge(row);
      }
    },
  };
}
