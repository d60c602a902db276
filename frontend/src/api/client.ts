import { clearSession, getToken, setFlash } from './session';
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

/** Reacts to a 401 on an authenticated call: drop the session and let the app route to login. */
export const ACCOUNT_DISABLED_MESSAGE = 'Your account has been disabled by an administrator.';

export function handleUnauthorized(code?: string): void {
  setFlash(code === 'account_disabled' ? ACCOUNT_DISABLED_MESSAGE : SESSION_EXPIRED_MESSAGE);
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
  if (res.status === 401 && auth) {
    const error = await toApiError(res);
    handleUnauthorized(error.code);
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
