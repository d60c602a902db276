// VOD API over real HTTP, PostgreSQL and Redis, with objects in the GCS test server (which checks
// V4 signatures against the backend's local signing key) and ffprobe playing the served playlist.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { GcsTestServer } from '../../../vod-uploader/test/support/gcs-test-server.js';
import { makeRecording } from '../../../vod-uploader/test/support/media.js';
import { poster, probe, remuxToHls } from '../../../vod-uploader/src/media/ffmpeg.js';
import { localSigningKey } from './storage.js';
import { VOD_UPLOAD_QUEUE as DASHBOARD_VOD_QUEUE } from './dashboard.js';
import { VOD_UPLOAD_QUEUE as WORKER_VOD_QUEUE } from '../../../vod-uploader/src/jobs/vod-upload.js';

const run = promisify(execFile);
const BUCKET = 'ocp-test-vods';
const tools = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' };

let gcs: GcsTestServer;
let backend: RunningBackend;
let storage: Storage;
let alice: Client;
let bob: Client;
let aliceId: string;
let streamId: string;
let work: string;
let hls: { playlist: string; segments: string[] };
let posterFile: string;
let durationMs: number;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [BUCKET], signingPublicKey: localSigningKey().publicKeyPem });
  backend = await startTestBackend({ GCS_BUCKET: BUCKET, GCS_API_ENDPOINT: gcs.url, GCS_PROJECT_ID: 'ocp-test', SIGNED_URL_TTL_SECONDS: '600' });
  storage = new Storage({ apiEndpoint: gcs.url, projectId: 'ocp-test' });
  alice = new Client(backend.url);
  bob = new Client(backend.url);
  aliceId = (await alice.signUp()).id;
  await bob.signUp();
  streamId = (await alice.createStream({ name: 'VOD show' })).stream.id;

  work = await mkdtemp(path.join(os.tmpdir(), 'ocp-vod-routes-'));
  const rec = await makeRecording(path.join(work, 'rec.mp4'));
  durationMs = (await probe(tools, rec)).durationMs;
  hls = await remuxToHls(tools, rec, path.join(work, 'hls'), 2);
  posterFile = await poster(tools, rec, path.join(work, 'poster.jpg'), durationMs);
});

afterAll(async () => {
  await backend?.stop();
  await gcs?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A ready VOD as the worker leaves it: objects in the bucket, row in the database. */
async function readyVod(ownerId = aliceId) {
  const vod = await backend.ctx.db.vod.create({
    data: { ownerId, streamId, recordingId: `t${randomBytes(6).toString('hex')}-0`, status: 'processing', title: 'VOD show — test' },
  });
  const prefix = `vods/${vod.id}/`;
  const bucket = storage.bucket(BUCKET);
  for (const f of await readdir(path.join(work, 'hls'))) {
    await bucket.upload(path.join(work, 'hls', f), { destination: `${prefix}hls/${f}`, resumable: false });
  }
  await bucket.upload(posterFile, { destination: `${prefix}poster.jpg`, resumable: false });
  return backend.ctx.db.vod.update({
    where: { id: vod.id },
    data: {
      status: 'ready', durationMs, sizeBytes: 250_000n, objectPrefix: prefix, playlistObject: `${prefix}hls/index.m3u8`,
      posterObject: `${prefix}poster.jpg`, originalObject: `${prefix}original.mp4`, readyAt: new Date(),
    },
  });
}

describe('GET /api/vods', () => {
  it('lists own VODs only, filters by stream, and validates the filter', async () => {
    const mine = await readyVod();
    const other = await backend.ctx.db.vod.create({ data: { ownerId: aliceId, streamId: null, recordingId: `o${randomBytes(6).toString('hex')}-0` } });
    const list = await alice.get('/api/vods');
    expect(list.status).toBe(200);
    const ids = list.body.vods.map((v: { id: string }) => v.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, other.id]));
    const filtered = await alice.get(`/api/vods?streamId=${streamId}`);
    expect(filtered.body.vods.map((v: { id: string }) => v.id)).toContain(mine.id);
    expect(filtered.body.vods.map((v: { id: string }) => v.id)).not.toContain(other.id);
    expect((await bob.get('/api/vods')).body.vods.map((v: { id: string }) => v.id)).not.toContain(mine.id);
    const bad = await alice.get('/api/vods?streamId=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', details: [{ path: 'streamId' }] });
    expect((await new Client(backend.url).get('/api/vods')).status).toBe(401);
  });
});

describe('GET /api/vods/:id and the signed playlist', () => {
  it('returns the VOD with a playlist URL that ffprobe plays through signed segment URLs', async () => {
    const vod = await readyVod();
    const r = await alice.get(`/api/vods/${vod.id}`);
    expect(r.status).toBe(200);
    expect(r.body.vod).toMatchObject({
      id: vod.id, streamId, sessionId: null, status: 'ready', error: null, durationMs, sizeBytes: 250_000, readyAt: expect.any(String),
    });
    expect(r.body.playback.hls).toMatch(new RegExp(`^/api/vods/${vod.id}/playlist\\.m3u8\\?token=`));

    // The poster URL is a V4 signed URL the storage accepts.
    const posterRes = await fetch(r.body.vod.posterUrl);
    expect(posterRes.status).toBe(200);
    expect(posterRes.headers.get('content-type')).toBe('image/jpeg');

    const playlistRes = await fetch(backend.url + r.body.playback.hls);
    expect(playlistRes.status).toBe(200);
    expect(playlistRes.headers.get('content-type')).toContain('application/vnd.apple.mpegurl');
    expect(playlistRes.headers.get('cache-control')).toBe('private, no-store');
    const text = await playlistRes.text();
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    const segs = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(segs.length).toBe(hls.segments.length);
    for (const s of segs) expect(s).toMatch(new RegExp(`^${gcs.url}/${BUCKET}/vods/${vod.id}/hls/seg_\\d+\\.ts\\?.*X-Goog-Signature=`));

    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', backend.url + r.body.playback.hls]);
    const seconds = Number(JSON.parse(stdout).format.duration);
    expect(seconds).toBeGreaterThan(durationMs / 1000 - 0.3);
    expect(seconds).toBeLessThan(durationMs / 1000 + 0.3);

    // The storage really checks the signatures: a tampered one is refused.
    const tampered = segs[0]!.replace(/X-Goog-Signature=([0-9a-f])/, (_m, c: string) => `X-Goog-Signature=${c === '0' ? '1' : '0'}`);
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('refuses missing, wrong and foreign playlist tokens', async () => {
    const a = await readyVod();
    const b = await readyVod();
    const tokenA = new URL(backend.url + (await alice.get(`/api/vods/${a.id}`)).body.playback.hls).searchParams.get('token')!;
    const anon = new Client(backend.url);
    const missing = await anon.get(`/api/vods/${a.id}/playlist.m3u8`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_error');
    expect((await anon.get(`/api/vods/${a.id}/playlist.m3u8?token=garbage`)).body.error.code).toBe('invalid_token');
    const foreign = await anon.get(`/api/vods/${b.id}/playlist.m3u8?token=${encodeURIComponent(tokenA)}`);
    expect(foreign.status).toBe(401);
    expect((await anon.get(`/api/vods/${a.id}/playlist.m3u8?token=${encodeURIComponent(tokenA)}`)).status).toBe(200);
  });

  it('hides other users\' VODs and has no playback before ready', async () => {
    const vod = await readyVod();
    expect((await bob.get(`/api/vods/${vod.id}`)).status).toBe(404);
    expect((await alice.get('/api/vods/not-a-uuid')).status).toBe(404);
    const pending = await backend.ctx.db.vod.create({ data: { ownerId: aliceId, streamId, recordingId: `p${randomBytes(6).toString('hex')}-0`, status: 'processing' } });
    const r = await alice.get(`/api/vods/${pending.id}`);
    expect(r.body).toMatchObject({ vod: { status: 'processing', posterUrl: null }, playback: null });
    const failed = await backend.ctx.db.vod.create({ data: { ownerId: aliceId, streamId, recordingId: `f${randomBytes(6).toString('hex')}-0`, status: 'failed', error: 'corrupt recording: ffprobe failed' } });
    expect((await alice.get(`/api/vods/${failed.id}`)).body.vod).toMatchObject({ status: 'failed', error: 'corrupt recording: ffprobe failed' });
  });
});

describe('DELETE /api/vods/:id', () => {
  it('deletes every object under the VOD prefix, then the row; a missing object is not an error', async () => {
    const vod = await readyVod();
    const prefix = `vods/${vod.id}/`;
    expect(gcs.list(BUCKET, prefix).length).toBeGreaterThan(3);
    await storage.bucket(BUCKET).file(`${prefix}poster.jpg`).delete();
    expect((await bob.del(`/api/vods/${vod.id}`)).status).toBe(404);
    expect((await alice.del(`/api/vods/${vod.id}`)).status).toBe(204);
    expect(gcs.list(BUCKET, prefix)).toEqual([]);
    expect(await backend.ctx.db.vod.findUnique({ where: { id: vod.id } })).toBeNull();
    expect((await alice.del(`/api/vods/${vod.id}`)).status).toBe(404);
  });

  it('refuses to delete a VOD that is still processing', async () => {
    const v = await backend.ctx.db.vod.create({ data: { ownerId: aliceId, streamId, recordingId: `q${randomBytes(6).toString('hex')}-0`, status: 'processing' } });
    const r = await alice.del(`/api/vods/${v.id}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('vod_processing');
  });
});

describe('queue dashboard', () => {
  it('is for administrators only and keeps the token out of the URL', async () => {
    const base = `${backend.url}/admin/queues`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(base, { headers: { authorization: `Bearer ${alice.token}` } })).status).toBe(403);
    await backend.ctx.db.user.update({ where: { id: aliceId }, data: { role: 'admin' } });
    // A real session of the (now admin) user: the gate reads the role from the database.
    const admin = (await backend.ctx.sessions.start(aliceId)).token;
    const enter = await fetch(`${base}?token=${encodeURIComponent(admin)}`, { redirect: 'manual' });
    expect(enter.status).toBe(303);
    expect(enter.headers.get('location')).toBe('/admin/queues');
    const cookie = enter.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ocp_admin_session=.+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    const page = await fetch(base, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const api = await fetch(`${base}/api/queues`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['vod-upload', 'webhooks']));
    // The dashboard watches the queue the worker really consumes.
    expect(DASHBOARD_VOD_QUEUE).toBe(WORKER_VOD_QUEUE);
  });
});

describe('OpenAPI', () => {
  it('documents the VOD routes', async () => {
    const doc = (await new Client(backend.url).get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/vods', '/api/vods/{id}', '/api/vods/{id}/playlist.m3u8']));
  });
});

describe('without GCS configured', () => {
  it('still lists VODs but answers 503 storage_unavailable where objects are needed', async () => {
    const bare = await startTestBackend();
    try {
      const vod = await readyVod();
      const c = new Client(bare.url);
      c.token = alice.token;
      const r = await c.get(`/api/vods/${vod.id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ vod: { id: vod.id, status: 'ready', posterUrl: null }, playback: null });
      const del = await c.del(`/api/vods/${vod.id}`);
      expect(del.status).toBe(503);
      expect(del.body.error.code).toBe('storage_unavailable');
    } finally {
      await bare.stop();
    }
  });
});
