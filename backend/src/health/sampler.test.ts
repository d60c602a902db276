// Health over time (issue 15.2): two backend replicas on one PostgreSQL/Redis sample live broadcasts
// from a stand-in for OME's REST API (captured stream and stats envelopes); one leader per tick.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, isolatedDatabase, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, testEnv } from '../../test/helpers.js';
import { OmeRestStandIn } from '../../test/support/ome-rest-stand-in.js';
import type { RunningBackend } from '../server.js';
import { LOCK_KEYS } from '../db/lock-keys.js';

let ome: OmeRestStandIn;
let db: { url: string; drop: () => Promise<void> };
let a: RunningBackend;
let b: RunningBackend;
let user: Client;
beforeAll(async () => {
  ome = await new OmeRestStandIn().start();
  db = await isolatedDatabase('health_samples');
  // Manual ticks (interval 0): the test decides when a sample is taken.
  const env = testEnv({ DATABASE_URL: db.url, OME_API_URL: ome.url, OME_API_ACCESS_TOKEN: ome.accessToken, HEALTH_SAMPLE_INTERVAL_MS: '0', HEALTH_SAMPLE_RETENTION_DAYS: '30' });
  a = await startTestBackend(env);
  b = await startTestBackend(env);
  user = new Client(a.url);
  await user.signUp();
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await ome?.stop();
  await db?.drop();
});

async function liveStream(port: number) {
  const { stream, ingest } = await user.createStream({ name: `sampled ${port}`, reconnectWindowSeconds: 0 });
  expect((await sendAdmission(a.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, { port }))).body.allowed).toBe(true);
  ome.streams.add(stream.id);
  const [session] = (await user.get(`/api/streams/${stream.id}/sessions`)).body.sessions;
  return { id: stream.id as string, sessionId: session.id as string };
}

describe('health sampler', () => {
  it('samples each live broadcast from OME (bitrate, fps, viewers per protocol); the series sums peak viewers and viewer-minutes', async () => {
    const s = await liveStream(65001);
    ome.connections.set(s.id, { webrtc: 3, llhls: 2, file: 1 });
    expect(await a.healthSampler.sample()).toBe(1);
    ome.connections.set(s.id, { webrtc: 5, llhls: 1, file: 1 });
    expect(await b.healthSampler.sample()).toBe(1);
    const r = await user.get(`/api/streams/${s.id}/sessions/${s.sessionId}/health`);
    expect(r.status).toBe(200);
    expect(r.body.samples).toHaveLength(2);
    expect(r.body.samples[0]).toMatchObject({ viewers: { webrtc: 3, llhls: 2, total: 5 } });
    expect(r.body.samples[0].fps).toBeCloseTo(29.97, 1); // the captured stats' current frame rate
    expect(r.body.samples[0].bitrateInBps).toBeGreaterThan(0);
    expect(r.body.peakViewers).toBe(6);
    expect(r.body.viewerMinutes).toBeGreaterThan(0);
    // The requests were OME's documented GETs with the Basic token.
    const asked = ome.seen.filter((x) => x.url.includes(s.id));
    expect(asked.map((x) => `${x.method} ${x.url}`)).toEqual(expect.arrayContaining([`GET /v1/vhosts/default/apps/app/streams/${s.id}`, `GET /v1/stats/current/vhosts/default/apps/app/streams/${s.id}`]));
    expect(asked.every((x) => x.auth === ome.expectedAuth)).toBe(true);
    // Owner only; a session of another stream is 404.
    const other = new Client(a.url);
    await other.signUp();
    expect((await other.get(`/api/streams/${s.id}/sessions/${s.sessionId}/health`)).status).toBe(404);
    const t = await liveStream(65002);
    expect((await user.get(`/api/streams/${s.id}/sessions/${t.sessionId}/health`)).status).toBe(404);
    expect((await user.get(`/api/streams/${s.id}/sessions/junk/health`)).status).toBe(404);
  });

  it('one replica samples per tick: while another holds the leader lock, a tick writes nothing', async () => {
    const s = await liveStream(65003);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1::bigint)', [LOCK_KEYS.healthSampler]);
      expect(await Promise.all([a.healthSampler.sample(), b.healthSampler.sample()])).toEqual([0, 0]);
      await c.query('SELECT pg_advisory_unlock($1::bigint)', [LOCK_KEYS.healthSampler]);
      const before = await a.ctx.db.streamHealthSample.count({ where: { sessionId: s.sessionId } });
      await a.healthSampler.sample();
      expect(await a.ctx.db.streamHealthSample.count({ where: { sessionId: s.sessionId } })).toBe(before + 1);
    } finally {
      await c.end();
    }
  });

  it('is not held up by the other periodic jobs: their locks taken, the sampler still samples', async () => {
    const s = await liveStream(65005);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      for (const [name, key] of Object.entries(LOCK_KEYS)) if (name !== 'healthSampler') await c.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      const before = await a.ctx.db.streamHealthSample.count({ where: { sessionId: s.sessionId } });
      expect(await a.healthSampler.sample()).toBeGreaterThan(0);
      expect(await a.ctx.db.streamHealthSample.count({ where: { sessionId: s.sessionId } })).toBe(before + 1);
    } finally {
      await c.end();
    }
  });

  it('skips streams OME does not have, keeps going when OME is down, and deletes samples past the retention', async () => {
    const s = await liveStream(65004);
    ome.streams.delete(s.id); // not (yet) at OME: no sample
    await a.healthSampler.sample();
    expect(await a.ctx.db.streamHealthSample.count({ where: { sessionId: s.sessionId } })).toBe(0);
    ome.down = true;
    expect(await a.healthSampler.sample()).toBe(0);
    ome.down = false;
    await a.ctx.db.streamHealthSample.create({ data: { sessionId: s.sessionId, at: new Date(Date.now() - 31 * 86_400_000), bitrateInBps: 1, viewersWebrtc: 0, viewersLlhls: 0 } });
    await a.healthSampler.sample();
    expect(await a.ctx.db.streamHealthSample.count({ where: { sessionId: s.sessionId } })).toBe(0);
  });
});

describe('series over the API', () => {
  it('sums peak viewers and viewer-minutes over the whole broadcast (each sample until the next, at most two intervals); since= gives only the newer samples', async () => {
    const s = await liveStream(65005);
    const t0 = Date.parse('2026-12-04T04:00:00.000Z');
    const at = (sec: number) => new Date(t0 + sec * 1000);
    // 6 viewers for 5 s, 12 for 5 s, a 60 s gap counted as 10 s of 12, then 0 for one interval.
    await a.ctx.db.streamHealthSample.createMany({
      data: [
        [65, 0, 0],
        [0, 4, 2],
        [5, 10, 2],
      ].map(([sec, w, l]) => ({ sessionId: s.sessionId, at: at(sec!), bitrateInBps: 1_000_000, fps: 30, viewersWebrtc: w!, viewersLlhls: l! })),
    });
    const url = `/api/streams/${s.id}/sessions/${s.sessionId}/health`;
    const all = await user.get(url);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ intervalMs: 5000, peakViewers: 12, viewerMinutes: Math.round(((6 * 5 + 12 * 10) / 60) * 10) / 10 });
    expect(all.body.samples.map((x: { at: string }) => x.at)).toEqual([at(0), at(5), at(65)].map((d) => d.toISOString()));
    const newer = await user.get(`${url}?since=${encodeURIComponent(at(5).toISOString())}`);
    expect(newer.status).toBe(200);
    expect(newer.body).toMatchObject({ peakViewers: 12, viewerMinutes: all.body.viewerMinutes, samples: [{ at: at(65).toISOString(), viewers: { webrtc: 0, llhls: 0, total: 0 } }] });
    expect((await user.get(`${url}?since=${encodeURIComponent('2026-12-04T05:00:00+01:00')}`)).body.samples).toHaveLength(2);
    const bad = await user.get(`${url}?since=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', details: [{ path: 'since', message: expect.stringContaining('since must be an ISO 8601 date-time') }] });
  });

  it('a broadcast with no samples sums to zero', async () => {
    const s = await liveStream(65006);
    expect((await user.get(`/api/streams/${s.id}/sessions/${s.sessionId}/health`)).body).toEqual({ intervalMs: 5000, peakViewers: 0, viewerMinutes: 0, samples: [] });
  });
});
