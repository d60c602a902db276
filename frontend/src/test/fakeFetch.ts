import { vi } from 'vitest';

export interface RecordedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: RecordedCall) => Response | Promise<Response>;

export function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function apiError(status: number, code: string, message: string, details?: { path: string; message: string }[]) {
  return json(status, { error: { code, message, ...(details ? { details } : {}) } });
}

/**
 * A stand-in for the network in unit tests: routes `"METHOD /path"` (path without query) to
 * handlers and records every call. Unknown routes answer 404 so a wrong URL fails the test.
 */
export function installFakeFetch(routes: Record<string, Handler>) {
  const calls: RecordedCall[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call = { method, url, headers, body };
    calls.push(call);
    const pathOnly = url.split('?')[0];
    const handler = routes[`${method} ${pathOnly}`];
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return handler ? handler(call) : apiError(404, 'not_found', `no fake route for ${method} ${pathOnly}`);
  });
  vi.stubGlobal('fetch', fn);
  return { calls, fn };
}

/** A text/event-stream response whose body the test pushes chunks into. */
export function sseResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const enc = new TextEncoder();
  return {
    response: new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    push: (text: string) => controller.enqueue(enc.encode(text)),
    close: () => controller.close(),
  };
}

export function fakeJwt(expSecondsFromNow: number): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + expSecondsFromNow })}.sig`;
}

export const USER = { id: 'u1', email: 'ann@example.com', role: 'user' as const, disabled: false, createdAt: '2026-11-22T00:00:00.000Z' };
export const ADMIN = { ...USER, id: 'a1', email: 'root@example.com', role: 'admin' as const };
