// Graceful shutdown of the API process on SIGTERM: the real entry point (src/main.ts) as a child
// process on real PostgreSQL and Redis. A request still uploading its body when SIGTERM arrives gets
// its answer, an open SSE stream is ended cleanly, new connections are refused at once, and the
// process exits 0 within the bound.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { inject } from 'vitest';
import { LOOPBACK_RECEIVERS, omeBody, rtmpPublishUrl, sendAdmission, testEnv } from '../helpers.js';
import { startApi, type Child } from '../support/child-api.js';

const EXIT_BOUND_MS = 12_000;

/** Opens a TCP connection; resolves with the error code, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let child: Child | null = null;
afterAll(() => {
  if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
});

describe('API graceful shutdown on SIGTERM', () => {
  it('finishes in-flight requests, ends SSE streams, refuses new connections and exits 0', { timeout: 60_000 }, async () => {
    child = await startApi(testEnv({ PORT: '0', LOG_LEVEL: 'info', OME_API_URL: 'http://127.0.0.1:1', OME_RECONCILE_INTERVAL_SECONDS: '0' }));
    const base = `http://127.0.0.1:${child.port}`;
    const email = `shutdown-${Date.now()}@example.test`;
    const reg = await fetch(`${base}/api/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery' }) });
    expect(reg.status).toBe(201);
    const { token } = (await reg.json()) as { token: string };
    await fetch(`${base}/api/streams`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"name":"sse"}' });

    // An SSE subscriber (the dashboard), connected and receiving.
    const sse = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(sse.status).toBe(200);
    const reader = sse.body!.getReader();
    let sseText = new TextDecoder().decode((await reader.read()).value);
    const sseEnded = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return Date.now();
        sseText += new TextDecoder().decode(value);
      }
    })();

    // A login whose body is still on its way when SIGTERM arrives.
    const body = JSON.stringify({ email, password: 'correct horse battery' });
    const slow = net.connect(child.port, '127.0.0.1');
    await new Promise<void>((r) => slow.once('connect', () => r()));
    let answer = '';
    slow.on('data', (d) => (answer += d.toString()));
    const slowClosed = new Promise<void>((r) => slow.once('close', () => r()));
    slow.write(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
    await sleep(200);

    const sigtermAt = Date.now();
    child.proc.kill('SIGTERM');
    await sleep(300);
    // No new connections once shutdown has begun (the process is still running: the login is in flight).
    expect(child.proc.exitCode).toBeNull();
    expect(await tryConnect(child.port)).toBe('ECONNREFUSED');
    // The SSE stream is ended by the server, not left hanging until the process dies.
    const sseEndAt = await Promise.race([sseEnded, sleep(5_000).then(() => null)]);
    expect(sseEndAt, 'SSE stream ended').not.toBeNull();
    expect(sseText).toContain('event: stream.status');

    // The in-flight login completes well after SIGTERM (past any short grace timer).
    await sleep(1_500);
    slow.write(body.slice(10));
    await Promise.race([slowClosed, sleep(5_000)]);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('"token"');

    const exit = await Promise.race([child.exited, sleep(EXIT_BOUND_MS).then(() => null)]);
    expect(exit, `did not exit within ${EXIT_BOUND_MS} ms:\n${child.out().slice(-2000)}`).not.toBeNull();
    expect(exit!.code).toBe(0);
    expect(exit!.at - sigtermAt).toBeLessThan(EXIT_BOUND_MS);
    expect(child.out()).toContain('"msg":"shutting down"');
  });

  it('lets a webhook delivery in flight finish before exiting (recorded as succeeded, sent once)', { timeout: 60_000 }, async () => {
    // A receiver that takes 1.2 s to answer (the delivery timeout in tests is 2 s): SIGTERM arrives while the worker is waiting on it.
    const got: string[] = [];
    let onFirst: () => void = () => undefined;
    const first = new Promise<void>((r) => (onFirst = r));
    const rx = createServer((req, res) => {
      got.push(String(req.headers['x-ocp-delivery']));
      onFirst();
      req.resume();
      setTimeout(() => res.writeHead(204).end(), 1_200);
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    try {
      child = await startApi(testEnv({ PORT: '0', LOG_LEVEL: 'info', OME_API_URL: 'http://127.0.0.1:1', OME_RECONCILE_INTERVAL_SECONDS: '0', ...LOOPBACK_RECEIVERS }));
      const base = `http://127.0.0.1:${child.port}`;
      const h = (token?: string) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
      const { token } = (await (await fetch(`${base}/api/auth/register`, { method: 'POST', headers: h(), body: JSON.stringify({ email: `hook-${Date.now()}@example.test`, password: 'correct horse battery' }) })).json()) as { token: string };
      await fetch(`${base}/api/webhooks`, { method: 'POST', headers: h(token), body: JSON.stringify({ url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/`, events: ['stream.live'] }) });
      const { ingest } = (await (await fetch(`${base}/api/streams`, { method: 'POST', headers: h(token), body: '{"name":"hooked"}' })).json()) as { ingest: { rtmp: { server: string; streamKey: string } } };
      expect((await sendAdmission(base, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, { port: 63001 }))).body.allowed).toBe(true);

      await first;
      child.proc.kill('SIGTERM');
      const exit = await Promise.race([child.exited, sleep(EXIT_BOUND_MS).then(() => null)]);
      expect(exit, child.out().slice(-2000)).not.toBeNull();
      expect(exit!.code).toBe(0);
      expect(got).toHaveLength(1);

      const db = new pg.Client({ connectionString: inject('databaseUrl') });
      await db.connect();
      try {
        const { rows } = await db.query(`SELECT status, attempts FROM "WebhookDelivery" WHERE id = $1`, [got[0]]);
        expect(rows[0]).toEqual({ status: 'succeeded', attempts: 1 });
      } finally {
        await db.end();
      }
    } finally {
      await new Promise((r) => rx.close(r));
    }
  });
});
