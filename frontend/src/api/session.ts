import type { User } from './types';

// The API authenticates with `Authorization: Bearer`, not cookies, so the session JWT has to be
// readable by our script. sessionStorage keeps it per tab and drops it when the tab closes,
// which limits how long a leaked token is usable compared with localStorage; a cookie would
// bring CSRF concerns without being sent to a Bearer-only API anyway.
const TOKEN_KEY = 'ocp.session.token';
const USER_KEY = 'ocp.session.user';
const FLASH_KEY = 'ocp.flash';

export interface Session {
  token: string;
  user: User;
}

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

/** Expiry (ms since epoch) from the JWT's `exp` claim, or null when it has none or is unreadable. */
export function tokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  let token: string | null;
  let user: string | null;
  try {
    token = sessionStorage.getItem(TOKEN_KEY);
    user = sessionStorage.getItem(USER_KEY);
  } catch {
    return null;
  }
  if (!token || !user) return null;
  const exp = tokenExpiry(token);
  if (exp !== null && exp <= Date.now()) return null; // expired: the next API call would get 401 anyway
  try {
    return { token, user: JSON.parse(user) as User };
  } catch {
    return null;
  }
}

/** True when a token is stored but has expired (so the login page can say why the user is there). */
export function hasExpiredSession(): boolean {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return false;
  const exp = tokenExpiry(token);
  return exp !== null && exp <= Date.now();
}

/** A one-time message for the next screen (e.g. why the user was sent back to the login page). */
export function setFlash(message: string): void {
  sessionStorage.setItem(FLASH_KEY, message);
}

export function peekFlash(): string | null {
  return sessionStorage.getItem(FLASH_KEY);
}

export function clearFlash(): void {
  sessionStorage.removeItem(FLASH_KEY);
}

export function getToken(): string | null {
  return getSession()?.token ?? null;
}

export function setSession(session: Session): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(session.user));
  listeners.forEach((l) => l(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  listeners.forEach((l) => l(null));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
