// The one way the app talks to HERMES: openapi-fetch typed by the generated schema, with the access token attached
// and one background refresh on a 401 (the refresh token is single-use: each refresh returns the next).
import createClient, { type Middleware } from 'openapi-fetch';
import { isApiMediaPath } from '../media-path';
import type { paths } from './schema';
import { session } from '../session';

export const api = createClient<paths>({ baseUrl: '' });

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair; false (and signed out) when it was refused. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const rt = session.refreshToken();
    if (!rt) return false;
    const res = await fetch('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: rt }) });
    if (!res.ok) {
      session.clear();
      return false;
    }
    session.store(await res.json());
    return true;
  })().finally(() => { refreshing = null; });
  return refreshing;
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.accessToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || request.url.includes('/auth/')) return response;
    if (!(await refresh())) return response;
    const retry = new Request(request, { headers: new Headers(request.headers) });
    retry.headers.set('authorization', `Bearer ${session.accessToken()}`);
    return fetch(retry);
  },
};
api.use(auth);

/** An API error body as a sentence for the screen. */
export function problem(error: unknown): string {
  const e = error as { message?: string; error?: string } | undefined;
  return e?.message ?? e?.error ?? 'Something went wrong. Try again.';
}

/**
 * A media file from the admin API (e.g. a call recording) as a Blob, with the bearer token and one refresh on a 401.
 * Only same-origin /api/ paths: the token must never be sent to a URL a response body named elsewhere.
 */
export async function apiBlob(path: string): Promise<Blob> {
  if (!isApiMediaPath(path)) throw new Error(`not an API path: ${path}`);
  const get = () => fetch(path, { headers: { authorization: `Bearer ${session.accessToken() ?? ''}` } });
  let res = await get();
  if (res.status === 401 && (await refresh())) res = await get();
  if (!res.ok) throw new Error(res.status === 404 ? 'The recording is no longer stored.' : `The recording could not be loaded (HTTP ${res.status}).`);
  return res.blob();
}
