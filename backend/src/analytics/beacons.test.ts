// Viewer beacons (issue 15.3/15.4) over real HTTP, PostgreSQL and Redis: broadcasts go live through
// OME admission bodies shaped like the OME 0.20.0 captures; beacons are posted as a player posts them.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, testEnv, waitFor } from '../../test/helpers.js';
import { signVodPlaylist } from '../auth/tokens.js';
import type { RunningBackend } from '../server.js';

const PER_IP = 40;
const PER_VIEWER = 5;
const env = {
  WEBHOOK_WORKER: 'false',
  // VOD detail hands out playlist tokens only when storage is configured (never reached here).
  GCS_BUCKET: 'beacon-test', GCS_API_ENDPOINT: 'http://127.0.0.1:9', SIGNED_URL_TTL_SECONDS: '3600',
  BEACON_RATE_LIMIT_PER_IP_PER_MINUTE: String(PER_IP),
  BEACON_RATE_LIMIT_PER_VIEWER_PER_MINUTE: String(PER_VIEWER),
};

let backend: RunningBackend;
let owner: Client;
let ownerId: string;
let sql: pg.Client;
beforeAll(async () => {
  backend = await startTestBackend(env);
  owner = new Client(backend.url);
  ownerId = (await owner.signUp()).id;
  sql = new pg.Client({ connectionString: testEnv().DATABASE_URL });
  await sql.connect();
});
afterAll(async () => {
  await backend?.stop();
  await sql?.end();
});

// Every test speaks from addresses of its own (TRUST_PROXY trusts loopback, so X-Forwarded-For counts).
let ipSeq = 1;
const freshIp = () => `198.51.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;
const viewer = () => `v-${randomUUID()}`;

async function beacon(kind: 'latency' | 'vod', body: unknown, opts: { ip?: string; headers?: Record<string, string>; base?: string } = {}) {
  const res = await fetch(`${opts.base ?? backend.url}/api/beacons/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': opts.ip ?? freshIp(), ...opts.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { error: { code: string; message: string; details?: { path: string }[] } }) : null, headers: res.headers };
}

let clientPort = 51000;
async function liveStream(visibility: 'public' | 'private' = 'public', b: RunningBackend = backend, c: Client = owner) {
  const { stream, ingest } = await c.createStream({ name: `beacons ${clientPort}`, visibility, reconnectWindowSeconds: 0 });
  const url = rtmpPublishUrl(ingest);
  const port = clientPort++;
  expect((await sendAdmission(b.url, omeBody('rtmp-publish-opening', { url }, { port }))).body.allowed).toBe(true);
  const session = await b.ctx.db.streamSession.findFirstOrThrow({ where: { streamId: stream.id, endedAt: null } });
  return {
    id: stream.id as string,
    sessionId: session.id,
    end: (base = b.url) => sendAdmission(base, omeBody('rtmp-publish-closing', { url, new_url: url }, { port })),
  };
}
const latencyBody = (s: { id: string; sessionId: string }, over: Record<string, unknown> = {}) => ({ streamId: s.id, sessionId: s.sessionId, viewerId: viewer(), protocol: 'webrtc', rendition: '720p', latencyMs: 420, ...over });
const samplesOf = (sessionId: string) => backend.ctx.db.viewerLatencySample.findMany({ where: { sessionId }, orderBy: { id: 'asc' } });

describe('POST /api/beacons/latency: what is refused', () => {
  it('malformed bodies: 400 with the error shape, naming the field; nothing is stored', async () => {
    const s = await liveStream();
    const cases: [unknown, string, string?][] = [
      ['{"streamId":', 'invalid_json'],
      ['[]', 'validation_error'],
      [latencyBody(s, { latencyMs: -1 }), 'validation_error', 'latencyMs'],
      [latencyBody(s, { latencyMs: 1.5 }), 'validation_error', 'latencyMs'],
      [latencyBody(s, { latencyMs: 120_001 }), 'validation_error', 'latencyMs'],
      [latencyBody(s, { latencyMs: '420' }), 'validation_error', 'latencyMs'],
      [latencyBody(s, { protocol: 'hls' }), 'validation_error', 'protocol'],
      [latencyBody(s, { streamId: 'not-a-uuid' }), 'validation_error', 'streamId'],
      [latencyBody(s, { sessionId: undefined }), 'validation_error', 'sessionId'],
      [latencyBody(s, { viewerId: 'short' }), 'validation_error', 'viewerId'],
      [latencyBody(s, { rendition: 'x'.repeat(33) }), 'validation_error', 'rendition'],
      [latencyBody(s, { extra: 1 }), 'validation_error'],
      ['{"__proto__":{"latencyMs":1},"streamId":"x"}', 'validation_error'],
    ];
    for (const [body, code, field] of cases) {
      const r = await beacon('latency', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body!.error.code).toBe(code);
      expect(typeof r.body!.error.message).toBe('string');
      if (field) expect(r.body!.error.details!.map((d) => d.path)).toContain(field);
    }
    await backend.ctx.analytics.flush();
    expect(await samplesOf(s.sessionId)).toEqual([]);
    await s.end();
  });

  it('NUL and control characters in any string: 400 validation_error naming the field, never stored', async () => {
    const s = await liveStream();
    for (const ch of ['\u0000', '\u0001', '\u001b', '\u007f']) {
      for (const field of ['viewerId', 'rendition', 'streamId', 'sessionId']) {
        const good = latencyBody(s) as Record<string, string>;
        const r = await beacon('latency', { ...good, [field]: `${good[field]!.slice(0, 4)}${ch}${good[field]!.slice(4)}` });
        expect(r.status, `${field} U+${ch.charCodeAt(0)}`).toBe(400);
        expect(r.body!.error.code).toBe('validation_error');
        expect(r.body!.error.details!.map((d) => d.path)).toContain(field);
      }
    }
    // A raw NUL byte in the JSON text (not an escape) is not JSON at all.
    expect((await beacon('latency', `{"streamId":"${s.id}\u0000"}`)).body!.error.code).toMatch(/invalid_json|validation_error/);
    await backend.ctx.analytics.flush();
    expect(await samplesOf(s.sessionId)).toEqual([]);
    await s.end();
  });

  it('an oversized body is 413, another content type or a compressed body 415', async () => {
    const s = await liveStream();
    const big = await beacon('latency', JSON.stringify({ ...latencyBody(s), rendition: 'x'.repeat(3000) }));
    expect(big.status).toBe(413);
    expect(big.body!.error.code).toBe('payload_too_large');
    const huge = await beacon('latency', 'x'.repeat(5_000_000));
    expect(huge.status).toBe(413);
    const text = await beacon('latency', JSON.stringify(latencyBody(s)), { headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body!.error.code).toBe('unsupported_media_type');
    expect((await beacon('latency', JSON.stringify(latencyBody(s)), { headers: { 'content-type': 'application/json; charset=utf-16' } })).status).toBe(415);
    expect((await beacon('latency', JSON.stringify(latencyBody(s)), { headers: { 'content-encoding': 'gzip' } })).status).toBe(415);
    // The server stays up and the keep-alive socket still works.
    expect((await beacon('latency', latencyBody(s))).status).toBe(204);
    await s.end();
  });

  it('an unknown stream is 404; a session that is not the live one is 409 (public) or 404 (private)', async () => {
    const s = await liveStream();
    const unknown = await beacon('latency', latencyBody({ id: randomUUID(), sessionId: s.sessionId }));
    expect(unknown.status).toBe(404);
    expect(unknown.body!.error).toEqual({ code: 'not_found', message: 'Stream not found' });

    // A random session id, and the session of another live stream.
    const other = await liveStream();
    for (const sessionId of [randomUUID(), other.sessionId]) {
      const r = await beacon('latency', latencyBody({ id: s.id, sessionId }));
      expect(r.status).toBe(409);
      expect(r.body!.error.code).toBe('session_not_live');
    }
    // The session that was live, once it ended (and the stream is not on air any more).
    const ended = s.sessionId;
    await s.end();
    const after = await beacon('latency', latencyBody({ id: s.id, sessionId: ended }));
    expect(after.status).toBe(409);
    expect(after.body!.error).toEqual({ code: 'session_not_live', message: 'This stream is not on air' });
    // A new broadcast: the old session stays refused, the new one is accepted.
    const again = await liveStream();
    expect((await beacon('latency', latencyBody(again))).status).toBe(204);
    await again.end();
    await other.end();

    // Private: a wrong session says no more than an unknown stream does.
    const priv = await liveStream('private');
    const wrong = await beacon('latency', latencyBody({ id: priv.id, sessionId: randomUUID() }));
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual(unknown.body);
    expect((await beacon('latency', latencyBody(priv))).status).toBe(204);
    await priv.end();
  });

  it("a disabled account's broadcast takes no beacons, from the disable statement on (before its session is ended)", async () => {
    const creator = new Client(backend.url);
    const creatorId = (await creator.signUp()).id;
    const s = await liveStream('public', backend, creator);
    expect((await beacon('latency', latencyBody(s))).status).toBe(204);
    // disableUser and deleteUser write disabledAt first, then end the broadcasts: the moment between.
    await backend.ctx.db.user.update({ where: { id: creatorId }, data: { disabledAt: new Date() } });
    backend.ctx.analytics.streamChanged(s.id);
    expect((await backend.ctx.db.streamSession.findUniqueOrThrow({ where: { id: s.sessionId } })).endedAt).toBeNull();
    const r = await beacon('latency', latencyBody(s));
    expect(r.status).toBe(409);
    expect(r.body!.error).toEqual({ code: 'session_not_live', message: 'This stream is not on air' });
    await backend.ctx.db.user.update({ where: { id: creatorId }, data: { disabledAt: null } });
    backend.ctx.analytics.streamChanged(s.id);
    expect((await beacon('latency', latencyBody(s))).status).toBe(204);
    await s.end();
  });

  it('the public stream names its broadcast on air (sessionId), null when off air', async () => {
    const s = await liveStream();
    const anon = new Client(backend.url);
    expect((await anon.get(`/api/public/streams/${s.id}`)).body.stream).toMatchObject({ status: 'live', sessionId: s.sessionId });
    await s.end();
    expect((await anon.get(`/api/public/streams/${s.id}`)).body.stream).toMatchObject({ status: 'ended', sessionId: null });
  });

  it('answers the CORS preflight of the dashboard origin', async () => {
    const res = await fetch(`${backend.url}/api/beacons/latency`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8000');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
    // The beacon itself: allowed for the dashboard origin, not for another one.
    const s = await liveStream();
    const ok = await beacon('latency', latencyBody(s), { headers: { origin: 'http://localhost:8000' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:8000');
    const other = await beacon('latency', latencyBody(s), { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await s.end();
  });
});

describe('rate limits', () => {
  it('per player: 429 rate_limited with Retry-After once its budget is spent; other players go on', async () => {
    const s = await liveStream();
    const ip = freshIp();
    const viewerId = viewer();
    const codes = [];
    for (let i = 0; i < PER_VIEWER + 2; i++) codes.push((await beacon('latency', latencyBody(s, { viewerId }), { ip })).status);
    expect(codes).toEqual([...Array(PER_VIEWER).fill(204), 429, 429]);
    const r = await beacon('latency', latencyBody(s, { viewerId }), { ip });
    expect(r.body!.error.code).toBe('rate_limited');
    expect(r.body!.error.message).toMatch(/this player/);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await beacon('latency', latencyBody(s), { ip })).status).toBe(204);
    // A malformed beacon is refused for what it is (400), never counted.
    expect((await beacon('latency', latencyBody(s, { viewerId, latencyMs: -5 }), { ip })).status).toBe(400);
    await backend.ctx.analytics.flush();
    expect((await samplesOf(s.sessionId)).filter((x) => x.viewerId === viewerId)).toHaveLength(PER_VIEWER);
    await s.end();
  });

  it('per client address: 429 once its budget is spent, whatever the player', async () => {
    const s = await liveStream();
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < PER_IP + 3; i++) codes.push((await beacon('latency', latencyBody(s), { ip })).status);
    expect(codes).toEqual([...Array(PER_IP).fill(204), 429, 429, 429]);
    const r = await beacon('latency', latencyBody(s), { ip });
    expect(r.body!.error).toMatchObject({ code: 'rate_limited' });
    expect(r.body!.error.message).toMatch(/this address/);
    expect((await beacon('latency', latencyBody(s), { ip: freshIp() })).status).toBe(204);
    await s.end();
  });
});

describe('rate limits across replicas', () => {
  it('a player whose beacons reach two replicas has one budget (Redis): they learn each other\'s counts within a sync', async () => {
    const b2 = await startTestBackend({ ...env, REDIS_PREFIX: backend.ctx.config.redisPrefix });
    try {
      const s = await liveStream();
      const ip = freshIp();
      const viewerId = viewer();
      const sync = () => new Promise((r) => setTimeout(r, 300));
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await beacon('latency', latencyBody(s, { viewerId }), { ip })).status);
      await sync();
      codes.push((await beacon('latency', latencyBody(s, { viewerId }), { ip, base: b2.url })).status);
      await sync();
      for (let i = 0; i < 2; i++) codes.push((await beacon('latency', latencyBody(s, { viewerId }), { ip, base: b2.url })).status);
      // 3 + 1 + 1 = the budget of 5; the sixth is refused by the replica that took the other three.
      expect(codes).toEqual([204, 204, 204, 204, 204, 429]);
      await s.end();
    } finally {
      await b2.stop();
    }
  });
});

describe('batched writes', () => {
  it('1,000 beacons are a handful of INSERT statements, and every row is there after the flush', { timeout: 30_000 }, async () => {
    const s = await liveStream();
    const N = 1000;
    const started = Date.now();
    for (let i = 0; i < N; i += 50) {
      const rs = await Promise.all(Array.from({ length: 50 }, (_, k) => beacon('latency', latencyBody(s, { latencyMs: i + k }), { ip: `203.0.113.${((i + k) % 200) + 1}` })));
      // 1000 beacons from 200 addresses: 5 each, well inside the per-address budget.
      expect(rs.map((r) => r.status)).toEqual(Array(50).fill(204));
    }
    // Written by the writer's own timer (BEACON_FLUSH_INTERVAL_MS, 1 s), not by a flush from here.
    const rows = await waitFor(async () => {
      const n = (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "ViewerLatencySample" WHERE "sessionId" = $1', [s.sessionId])).rows[0]!.n;
      return n === N && n;
    }, 'all 1000 rows', 10_000);
    expect(rows).toBe(N);
    // Rows one INSERT wrote share its transaction id (xmin): count the statements that wrote them.
    const { rows: [tx] } = await sql.query<{ n: number }>('SELECT count(DISTINCT xmin::text)::int AS n FROM "ViewerLatencySample" WHERE "sessionId" = $1', [s.sessionId]);
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(tx!.n).toBeGreaterThanOrEqual(1);
    expect(tx!.n).toBeLessThanOrEqual(seconds + 2);
    expect((await samplesOf(s.sessionId)).map((r) => r.latencyMs).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i));
    const metrics = await (await fetch(`${backend.url}/metrics`)).text();
    expect(metrics).toMatch(/viewer_beacon_batches_total\{kind="latency"\} \d+/);
    await s.end();
  });

  it('the graceful shutdown writes what is still buffered', async () => {
    // A replica whose writer would wait a minute: only the shutdown can have written these.
    const b2 = await startTestBackend({ ...env, BEACON_FLUSH_INTERVAL_MS: '60000' });
    const s = await liveStream('public', b2);
    for (let i = 0; i < 30; i++) expect((await beacon('latency', latencyBody(s, { latencyMs: 1000 + i }), { base: b2.url })).status).toBe(204);
    expect(b2.ctx.analytics.latency.pending).toBe(30);
    await b2.stop();
    expect((await sql.query('SELECT 1 FROM "ViewerLatencySample" WHERE "sessionId" = $1', [s.sessionId])).rowCount).toBe(30);
    await s.end(backend.url);
  });

  it('a session deleted before the flush is skipped, the rest of the batch written', async () => {
    const gone = await liveStream();
    const kept = await liveStream();
    expect((await beacon('latency', latencyBody(gone))).status).toBe(204);
    expect((await beacon('latency', latencyBody(kept))).status).toBe(204);
    await gone.end();
    expect((await owner.del(`/api/streams/${gone.id}`)).status).toBe(204);
    await backend.ctx.analytics.flush();
    expect(backend.ctx.analytics.latency.pending).toBe(0);
    expect(await samplesOf(kept.sessionId)).toHaveLength(1);
    await kept.end();
  });
});

describe('GET /api/streams/:id/sessions/:sessionId/latency', () => {
  it('p50/p95 per protocol, samples and viewers, live (last minutes) and for the whole broadcast', async () => {
    const s = await liveStream();
    // WebRTC: 1..100 ms from 50 players (two beacons each); LL-HLS: 2000, 2500, 3000, 9000 from four.
    for (let i = 0; i < 50; i++) {
      const viewerId = viewer();
      for (const ms of [i + 1, i + 51]) expect((await beacon('latency', latencyBody(s, { viewerId, latencyMs: ms }))).status).toBe(204);
    }
    for (const ms of [2000, 2500, 3000, 9000]) expect((await beacon('latency', latencyBody(s, { protocol: 'llhls', rendition: undefined, latencyMs: ms }))).status).toBe(204);
    await backend.ctx.analytics.flush();
    // Ten minutes ago: outside a five-minute live window, part of the broadcast.
    await sql.query(`INSERT INTO "ViewerLatencySample" ("sessionId", at, "viewerId", protocol, "latencyMs") VALUES ($1, now() - interval '10 minutes', 'old-viewer-1', 'webrtc', 60000)`, [s.sessionId]);

    const live = await owner.get(`/api/streams/${s.id}/sessions/${s.sessionId}/latency?windowMinutes=5`);
    expect(live.status).toBe(200);
    expect(live.body).toEqual({
      sessionId: s.sessionId, live: true, windowMinutes: 5,
      protocols: { webrtc: { p50Ms: 50, p95Ms: 95, samples: 100, viewers: 50 }, llhls: { p50Ms: 2500, p95Ms: 9000, samples: 4, viewers: 4 } },
    });
    const whole = await owner.get(`/api/streams/${s.id}/sessions/${s.sessionId}/latency`);
    expect(whole.body.windowMinutes).toBeNull();
    expect(whole.body.protocols.webrtc).toEqual({ p50Ms: 51, p95Ms: 96, samples: 101, viewers: 51 });

    await s.end();
    const past = await owner.get(`/api/streams/${s.id}/sessions/${s.sessionId}/latency`);
    expect(past.body).toMatchObject({ live: false, protocols: { llhls: { p50Ms: 2500, samples: 4 } } });
    for (const q of ['0', '1441', 'abc', '1.5', '-1', '']) {
      const r = await owner.get(`/api/streams/${s.id}/sessions/${s.sessionId}/latency?windowMinutes=${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
    }
  });

  it('samples past LATENCY_SAMPLE_RETENTION_DAYS are deleted by the retention sweep, newer ones kept', async () => {
    const s = await liveStream();
    await sql.query(`INSERT INTO "ViewerLatencySample" ("sessionId", at, "viewerId", protocol, "latencyMs") VALUES ($1, now() - interval '31 days', 'old-viewer-2', 'llhls', 3000), ($1, now() - interval '29 days', 'old-viewer-3', 'llhls', 3100)`, [s.sessionId]);
    expect(await backend.ctx.analytics.prune()).toBeGreaterThanOrEqual(1);
    expect((await samplesOf(s.sessionId)).map((r) => r.viewerId)).toEqual(['old-viewer-3']);
    await s.end();
  });

  it('a broadcast without beacons: every protocol listed, no percentiles', async () => {
    const s = await liveStream();
    const r = await owner.get(`/api/streams/${s.id}/sessions/${s.sessionId}/latency?windowMinutes=5`);
    expect(r.body.protocols).toEqual({ webrtc: { p50Ms: null, p95Ms: null, samples: 0, viewers: 0 }, llhls: { p50Ms: null, p95Ms: null, samples: 0, viewers: 0 } });
    await s.end();
  });

  it('owner only: 401 without a session, 404 for someone else, for a session of another stream, and unknown ids', async () => {
    const s = await liveStream();
    const other = await liveStream();
    const path = `/api/streams/${s.id}/sessions/${s.sessionId}/latency`;
    expect((await new Client(backend.url).get(path)).status).toBe(401);
    const bob = new Client(backend.url);
    await bob.signUp();
    expect((await bob.get(path)).status).toBe(404);
    expect((await owner.get(`/api/streams/${s.id}/sessions/${other.sessionId}/latency`)).status).toBe(404);
    expect((await owner.get(`/api/streams/${s.id}/sessions/${randomUUID()}/latency`)).status).toBe(404);
    expect((await owner.get(`/api/streams/${s.id}/sessions/not-a-uuid/latency`)).status).toBe(404);
    expect((await owner.get(path)).status).toBe(200);
    await s.end();
    await other.end();
  });
});

describe('POST /api/beacons/vod', () => {
  async function readyVod(durationMs = 600_000) {
    const v = await backend.ctx.db.vod.create({
      data: { ownerId, recordingId: `beacon-${randomUUID()}`, status: 'ready', title: 'replay', durationMs, objectPrefix: 'vods/x/', playlistObject: 'vods/x/hls/index.m3u8', readyAt: new Date() },
    });
    const detail = await owner.get(`/api/vods/${v.id}`);
    expect(detail.status).toBe(200);
    const token = new URL(detail.body.playback.hls as string, 'http://x').searchParams.get('token')!;
    return { id: v.id, token };
  }
  const vodBody = (v: { id: string; token: string }, over: Record<string, unknown> = {}) => ({ vodId: v.id, viewerId: viewer(), token: v.token, watchedMs: 0, positionMs: 0, ...over });

  it('counts a view once per player, sums capped watch time, and shows both in the VOD API', async () => {
    const v = await readyVod();
    const a = viewer();
    const b = viewer();
    // Player a: starts, then two beacons claiming far more than it could have watched.
    expect((await beacon('vod', vodBody(v, { viewerId: a }))).status).toBe(204);
    expect((await beacon('vod', vodBody(v, { viewerId: a, watchedMs: 3_600_000, positionMs: 10_000 }))).status).toBe(204);
    expect((await beacon('vod', vodBody(v, { viewerId: a, watchedMs: 40_000, positionMs: 20_000 }))).status).toBe(204);
    await backend.ctx.analytics.flush();
    // One more from a in a later batch, and player b's first one.
    expect((await beacon('vod', vodBody(v, { viewerId: a, watchedMs: 10_000, positionMs: 30_000 }))).status).toBe(204);
    expect((await beacon('vod', vodBody(v, { viewerId: b, watchedMs: 8_000, positionMs: 8_000 }))).status).toBe(204);
    await backend.ctx.analytics.flush();

    const rows = await backend.ctx.db.vodView.findMany({ where: { vodId: v.id }, orderBy: { firstAt: 'asc' } });
    expect(rows.map((r) => r.viewerId).sort()).toEqual([a, b].sort());
    const rowA = rows.find((r) => r.viewerId === a)!;
    // Never more than from a's first beacon to its latest, plus one beacon (15 s).
    expect(rowA.watchedMs).toBeLessThanOrEqual(rowA.lastAt.getTime() - rowA.firstAt.getTime() + 15_000);
    expect(rowA.watchedMs).toBeGreaterThanOrEqual(15_000);
    expect(rowA.positionMs).toBe(30_000);
    const total = rows.reduce((n, r) => n + r.watchedMs, 0);
    const vod = await owner.get(`/api/vods/${v.id}`);
    expect(vod.body.vod).toMatchObject({ views: 2, watchTimeSeconds: Math.floor(total / 1000) });
    const list = await owner.get('/api/vods?limit=100');
    expect(list.body.vods.find((x: { id: string }) => x.id === v.id)).toMatchObject({ views: 2, watchTimeSeconds: Math.floor(total / 1000) });
    // The VOD's totals are exactly the sum of its viewers' rows.
    const totals = await backend.ctx.db.vod.findUniqueOrThrow({ where: { id: v.id }, select: { views: true, watchMs: true } });
    expect(totals).toEqual({ views: 2, watchMs: BigInt(total) });
  });

  it('watch time advances with the clock: a beacon every 10 s adds its 10 s', async () => {
    const v = await readyVod();
    const a = viewer();
    // The beacons' receipt times, spread as a player's would be (written straight, as the writer folds them).
    const t0 = Date.now() - 60_000;
    backend.ctx.analytics.vods.push({ vodId: v.id, viewerId: a, at: t0, watchedMs: 0, positionMs: 0 });
    await backend.ctx.analytics.flush();
    for (let i = 1; i <= 5; i++) {
      backend.ctx.analytics.vods.push({ vodId: v.id, viewerId: a, at: t0 + i * 10_000, watchedMs: 10_000, positionMs: i * 10_000 });
      await backend.ctx.analytics.flush();
    }
    expect(await backend.ctx.db.vod.findUniqueOrThrow({ where: { id: v.id }, select: { views: true, watchMs: true } })).toEqual({ views: 1, watchMs: 50_000n });
  });

  it('a private VOD is not revealed: without a valid token for it, an existing VOD and a made-up id get the same 401', async () => {
    const v = await readyVod();
    const other = await readyVod();
    const answers = [];
    for (const vodId of [v.id, randomUUID()]) {
      for (const token of ['x', other.token, `${v.token}x`, signVodPlaylist(vodId, 'another-secret-another-secret-another-s', 600).token]) {
        const r = await beacon('vod', { vodId, viewerId: viewer(), token, watchedMs: 0, positionMs: 0 });
        answers.push([r.status, r.body]);
      }
    }
    expect(new Set(answers.map((x) => JSON.stringify(x))).size).toBe(1);
    expect(answers[0]).toEqual([401, { error: { code: 'invalid_token', message: 'Missing or invalid playback token for this VOD' } }]);
    // A well-formed body without a token is refused by validation, as for any VOD.
    expect((await beacon('vod', { vodId: v.id, viewerId: viewer(), token: '', watchedMs: 0, positionMs: 0 })).status).toBe(400);
    await backend.ctx.analytics.flush();
    expect(await backend.ctx.db.vodView.count({ where: { vodId: v.id } })).toBe(0);
  });

  it('only ready VODs; a token past its lifetime counts while its segment URLs still play', async () => {
    const secret = testEnv().PLAYBACK_JWT_SECRET;
    const processing = await backend.ctx.db.vod.create({ data: { ownerId, recordingId: `beacon-${randomUUID()}`, status: 'processing' } });
    const r = await beacon('vod', { vodId: processing.id, viewerId: viewer(), token: signVodPlaylist(processing.id, secret, 600).token, watchedMs: 0, positionMs: 0 });
    expect(r.status).toBe(404);
    // A one-hour VOD: its segment URLs live 2 × 1 h + 15 min from the playlist fetch.
    const v = await readyVod(3_600_000);
    const now = Math.floor(Date.now() / 1000);
    const twoHoursAgo = signVodPlaylist(v.id, secret, 3600, now - 2 * 3600).token;
    expect((await beacon('vod', { vodId: v.id, viewerId: viewer(), token: twoHoursAgo, watchedMs: 0, positionMs: 0 })).status).toBe(204);
    const threeHoursAgo = signVodPlaylist(v.id, secret, 3600, now - 3 * 3600).token;
    const old = await beacon('vod', { vodId: v.id, viewerId: viewer(), token: threeHoursAgo, watchedMs: 0, positionMs: 0 });
    expect(old.status).toBe(401);
    expect(old.body!.error.code).toBe('token_expired');
  });

  it('a VOD deleted before the flush is skipped; validation and budgets as for latency beacons', async () => {
    const v = await readyVod();
    expect((await beacon('vod', vodBody(v))).status).toBe(204);
    await backend.ctx.db.vod.delete({ where: { id: v.id } });
    await backend.ctx.analytics.flush();
    expect(backend.ctx.analytics.vods.pending).toBe(0);
    const live = await readyVod();
    const bad = await beacon('vod', vodBody(live, { watchedMs: -1, viewerId: 'a\u0000bcdefgh' }));
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body!.error.details!.map((d) => d.path))].sort()).toEqual(['viewerId', 'watchedMs']);
    const ip = freshIp();
    const viewerId = viewer();
    const codes = [];
    for (let i = 0; i < PER_VIEWER + 1; i++) codes.push((await beacon('vod', vodBody(live, { viewerId }), { ip })).status);
    expect(codes).toEqual([...Array(PER_VIEWER).fill(204), 429]);
  });
});
