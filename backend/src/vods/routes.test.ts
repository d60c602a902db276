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

/** A ready multi-variant VOD as the worker leaves it (vod-uploader abr-join.ts): master, variant and audio playlists. */
async function readyAbrVod() {
  const vod = await backend.ctx.db.vod.create({
    data: { ownerId: aliceId, streamId, recordingId: `session-${randomBytes(6).toString('hex')}`, status: 'processing', title: 'ABR show' },
  });
  const prefix = `vods/${vod.id}/`;
  const bucket = storage.bucket(BUCKET);
  const segs = (await readdir(path.join(work, 'hls'))).filter((f) => f.endsWith('.ts')).sort();
  const media = (name: string) => ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:3', '#EXT-X-PLAYLIST-TYPE:VOD', ...segs.flatMap((f, i) => [`#EXTINF:2.000000,`, `${name}_p1_${String(i).padStart(5, '0')}.ts`]), '#EXT-X-ENDLIST', ''].join('\n');
  for (const name of ['source', '360p', 'audio']) {
    for (const [i, f] of segs.entries()) await bucket.upload(path.join(work, 'hls', f), { destination: `${prefix}hls/${name}_p1_${String(i).padStart(5, '0')}.ts`, resumable: false });
    await bucket.file(`${prefix}hls/${name}.m3u8`).save(media(name), { resumable: false });
  }
  const master = [
    '#EXTM3U', '#EXT-X-VERSION:4', '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="default",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio.m3u8"',
    '#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.64001E,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="audio"', 'source.m3u8',
    '#EXT-X-STREAM-INF:BANDWIDTH=500000,AVERAGE-BANDWIDTH=400000,CODECS="avc1.64000D,mp4a.40.2",RESOLUTION=426x240,FRAME-RATE=30.000,AUDIO="audio"', '360p.m3u8', '',
  ].join('\n');
  await bucket.file(`${prefix}hls/master.m3u8`).save(master, { resumable: false });
  const variant = (name: string, width: number, height: number, bandwidth: number) => ({
    name, playlist: `${name}.m3u8`, width, height, frameRate: 30, bandwidth, averageBandwidth: bandwidth - 100_000, codecs: 'avc1.64001E,mp4a.40.2', transcoded: null,
  });
  return backend.ctx.db.vod.update({
    where: { id: vod.id },
    data: {
      status: 'ready', durationMs, sizeBytes: 250_000n, storageBytes: 1_234_567n, objectPrefix: prefix, playlistObject: `${prefix}hls/master.m3u8`, posterObject: null,
      originalObject: `${prefix}original.mp4`, readyAt: new Date(),
      renditions: { layout: 'abr', format: 'mov,mp4', tracks: [], variants: [variant('source', 640, 360, 900_000), variant('360p', 426, 240, 500_000)], audio: { playlist: 'audio.m3u8', codecs: 'mp4a.40.2', channels: 2 } },
    },
  });
}

describe('multi-variant VODs (ABR)', () => {
  it('lists the renditions, serves the master with every variant pointing at the variant route, and each variant with signed segments', async () => {
    const vod = await readyAbrVod();
    const r = await alice.get(`/api/vods/${vod.id}`);
    expect(r.status).toBe(200);
    expect(r.body.vod.storageBytes).toBe(1_234_567);
    expect(r.body.vod.renditions).toEqual([
      { name: 'source', width: 640, height: 360, bandwidth: 900_000, averageBandwidth: 800_000, codecs: 'avc1.64001E,mp4a.40.2', frameRate: 30 },
      { name: '360p', width: 426, height: 240, bandwidth: 500_000, averageBandwidth: 400_000, codecs: 'avc1.64001E,mp4a.40.2', frameRate: 30 },
    ]);
    const masterUrl = backend.url + r.body.playback.hls;
    const master = await (await fetch(masterUrl)).text();
    const lines = master.split('\n');
    // Tags kept byte for byte; the variant URIs and the audio URI go through the backend again.
    expect(lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF'))).toEqual([
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.64001E,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="audio"',
      '#EXT-X-STREAM-INF:BANDWIDTH=500000,AVERAGE-BANDWIDTH=400000,CODECS="avc1.64000D,mp4a.40.2",RESOLUTION=426x240,FRAME-RATE=30.000,AUDIO="audio"',
    ]);
    const uris = lines.filter((l) => l && !l.startsWith('#'));
    expect(uris.map((u) => u.split('?')[0])).toEqual(['playlists/source.m3u8', 'playlists/360p.m3u8']);
    const audioUri = /URI="([^"]+)"/.exec(lines.find((l) => l.startsWith('#EXT-X-MEDIA'))!)![1]!;
    expect(audioUri.split('?')[0]).toBe('playlists/audio.m3u8');
    for (const u of [...uris, audioUri]) {
      // Relative to the master's URL, as players resolve it.
      const res = await fetch(new URL(u, masterUrl));
      expect(res.status, u).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      const text = await res.text();
      const segs = text.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(segs.length).toBe(hls.segments.length);
      const name = u.split('?')[0]!.slice('playlists/'.length, -'.m3u8'.length);
      for (const sg of segs) expect(sg).toMatch(new RegExp(`^${gcs.url}/${BUCKET}/vods/${vod.id}/hls/${name}_p1_\\d+\\.ts\\?.*X-Goog-Signature=`));
      expect((await fetch(segs[0]!)).status).toBe(200);
    }
    // ffprobe follows the master, its variants and their signed segments.
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', masterUrl]);
    expect(Number(JSON.parse(stdout).format.duration)).toBeGreaterThan(durationMs / 1000 - 1);
  });

  it('serves only the playlists the VOD lists, with a valid token for that VOD; bad names are 400', async () => {
    const vod = await readyAbrVod();
    const other = await readyAbrVod();
    const token = new URL(backend.url + (await alice.get(`/api/vods/${vod.id}`)).body.playback.hls).searchParams.get('token')!;
    const anon = new Client(backend.url);
    const q = `?token=${encodeURIComponent(token)}`;
    expect((await anon.get(`/api/vods/${vod.id}/playlists/source.m3u8${q}`)).status).toBe(200);
    const unknown = await anon.get(`/api/vods/${vod.id}/playlists/1080p.m3u8${q}`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    // The master itself and other stored objects are not variants.
    expect((await anon.get(`/api/vods/${vod.id}/playlists/master.m3u8${q}`)).status).toBe(404);
    for (const bad of ['..%2Fposter.jpg', 'source.ts', 'a%20b.m3u8', `${'x'.repeat(40)}.m3u8`]) {
      const res = await anon.get(`/api/vods/${vod.id}/playlists/${bad}${q}`);
      expect([res.status, res.body.error.code], bad).toEqual([400, 'validation_error']);
    }
    expect((await anon.get(`/api/vods/${vod.id}/playlists/source.m3u8`)).status).toBe(400);
    expect((await anon.get(`/api/vods/${vod.id}/playlists/source.m3u8?token=garbage`)).body.error.code).toBe('invalid_token');
    expect((await anon.get(`/api/vods/${other.id}/playlists/source.m3u8${q}`)).status).toBe(401);
    // A single-playlist VOD has no variant playlists.
    const old = await readyVod();
    const oldToken = new URL(backend.url + (await alice.get(`/api/vods/${old.id}`)).body.playback.hls).searchParams.get('token')!;
    expect((await anon.get(`/api/vods/${old.id}/playlists/index.m3u8?token=${encodeURIComponent(oldToken)}`)).status).toBe(404);
  });

  it('a single-rendition VOD (made before ABR) keeps its media playlist and lists one rendition from its tracks', async () => {
    const vod = await readyVod();
    await backend.ctx.db.vod.update({
      where: { id: vod.id },
      data: { renditions: { format: 'mov,mp4', bitrateBps: 700_000, tracks: [{ type: 'video', codec: 'h264', width: 640, height: 360, fps: 30 }, { type: 'audio', codec: 'aac', channels: 1 }], hls: { segments: 3, targetDurationSeconds: 2 } } },
    });
    const r = await alice.get(`/api/vods/${vod.id}`);
    expect(r.body.vod.renditions).toEqual([{ name: 'source', width: 640, height: 360, bandwidth: 700_000, averageBandwidth: 700_000, codecs: null, frameRate: 30 }]);
    expect(r.body.vod.storageBytes).toBeNull();
    const text = await (await fetch(backend.url + r.body.playback.hls)).text();
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text).not.toContain('playlists/');
  });
});

describe('GET /api/usage', () => {
  it('sums the stored bytes of your VODs and counts those not measured yet', async () => {
    const carol = new Client(backend.url);
    const carolId = (await carol.signUp()).id;
    const mk = (storageBytes: bigint | null, status: 'ready' | 'failed' = 'ready') =>
      backend.ctx.db.vod.create({ data: { ownerId: carolId, recordingId: `u${randomBytes(6).toString('hex')}-0`, status, storageBytes } });
    expect((await carol.get('/api/usage')).body).toEqual({ usage: { storageBytes: 0, vods: 0, unmeasuredVods: 0 } });
    await mk(3_000_000_000n);
    await mk(1_500n);
    await mk(null);
    await mk(null, 'failed');
    expect((await carol.get('/api/usage')).body).toEqual({ usage: { storageBytes: 3_000_001_500, vods: 4, unmeasuredVods: 1 } });
    // Someone else's VODs do not count; no session, no usage.
    expect((await bob.get('/api/usage')).body.usage.storageBytes).toBe(0);
    expect((await new Client(backend.url).get('/api/usage')).status).toBe(401);
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
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/vods', '/api/vods/{id}', '/api/vods/{id}/playlist.m3u8', '/api/vods/{id}/playlists/{name}', '/api/usage']));
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
