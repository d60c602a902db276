// GET /api/streams/:id/stats over real HTTP: real backend (PostgreSQL, Redis) and a stand-in OME REST
// server on 127.0.0.1 answering with the exact OME 0.20 bodies, checking Basic auth like OME.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../test/fixtures/ome/rest-api', name), 'utf8');
const TOKEN = 'stats-test-access-token';

/** Streams the stand-in OME currently has, by name (= platform Stream id). */
const live = new Set<string>();
let omeServer: Server;
let omeUrl: string;
let backend: RunningBackend;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  omeServer = createServer((req, res) => {
    const json = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    };
    if (req.headers.authorization !== `Basic ${Buffer.from(TOKEN).toString('base64')}`) {
      return json(401, '{"message":"[HTTP] Authorization header is required to call API (401)","statusCode":401}');
    }
    const m = /^\/v1\/(stats\/current\/)?vhosts\/default\/apps\/app\/streams\/([^/?]+)$/.exec(req.url ?? '');
    if (!m || !live.has(decodeURIComponent(m[2]!))) return json(404, fixture('get-stream-stream4-original-name-404.json'));
    json(200, m[1] ? fixture('get-stats-stream1.json') : fixture('get-stream-stream1-rtmp.json'));
  });
  await new Promise<void>((r) => omeServer.listen(0, '127.0.0.1', r));
  omeUrl = `http://127.0.0.1:${(omeServer.address() as AddressInfo).port}`;
  backend = await startTestBackend({ OME_API_URL: omeUrl, OME_API_ACCESS_TOKEN: TOKEN, OME_API_TIMEOUT_MS: '1000' });
  alice = new Client(backend.url);
  bob = new Client(backend.url);
  await alice.signUp();
  await bob.signUp();
});
afterAll(async () => {
  await backend.stop();
  await new Promise<void>((r) => omeServer.close(() => r()));
});

describe('GET /api/streams/:id/stats', () => {
  it('reports input health and viewers of a live stream', async () => {
    const { stream } = await alice.createStream({ name: 'live one' });
    live.add(stream.id);
    const r = await alice.get(`/api/streams/${stream.id}/stats`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      streamId: stream.id,
      live: true,
      viewers: { total: 0, webrtc: 0, llhls: 0 },
      input: { bitrateBps: 361_793, fps: 29.97, width: 1280, height: 720, videoCodec: 'H264', audioCodec: 'AAC' },
      updatedAt: '2026-11-22T00:42:04.303Z',
    });
  });

  it('is live:false with no input and zero viewers when OME does not have the stream', async () => {
    const { stream } = await alice.createStream({ name: 'idle one' });
    const r = await alice.get(`/api/streams/${stream.id}/stats`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ streamId: stream.id, live: false, input: null, viewers: { total: 0, webrtc: 0, llhls: 0 } });
    expect(Number.isNaN(Date.parse(r.body.updatedAt))).toBe(false);
  });

  it("answers 404 for another user's stream and for unknown ids, 401 without a session", async () => {
    const { stream } = await alice.createStream({ name: 'private stats' });
    live.add(stream.id);
    for (const p of [`/api/streams/${stream.id}/stats`, '/api/streams/00000000-0000-4000-8000-000000000000/stats', '/api/streams/not-a-uuid/stats']) {
      const r = await bob.get(p);
      expect(r.status, p).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await new Client(backend.url).get(`/api/streams/${stream.id}/stats`)).status).toBe(401);
  });

  it('answers 502 ome_unreachable when OME cannot be reached', async () => {
    const down = await startTestBackend({ OME_API_URL: 'http://127.0.0.1:9', OME_API_ACCESS_TOKEN: TOKEN, OME_API_TIMEOUT_MS: '500' });
    try {
      const c = new Client(down.url);
      await c.signUp();
      const { stream } = await c.createStream({ name: 'ome down' });
      const r = await c.get(`/api/streams/${stream.id}/stats`);
      expect(r.status).toBe(502);
      expect(r.body.error).toMatchObject({ code: 'ome_unreachable' });
    } finally {
      await down.stop();
    }
  });

  it('answers 502 ome_unreachable when OME refuses the access token', async () => {
    const wrong = await startTestBackend({ OME_API_URL: omeUrl, OME_API_ACCESS_TOKEN: 'not-the-token', OME_API_TIMEOUT_MS: '1000' });
    try {
      const c = new Client(wrong.url);
      await c.signUp();
      const { stream } = await c.createStream({ name: 'bad token' });
      const r = await c.get(`/api/streams/${stream.id}/stats`);
      expect(r.status).toBe(502);
      expect(r.body.error.code).toBe('ome_unreachable');
      expect(JSON.stringify(r.body)).not.toContain('not-the-token');
    } finally {
      await wrong.stop();
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await alice.get('/api/openapi.json')).body;
    const op = doc.paths['/api/streams/{id}/stats'].get;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '403', '404', '502']);
    expect(op.security).toEqual([{ bearerAuth: [] }, { apiKey: ['streams:read'] }]);
  });
});
