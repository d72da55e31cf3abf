// Clio Manage API v4 for one firm: bearer token (refreshed ahead of expiry and once on 401), the client-side request
// budget, and errors classified for the outbox (429 with Retry-After, 5xx and timeouts retry; 422 and other 4xx do
// not, with Clio's own message).
import type { Clock } from '../clock.js';
import type { CredentialStore } from '../credentials.js';
import { configError, DeliveryError } from '../errors.js';
import { httpFailure, httpRequest, type HttpResponse } from '../http.js';
import type { RateLimiter } from '../rate-limit.js';
import { needsRefresh, refreshTokens, saveClioTokens, type ClioOAuthConfig, type ClioTokens } from './oauth.js';

export interface ClioRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface ClioListPage<T> {
  data: T[];
  meta?: { paging?: { next?: string } };
}

export class ClioClient {
  constructor(
    private readonly tenantId: number,
    private readonly cfg: ClioOAuthConfig,
    private readonly creds: CredentialStore,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly timeoutMs = 15_000,
  ) {}

  async get<T>(path: string, r: ClioRequest = {}): Promise<T> {
    return this.request<T>('GET', path, r);
  }

  async post<T>(path: string, r: ClioRequest = {}): Promise<T> {
    return this.request<T>('POST', path, r);
  }

  private async tokens(signal?: AbortSignal, force = false): Promise<ClioTokens> {
    const stored = await this.creds.get<ClioTokens>(this.tenantId, 'clio');
    if (!stored) throw configError('clio', 'Clio is not connected for this firm: connect it (POST /api/integrations/clio/connect), then retry');
    if (!force && !needsRefresh(stored.secret, this.clock.now())) return stored.secret;
    const fresh = await refreshTokens(this.cfg, stored.secret.refreshToken, this.clock.now(), signal);
    await saveClioTokens(this.creds, this.tenantId, fresh);
    return fresh;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, r: ClioRequest): Promise<T> {
    const url = new URL(`/api/v4/${path.replace(/^\//, '')}`, this.cfg.clioBaseUrl);
    for (const [k, v] of Object.entries(r.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    let tokens = await this.tokens(r.signal);
    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire(`clio:${this.tenantId}`, r.signal);
      const res = await httpRequest('clio', url.toString(), {
        method,
        headers: { authorization: `Bearer ${tokens.accessToken}` },
        body: r.body,
        signal: r.signal,
        timeoutMs: this.timeoutMs,
      });
      if (res.status >= 200 && res.status < 300) return (res.json ?? {}) as T;
      if (res.status === 401 && attempt === 0) {
        // Revoked early or expired sooner than expires_in said: refresh once and repeat the request.
        tokens = await this.tokens(r.signal, true);
        continue;
      }
      if (res.status === 401) {
        throw new DeliveryError('clio', 'Clio refused a freshly refreshed token: reconnect Clio, then `hermes outbox retry <id>`', { retryable: false, status: 401 });
      }
      throw httpFailure('clio', res, this.clock.now(), clioMessage(res));
    }
  }
}

/** Clio's error body: {"error":{"type","message"}} (or OAuth's {"error","error_description"}). */
function clioMessage(res: HttpResponse): string | undefined {
  const j = res.json as { error?: { type?: string; message?: string } | string; error_description?: string } | null;
  if (!j) return undefined;
  if (typeof j.error === 'string') return j.error_description ?? j.error;
  return j.error?.message ?? j.error?.type;
}
