// The admission endpoint's HTTP behaviour on its own node:http path (outside Express): body limits
// and what happens to the connection after a refusal, encodings, chunked bodies, routing, metrics.
// OME keeps its admission connections alive, so a refused request must not spoil the next one.
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, OME_SECRET, omeBody, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { omeSignature } from './signature.js';

let backend: RunningBackend;
let publicStreamId: string;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  backend = await startTestBackend();
  const owner = new Client(backend.url);
  await owner.signUp();
  publicStreamId = (await owner.createStream({ name: 'public show', visibility: 'public' })).stream.id;
});
afterAll(async () => {
  agent.destroy();
  await backend.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any;
  socket: unknown;
}

/** One request on the shared keep-alive agent; `chunks` are written one by one (chunked when no length is given). */
function post(path: string, chunks: (string | Buffer)[], headers: Record<string, string | number> = {}, method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${backend.url}${path}`, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : null, socket: req.socket }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const viewerBody = () => omeBody('llhls-playback-opening', { url: `http://localhost:3333/app/${publicStreamId}/abr.m3u8` });
const signed = (body: string | Buffer) => ({ 'content-type': 'application/json', 'x-ome-signature': omeSignature(OME_SECRET, body) });
const admit = (body = viewerBody()) => post('/api/ome/admission', [body], { ...signed(body), 'content-length': Buffer.byteLength(body) });

describe('admission endpoint (node:http path)', () => {
  it('answers a signed OME request with JSON', async () => {
    const r = await admit();
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.json).toEqual({ allowed: true, reason: 'authorized' });
  });

  it('refuses a body over 16 KiB with 413 and the same keep-alive connection serves the next request', async () => {
    const first = await admit();
    const big = JSON.stringify({ pad: 'x'.repeat(64 * 1024) });
    const refused = await post('/api/ome/admission', [big], { ...signed(big), 'content-length': Buffer.byteLength(big) });
    expect(refused.status).toBe(413);
    expect(refused.json).toEqual({ error: { code: 'payload_too_large', message: 'Request body is too large' } });
    const next = await admit();
    expect(next.status).toBe(200);
    expect(next.json.allowed).toBe(true);
    // One socket throughout: the refused body was read off, not left in the connection.
    expect(next.socket).toBe(first.socket);
  });

  it('refuses an oversized chunked body (no content-length) while it streams in', async () => {
    const chunk = 'x'.repeat(4096);
    const r = await post('/api/ome/admission', ['{"pad":"', ...Array.from({ length: 8 }, () => chunk), '"}'], { 'content-type': 'application/json', 'x-ome-signature': 'AAAA' });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('payload_too_large');
    const next = await admit();
    expect(next.json.allowed).toBe(true);
    expect(next.socket).toBe(r.socket);
  });

  it('reads a signed chunked body like a sized one', async () => {
    const body = viewerBody();
    const r = await post('/api/ome/admission', [body.slice(0, 40), body.slice(40)], signed(body));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ allowed: true, reason: 'authorized' });
  });

  it('refuses compressed bodies with 415 (OME sends plain JSON; the signature covers the bytes as sent)', async () => {
    const gz = gzipSync(viewerBody());
    const r = await post('/api/ome/admission', [gz], { ...signed(gz), 'content-encoding': 'gzip', 'content-length': gz.length });
    expect(r.status).toBe(415);
    expect(r.json.error.code).toBe('unsupported_encoding');
  });

  it('tolerates a query string on the configured URL; other methods and paths are not the endpoint', async () => {
    const body = viewerBody();
    const q = await post('/api/ome/admission?from=ome', [body], { ...signed(body), 'content-length': Buffer.byteLength(body) });
    expect(q.status).toBe(200);
    expect(q.json.allowed).toBe(true);
    const get = await post('/api/ome/admission', [], {}, 'GET');
    expect(get.status).toBe(404);
    expect(get.json.error.code).toBe('not_found');
    const other = await post('/api/ome/admissionx', [body], { ...signed(body), 'content-length': Buffer.byteLength(body) });
    expect(other.status).toBe(404);
  });

  it('times every answer in http_request_duration_seconds under the route, by status', async () => {
    await admit();
    await post('/api/ome/admission', ['{}'], { 'content-type': 'application/json', 'content-length': 2 });
    const m = await fetch(`${backend.url}/metrics`).then((r) => r.text());
    expect(m).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/ome\/admission",status_code="200"\} [1-9]/);
    expect(m).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/ome\/admission",status_code="401"\} [1-9]/);
  });
});
