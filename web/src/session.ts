// Tokens of the signed-in user. The access token lives in memory and sessionStorage (gone with the tab); the refresh
// token in localStorage so a reload keeps you signed in. A timer refreshes a minute before the access token expires.

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: number; email: string; role: string; tenant: { id: number; slug: string; name: string } };
}

const ACCESS = 'hermes.access';
const REFRESH = 'hermes.refresh';
const listeners = new Set<(signedIn: boolean) => void>();
const tell = (v: boolean) => listeners.forEach((fn) => fn(v));
let timer: number | undefined;
let onRefreshDue: (() => void) | null = null;

export const session = {
  accessToken: () => sessionStorage.getItem(ACCESS),
  refreshToken: () => localStorage.getItem(REFRESH),
  store(p: TokenPair) {
    sessionStorage.setItem(ACCESS, p.accessToken);
    localStorage.setItem(REFRESH, p.refreshToken);
    tell(true);
    clearTimeout(timer);
    timer = window.setTimeout(() => onRefreshDue?.(), Math.max(5, p.expiresIn - 60) * 1000);
  },
  clear() {
    sessionStorage.removeItem(ACCESS);
    localStorage.removeItem(REFRESH);
    clearTimeout(timer);
    tell(false);
  },
  whenRefreshDue(fn: () => void) { onRefreshDue = fn; },
  isSignedIn: () => Boolean(localStorage.getItem(REFRESH)),
  /** Calls fn whenever the user signs in or out (or a refresh is refused); returns the unsubscribe. */
  onChange(fn: (signedIn: boolean) => void) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};
