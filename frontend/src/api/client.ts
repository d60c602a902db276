import { clearSession, getSession, getToken, hasExpiredSession, setFlash } from './session';
import type { FieldIssue } from './types';

/** An API failure with the backend's `{error:{code,message,details}}` body (or a synthesized one). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldIssue[];

  constructor(status: number, code: string, message: string, details: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Message for a given field path (e.g. `name`), from the validation details. */
  fieldMessage(path: string): string | undefined {
    return this.details.find((d) => d.path === path)?.message;
  }
}

export const SESSION_EXPIRED_MESSAGE = 'Your session expired, please log in again';
export const SESSION_ENDED_MESSAGE =
  'You were logged out: this session was ended from another device or by a password change. Please log in again.';

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** The app registers how to react to a 401 on an authenticated call (route to /login with a message). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

export interface RequestOptions {
  body?: unknown;
  /** Send the session token (default true). Public endpoints pass false. */
  auth?: boolean;
  /**
   * On a 401, drop the session and route to login (default true). Logging out passes false: a 401
   * there means the session had already ended, which is what the caller wanted anyway.
   */
  redirectOn401?: boolean;
  signal?: AbortSignal;
  query?: Record<string, string | undefined>;
}

function isFieldIssues(value: unknown): value is FieldIssue[] {
  return (
    Array.isArray(value) &&
    value.every((d) => typeof d === 'object' && d !== null && typeof (d as FieldIssue).path === 'string')
  );
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: a proxy error page (502 from nginx) or an empty body.
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (err && typeof err.code === 'string') {
    return new ApiError(
      res.status,
      err.code,
      typeof err.message === 'string' ? err.message : `Request failed (${res.status})`,
      isFieldIssues(err.details) ? err.details.map((d) => ({ path: String(d.path), message: String(d.message) })) : [],
    );
  }
  return new ApiError(res.status, `http_${res.status}`, `Request failed (${res.status} ${res.statusText})`.trim());
}

export function buildUrl(path: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Headers for an authenticated call; also used by the SSE reader. */
export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * Reacts to a 401 on an authenticated call: drop the session and let the app route to login. The
 * backend says "This session has been logged out" for a session ended on purpose (revoked from the
 * Security page, log out everywhere, password change): the login page then says so instead of
 * "expired". Anything else (expired, unknown, bad token) is the generic expired message.
 */
export function handleUnauthorized(apiMessage?: string): void {
  // Only the 401 that finds the session still stored says why: calls already in flight answer 401
  // too once it is cleared (without a token), and must not replace the reason with "expired".
  if (getSession() || hasExpiredSession()) {
    setFlash(apiMessage && /logged out/i.test(apiMessage) ? SESSION_ENDED_MESSAGE : SESSION_EXPIRED_MESSAGE);
  }
  clearSession();
  unauthorizedHandler?.();
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (auth) Object.assign(headers, authHeaders());
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), { method, headers, body, signal: options.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 401 && auth && (options.redirectOn401 ?? true)) {
    const error = await toApiError(res);
    handleUnauthorized(error.message);
    throw error;
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

/** A feature whose endpoint is not deployed or whose upstream is down (404 route / 502 / 503). */
export function isUnavailable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 502 || e.status === 503 || e.status === 0);
}
