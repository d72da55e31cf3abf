// Clio OAuth 2.0 authorization code: the consent link (state stored in oauth_states, single use, expiring - the
// CSRF guard), the code exchange at the callback, and refreshing an access token. Tokens are stored encrypted.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/knex.js';
import { isPostgres } from '../../db/knex.js';
import { rowDate } from '../../intake/rows.js';
import type { CredentialStore } from '../credentials.js';
import { configError, DeliveryError } from '../errors.js';
import { httpRequest } from '../http.js';

/** Where Clio sends the firm back after consent (same value as api/integrations.ts CLIO_CALLBACK_PATH). */
export const CLIO_CALLBACK_PATH = '/integrations/clio/callback';
export const OAUTH_STATE_TTL_MS = 10 * 60_000;
/** Refresh this long before the token's stated expiry, so a request never starts with a token about to die. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface ClioOAuthConfig {
  clioBaseUrl: string;
  clioClientId: string | null;
  clioClientSecret: string | null;
  publicUrl: string | null;
}

export interface ClioTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class OAuthStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthStateError';
  }
}

export function redirectUri(cfg: ClioOAuthConfig): string {
  if (!cfg.publicUrl) throw configError('clio', 'PUBLIC_URL is not set: Clio needs it for the OAuth redirect');
  return `${cfg.publicUrl}${CLIO_CALLBACK_PATH}`;
}

/** A fresh state for `tenantId` and the consent URL that carries it. */
export async function startClioConnect(db: Db, cfg: ClioOAuthConfig, tenantId: number, now: Date): Promise<{ url: string; state: string; expiresAt: Date }> {
  if (!cfg.clioClientId) throw configError('clio', 'CLIO_CLIENT_ID is not set');
  const state = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + OAUTH_STATE_TTL_MS);
  await db('oauth_states').insert({ state, tenant_id: tenantId, provider: 'clio', expires_at: expiresAt });
  const url = new URL('/oauth/authorize', cfg.clioBaseUrl);
  url.search = new URLSearchParams({ response_type: 'code', client_id: cfg.clioClientId, redirect_uri: redirectUri(cfg), state }).toString();
  return { url: url.toString(), state, expiresAt };
}

/** Takes the state out of the table (single use) and returns its tenant; an unknown or expired state is refused. */
export async function consumeState(db: Db, state: string, now: Date): Promise<number> {
  if (!state || state.length > 100) throw new OAuthStateError('missing or malformed state');
  const row = await db.transaction(async (trx) => {
    const q = trx('oauth_states').where({ state, provider: 'clio' }).first();
    const r = (await (isPostgres(db) ? q.forUpdate() : q)) as { tenant_id: number; expires_at: unknown } | undefined;
    if (r) await trx('oauth_states').where({ state }).delete();
    return r;
  });
  if (!row) throw new OAuthStateError('unknown or already used state: start the Clio connection again');
  const exp = rowDate(row.expires_at);
  if (!exp || exp.getTime() < now.getTime()) throw new OAuthStateError('the connection attempt expired: start the Clio connection again');
  // Old states of abandoned attempts are swept here rather than by a separate job.
  await db('oauth_states').where('expires_at', '<', now).delete();
  return Number(row.tenant_id);
}

async function tokenRequest(cfg: ClioOAuthConfig, form: Record<string, string>, now: Date, signal?: AbortSignal): Promise<ClioTokens> {
  if (!cfg.clioClientId || !cfg.clioClientSecret) throw configError('clio', 'CLIO_CLIENT_ID and CLIO_CLIENT_SECRET must be set');
  const res = await httpRequest('clio', `${cfg.clioBaseUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ ...form, client_id: cfg.clioClientId, client_secret: cfg.clioClientSecret }),
    signal,
  });
  const j = (res.json ?? {}) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (res.status >= 500 || res.status === 429) throw new DeliveryError('clio', `token endpoint answered ${res.status}`, { retryable: true, status: res.status });
  if (res.status !== 200 || !j.access_token) {
    throw new DeliveryError('clio', `token request refused (${j.error ?? res.status}${j.error_description ? `: ${j.error_description}` : ''}); reconnect Clio`, { retryable: false, status: res.status });
  }
  return {
    accessToken: j.access_token,
    // Manage refresh tokens do not rotate; keep the old one when the answer omits it.
    refreshToken: j.refresh_token ?? form.refresh_token ?? '',
    expiresAt: now.getTime() + (j.expires_in ?? 30 * 24 * 3600) * 1000,
  };
}

export async function exchangeCode(cfg: ClioOAuthConfig, code: string, now: Date): Promise<ClioTokens> {
  return tokenRequest(cfg, { grant_type: 'authorization_code', code, redirect_uri: redirectUri(cfg) }, now);
}

export async function refreshTokens(cfg: ClioOAuthConfig, refreshToken: string, now: Date, signal?: AbortSignal): Promise<ClioTokens> {
  return tokenRequest(cfg, { grant_type: 'refresh_token', refresh_token: refreshToken }, now, signal);
}

export function needsRefresh(t: ClioTokens, now: Date): boolean {
  return t.expiresAt - REFRESH_MARGIN_MS <= now.getTime();
}

export async function saveClioTokens(store: CredentialStore, tenantId: number, t: ClioTokens, meta?: Record<string, unknown>): Promise<void> {
  await store.put(tenantId, 'clio', t, { expiresAt: new Date(t.expiresAt), ...(meta ? { meta } : {}) });
}
