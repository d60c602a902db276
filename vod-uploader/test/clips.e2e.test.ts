// Clips and MP4 downloads end to end: the backend's routes queue the jobs, the worker cuts and
// builds from what it stored (real ffmpeg-made recordings: an ABR ladder as OME's record map leaves
// it, and a single-file recording of the older layout), the GCS test server checks every signed URL
// (signature and expiry) and copies server-side. Results are read back with ffprobe/ffmpeg.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localSigningKey } from '../../backend/src/vods/storage.js';
import { Client, startTestBackend } from '../../backend/test/helpers.js';
import type { RunningBackend } from '../../backend/src/server.js';
import { startVodService, type VodService } from '../src/app.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, endBroadcastForVod, recordingEvents, tempDir, testConfig, uniquePrefix, waitFor, waitForVod } from './support/harness.js';
import { LadderBroadcast, makeLadder, writeInfo } from './support/media.js';

const run = promisify(execFile);
const FPS = 30;
const FRAME_S = 1 / FPS;
let gcs: GcsTestServer;
let backend: RunningBackend;
let worker: VodService;
let root: string;
let owner: Client;
let events: ReturnType<typeof recordingEvents>;
/** An 8 s ABR VOD (960x540 source + 480p + 360p, keyframes every second, 2 s segments, audio group). */
let abr: { id: string; durationMs: number };
/** An 8 s VOD of the older layout: one media playlist (hls/index.m3u8), audio and video in each segment. */
let single: { id: string; durationMs: number };

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET], signingPublicKey: localSigningKey().publicKeyPem });
  // One Redis prefix for both: the backend queues on the queues the worker takes jobs from.
  const redisPrefix = uniquePrefix(inject('redisPrefix'));
  backend = await startTestBackend({
    GCS_BUCKET: TEST_BUCKET, GCS_API_ENDPOINT: gcs.url, GCS_PROJECT_ID: 'ocp-test', GCS_PREFIX: 'vods/', REDIS_PREFIX: redisPrefix,
    CLIP_MIN_SECONDS: '1', CLIP_MAX_SECONDS: '60', DOWNLOAD_URL_TTL_SECONDS: '2',
  });
  root = await tempDir('clips');
  await mkdir(path.join(root, 'rec'), { recursive: true });
  events = recordingEvents();
  worker = await startVodService(
    testConfig({ databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix, gcsUrl: gcs.url, recordingsDir: path.join(root, 'rec'), workDir: path.join(root, 'work') }),
    { events, db: backend.ctx.db },
  );
  owner = new Client(backend.url);
  await owner.signUp();
  [abr, single] = await Promise.all([abrVod(), singleVod()]);
}, 240_000);

afterAll(async () => {
  await worker?.stop();
  await backend?.stop();
  await gcs?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function abrVod() {
  const db = backend.ctx.db;
  const { stream } = await owner.createStream({ name: 'Clip source ABR' });
  const t0 = new Date(Date.now() - 60_000);
  const session = await db.streamSession.create({ data: { streamId: stream.id, protocol: 'rtmp', clientAddress: '127.0.0.1', clientPort: 50003, startedAt: t0 } });
  const { files } = await makeLadder(path.join(root, 'abr-src'), '20261204130000_20261204130008.mp4', { seconds: 8, size: '960x540', rungs: [480, 360], copies: ['1080p', '720p'], sourceGop: 30, startOffsetS: 5 });
  await new LadderBroadcast(path.join(root, 'rec'), stream.id).publish(files, new Date(t0.getTime() + 1_000));
  const vod = await endBroadcastForVod(db, session.id, files.size);
  expect(vod.error).toBeNull();
  expect(vod.playlistObject).toMatch(/hls\/master\.m3u8$/);
  return { id: vod.id, durationMs: vod.durationMs! };
}

/** H.264/AAC with a keyframe every second (2 s segments in the test env: cuts inside segments). */
async function recording(file: string, seconds: number, size: string) {
  await run('ffmpeg', [
    '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${FPS}:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', file,
  ]);
}

async function singleVod() {
  const { stream } = await owner.createStream({ name: 'Clip source single' });
  const dir = path.join(root, 'rec', 'default', 'app', stream.id);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, '20261122010000_20261122010008.ts');
  await recording(file, 8, '640x360');
  const transactionId = randomBytes(8).toString('hex');
  await writeInfo(path.join(dir, 'info.xml'), [{ transactionId, stream: stream.id, filePath: file }]);
  const vod = await waitForVod(backend.ctx.db, `${transactionId}-0`, 'ready', 90_000);
  expect(vod.playlistObject).toMatch(/hls\/index\.m3u8$/);
  return { id: vod.id, durationMs: vod.durationMs! };
}

interface ApiVod {
  id: string;
  status: string;
  error: string | null;
  durationMs: number | null;
  title: string;
  clip: { sourceId: string | null; sourceTitle: string | null; startMs: number; endMs: number; actualStartMs: number | null; actualEndMs: number | null } | null;
  download: { status: string; error: string | null; sizeBytes: number | null };
}

async function settled(id: string, timeoutMs = 90_000): Promise<ApiVod> {
  return waitFor(`VOD ${id} settled`, async () => {
    const r = await owner.get(`/api/vods/${id}`);
    return r.body.vod.status === 'ready' || r.body.vod.status === 'failed' ? (r.body.vod as ApiVod) : null;
  }, timeoutMs, 200);
}

function parseMedia(text: string): { durationS: number; uri: string }[] {
  const out: { durationS: number; uri: string }[] = [];
  let pending = 0;
  for (const l of text.split('\n').map((x) => x.trim())) {
    if (l.startsWith('#EXTINF:')) pending = Number.parseFloat(l.slice(8));
    else if (l && !l.startsWith('#')) out.push({ durationS: pending, uri: l });
  }
  return out;
}

async function packets(file: string, stream: 'v' | 'a'): Promise<{ pts: number; key: boolean }[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', `${stream}:0`, '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file]);
  return stdout.trim().split('\n').filter(Boolean).map((l) => ({ pts: Number(l.split(',')[0]), key: l.split(',')[1]!.includes('K') }));
}

/** Decodes every frame; errors fail the test. Returns the video frame count. */
async function decodeFrames(target: string): Promise<number> {
  const { stdout, stderr } = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'json', target], { timeout: 120_000 });
  expect(stderr.trim()).toBe('');
  // An HLS input lists its streams once more under its program: the first is enough.
  return Number((JSON.parse(stdout) as { streams: { nb_read_frames: string }[] }).streams[0]!.nb_read_frames);
}

async function decodesCleanly(target: string): Promise<void> {
  const { stderr } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', target, '-f', 'null', '-'], { timeout: 120_000 });
  expect(stderr.trim(), target).toBe('');
}

/** A Vod's objects copied into a folder by name (ffmpeg reads its playlists there). */
async function localCopy(prefix: string): Promise<string> {
  const dir = path.join(root, `dl-${randomBytes(4).toString('hex')}`);
  for (const o of gcs.list(TEST_BUCKET, prefix)) {
    const target = path.join(dir, o.name.slice(prefix.length));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(o.file, target);
  }
  return dir;
}

const storedText = (name: string) => readFile(gcs.get(TEST_BUCKET, name)!.file, 'utf8');

describe('clips', () => {
  it('an ABR VOD: every variant and the audio cut at the keyframes around the range, copies server-side, plays through the backend', async () => {
    const rewritesBefore = gcs.rewrites;
    const r = await owner.post(`/api/vods/${abr.id}/clips`, { startMs: 3300, endMs: 6400, title: 'Best bit' });
    expect(r.status).toBe(202);
    expect(r.body.vod).toMatchObject({ status: 'processing', title: 'Best bit', clip: { sourceId: abr.id, sourceTitle: expect.any(String), startMs: 3300, endMs: 6400, actualStartMs: null, actualEndMs: null } });
    const clip = await settled(r.body.vod.id);
    expect(clip.error).toBeNull();
    const { actualStartMs, actualEndMs } = clip.clip!;
    // Within one GOP (1 s) of the request: the keyframe at or before the start, at or after the end.
    expect(actualStartMs!).toBeLessThanOrEqual(3300);
    expect(actualStartMs!).toBeGreaterThan(3300 - 1000);
    expect(actualEndMs!).toBeGreaterThanOrEqual(6400);
    expect(actualEndMs!).toBeLessThan(6400 + 1000);
    // The keyframes are on whole seconds of the source: 3 s and 7 s.
    expect(Math.abs(actualStartMs! - 3000)).toBeLessThanOrEqual(2);
    expect(Math.abs(actualEndMs! - 7000)).toBeLessThanOrEqual(2);
    expect(clip.durationMs).toBe(actualEndMs! - actualStartMs!);

    const row = (await backend.ctx.db.vod.findUnique({ where: { id: clip.id } }))!;
    const prefix = `vods/${clip.id}/`;
    expect(row.objectPrefix).toBe(prefix);
    expect(row.playlistObject).toBe(`${prefix}hls/master.m3u8`);
    expect(row.posterObject).toBe(`${prefix}poster.jpg`);
    const master = await storedText(row.playlistObject!);
    const variants = master.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(variants).toEqual(['source.m3u8', '480p.m3u8', '360p.m3u8']);
    expect(master).toContain('URI="audio.m3u8"');
    // The clip's bit rates are its own, recomputed from its segments.
    for (const l of master.split('\n').filter((x) => x.startsWith('#EXT-X-STREAM-INF:'))) expect(Number(/BANDWIDTH=(\d+)/.exec(l)![1])).toBeGreaterThan(0);

    const expected = (actualEndMs! - actualStartMs!) / 1000;
    const local = await localCopy(prefix);
    for (const v of [...variants, 'audio.m3u8']) {
      const segs = parseMedia(await storedText(`${prefix}hls/${v}`));
      const total = segs.reduce((a, s) => a + s.durationS, 0);
      // 3–4 s, 4–6 s, 6–7 s: re-cut, copied, re-cut.
      if (v !== 'audio.m3u8') {
        expect(segs, v).toHaveLength(3);
        expect(Math.abs(total - expected), v).toBeLessThan(FRAME_S);
        const first = await packets(path.join(local, 'hls', segs[0]!.uri), 'v');
        expect(first[0]!.key, `${v}: first frame is a keyframe`).toBe(true);
        // Timestamps kept: each segment starts where the one before it ends.
        const second = await packets(path.join(local, 'hls', segs[1]!.uri), 'v');
        expect(Math.abs(second[0]!.pts - (first.at(-1)!.pts + FRAME_S))).toBeLessThan(0.002);
        expect(await decodeFrames(path.join(local, 'hls', v)), v).toBe(Math.round(expected * FPS));
      } else {
        // Audio cut at the same instants, within one AAC frame (21 ms).
        expect(Math.abs(total - expected)).toBeLessThan(0.025);
        const a = await packets(path.join(local, 'hls', segs[0]!.uri), 'a');
        const v = await packets(path.join(local, 'hls', parseMedia(await storedText(`${prefix}hls/source.m3u8`))[0]!.uri), 'v');
        expect(Math.abs(a[0]!.pts - v[0]!.pts)).toBeLessThan(0.022);
      }
      await decodesCleanly(path.join(local, 'hls', v));
    }
    // The segment wholly inside the range is a server-side copy, once per distinct object (480p, 360p,
    // source and audio: 4), the four pairs of re-cut ones were uploaded.
    expect((row.renditions as { clip: { copiedSegments: number; recutSegments: number } }).clip).toMatchObject({ copiedSegments: 4, recutSegments: 8 });
    expect(gcs.rewrites - rewritesBefore).toBe(4);
    expect(Number(row.storageBytes)).toBe(gcs.list(TEST_BUCKET, prefix).reduce((a, o) => a + o.size, 0));
    expect(events.events.filter((e) => e.vod.id === clip.id).map((e) => e.type)).toEqual(['vod.ready']);

    // Plays through the backend's signed playlist: master, every variant and the audio.
    const detail = await owner.get(`/api/vods/${clip.id}`);
    expect(detail.body.vod.renditions.map((x: { name: string }) => x.name)).toEqual(['source', '480p', '360p']);
    const masterUrl = backend.url + detail.body.playback.hls;
    const served = await fetch(masterUrl).then((res) => res.text());
    const uris = [...served.split('\n').filter((l) => l && !l.startsWith('#')), /URI="([^"]+)"/.exec(served)![1]!];
    for (const u of uris) await decodesCleanly(new URL(u, masterUrl).toString());
    expect(await decodeFrames(new URL(uris[0]!, masterUrl).toString())).toBe(Math.round(expected * FPS));

    // The source lists it among its clips.
    expect((await owner.get(`/api/vods?clipOf=${abr.id}`)).body.vods.map((v: ApiVod) => v.id)).toEqual([clip.id]);
  }, 180_000);

  it('a VOD of the older layout (one media playlist, audio and video in each segment): cut, copied, to the end of the VOD', async () => {
    const r = await owner.post(`/api/vods/${single.id}/clips`, { startMs: 3300, endMs: single.durationMs, title: 'Old one' });
    expect(r.status).toBe(202);
    const clip = await settled(r.body.vod.id);
    expect(clip.error).toBeNull();
    expect(Math.abs(clip.clip!.actualStartMs! - 3000)).toBeLessThanOrEqual(2);
    const prefix = `vods/${clip.id}/`;
    const row = (await backend.ctx.db.vod.findUnique({ where: { id: clip.id } }))!;
    expect(row.playlistObject).toBe(`${prefix}hls/index.m3u8`);
    const segs = parseMedia(await storedText(row.playlistObject!));
    const sourceSegs = parseMedia(await storedText(`vods/${single.id}/hls/index.m3u8`));
    const sourceTotal = sourceSegs.reduce((a, s) => a + s.durationS, 0);
    // It ends where the source ends.
    expect(Math.abs(clip.clip!.actualEndMs! / 1000 - sourceTotal)).toBeLessThan(0.002);
    const total = segs.reduce((a, s) => a + s.durationS, 0);
    expect(Math.abs(total - (clip.clip!.actualEndMs! - clip.clip!.actualStartMs!) / 1000)).toBeLessThan(FRAME_S);
    const local = await localCopy(prefix);
    const first = await packets(path.join(local, 'hls', segs[0]!.uri), 'v');
    expect(first[0]!.key).toBe(true);
    expect(Math.abs(first[0]!.pts - (await packets(path.join(local, 'hls', segs[0]!.uri), 'a'))[0]!.pts)).toBeLessThan(0.03);

    const detail = await owner.get(`/api/vods/${clip.id}`);
    const url = backend.url + detail.body.playback.hls;
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', url]);
    expect([...new Set(stdout.split('\n').map((l) => l.trim()).filter(Boolean))].sort()).toEqual(['audio', 'video']);
    expect(await decodeFrames(url)).toBe(Math.round(((clip.clip!.actualEndMs! - clip.clip!.actualStartMs!) / 1000) * FPS));
    await decodesCleanly(url);
  }, 120_000);

  it('across a discontinuity (a broadcast of two publishes, 640x360 then 1280x720, one media playlist): both sides re-cut, the discontinuity kept; its download joins both', async () => {
    const db = backend.ctx.db;
    const { stream } = await owner.createStream({ name: 'Two publishes' });
    const t0 = new Date(Date.now() - 60_000);
    await db.streamSession.create({ data: { streamId: stream.id, protocol: 'rtmp', clientAddress: '127.0.0.1', clientPort: 50004, startedAt: t0, endedAt: new Date() } });
    const dir = path.join(root, 'rec', 'default', 'app', stream.id);
    await mkdir(dir, { recursive: true });
    const entries = [];
    for (const [i, [seconds, size]] of ([[4, '640x360'], [4, '1280x720']] as const).entries()) {
      const file = path.join(dir, `piece-${i}.mp4`);
      await recording(file, seconds, size);
      entries.push({ transactionId: randomBytes(8).toString('hex'), stream: stream.id, filePath: file, startTime: new Date(t0.getTime() + 1_000 + i * 20_000) });
    }
    await writeInfo(path.join(dir, 'info.xml'), entries);
    const source = await waitForVod(db, `${entries[0]!.transactionId}-0`, 'ready', 90_000);
    expect(await storedText(source.playlistObject!)).toContain('#EXT-X-DISCONTINUITY');

    // 3.3 s is in the first publish (keyframe at 3 s), 4.6 s in the second (which starts at 4 s: keyframe at 5 s).
    const r = await owner.post(`/api/vods/${source.id}/clips`, { startMs: 3300, endMs: 4600, title: 'Across' });
    const clip = await settled(r.body.vod.id);
    expect(clip.error).toBeNull();
    expect(Math.abs(clip.clip!.actualStartMs! - 3000)).toBeLessThanOrEqual(2);
    expect(Math.abs(clip.clip!.actualEndMs! - 5000)).toBeLessThanOrEqual(40);
    const text = await storedText(`vods/${clip.id}/hls/index.m3u8`);
    expect(text.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    const segs = parseMedia(text);
    expect(segs.map((x) => x.uri)).toEqual([expect.stringMatching(/_in\.ts$/), expect.stringMatching(/_out\.ts$/)]);
    const local = await localCopy(`vods/${clip.id}/`);
    for (const seg of segs) expect((await packets(path.join(local, 'hls', seg.uri), 'v'))[0]!.key).toBe(true);
    const detail = await owner.get(`/api/vods/${clip.id}`);
    const url = backend.url + detail.body.playback.hls;
    const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=height', '-of', 'json', path.join(local, 'hls', segs[1]!.uri)]);
    expect(JSON.parse(stdout).streams[0].height).toBe(720);
    // Each side decodes on its own (ffmpeg's HLS reader does not reset timestamps at a discontinuity,
    // players do); through the backend the playlist opens with both streams and all 2 s of frames.
    for (const seg of segs) await decodesCleanly(path.join(local, 'hls', seg.uri));
    const served = JSON.parse((await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'json', url])).stdout) as { streams: { codec_type: string }[] };
    expect([...new Set(served.streams.map((x) => x.codec_type))].sort()).toEqual(['audio', 'video']);
    expect(await decodeFrames(path.join(local, 'hls', 'index.m3u8'))).toBe(2 * FPS);

    // The source's MP4: both publishes, one after the other.
    const d = await downloadWhenReady(source.id);
    const file = path.join(root, 'two-publishes.mp4');
    await writeFile(file, Buffer.from(await (await fetch(d.url)).arrayBuffer()));
    const probe = JSON.parse((await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', file])).stdout) as { format: { duration: string } };
    expect(Math.abs(Number(probe.format.duration) - 8)).toBeLessThan(0.1);
    expect(await decodeFrames(file)).toBe(8 * FPS);
  }, 150_000);

  it('an ABR VOD of two publishes (a reconnect at 640x360, recorded as pass-through copies for the rungs): each variant and the audio re-cut on both sides of the discontinuity', async () => {
    const db = backend.ctx.db;
    const { stream } = await owner.createStream({ name: 'ABR reconnect' });
    const t0 = new Date(Date.now() - 90_000);
    const session = await db.streamSession.create({ data: { streamId: stream.id, protocol: 'rtmp', clientAddress: '127.0.0.1', clientPort: 50005, startedAt: t0 } });
    const [first, second] = await Promise.all([
      makeLadder(path.join(root, 'abr2-a'), '20261204140000_20261204140004.mp4', { seconds: 4, size: '960x540', rungs: [480, 360], sourceGop: 30, startOffsetS: 5 }),
      makeLadder(path.join(root, 'abr2-b'), '20261204140030_20261204140034.mp4', { seconds: 4, size: '640x360', rungs: [], copies: ['480p', '360p'], sourceGop: 30, startOffsetS: 40 }),
    ]);
    const b = new LadderBroadcast(path.join(root, 'rec'), stream.id);
    await b.publish(first.files, new Date(t0.getTime() + 1_000));
    await b.publish(second.files, new Date(t0.getTime() + 30_000));
    const source = await endBroadcastForVod(db, session.id, first.files.size + second.files.size);
    expect(source.error).toBeNull();
    const srcPrefix = source.objectPrefix!;
    expect(source.playlistObject).toBe(`${srcPrefix}hls/master.m3u8`);
    // Where the second publish starts on the VOD's timeline.
    const srcText = await storedText(`${srcPrefix}hls/source.m3u8`);
    const boundaryS = parseMedia(srcText.split('#EXT-X-DISCONTINUITY')[0]!).reduce((a, x) => a + x.durationS, 0);
    expect(Math.abs(boundaryS - 4)).toBeLessThan(FRAME_S);

    // 0.7 s before the reconnect (keyframe 1 s before it), 0.6 s after it (keyframe 1 s after it).
    const startMs = Math.round(boundaryS * 1000) - 700;
    const endMs = Math.round(boundaryS * 1000) + 600;
    const r = await owner.post(`/api/vods/${source.id}/clips`, { startMs, endMs, title: 'Reconnect' });
    expect(r.status).toBe(202);
    const clip = await settled(r.body.vod.id);
    expect(clip.error).toBeNull();
    expect(Math.abs(clip.clip!.actualStartMs! - (boundaryS - 1) * 1000)).toBeLessThanOrEqual(2);
    expect(Math.abs(clip.clip!.actualEndMs! - (boundaryS + 1) * 1000)).toBeLessThanOrEqual(2);

    const prefix = `vods/${clip.id}/`;
    const row = (await db.vod.findUnique({ where: { id: clip.id } }))!;
    const master = await storedText(row.playlistObject!);
    const variants = master.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(variants).toEqual(['source.m3u8', '480p.m3u8', '360p.m3u8']);
    const local = await localCopy(prefix);
    const heights = { 'source.m3u8': [540, 360], '480p.m3u8': [480, 360], '360p.m3u8': [360, 360] } as Record<string, number[]>;
    const secondSides: string[] = [];
    for (const v of [...variants, 'audio.m3u8']) {
      const text = await storedText(`${prefix}hls/${v}`);
      // The reconnect is still a discontinuity; one re-cut segment on each side of it.
      expect(text.match(/#EXT-X-DISCONTINUITY/g)?.length ?? 0, v).toBe(1);
      const segs = parseMedia(text);
      expect(segs.map((x) => x.uri), v).toEqual([expect.stringMatching(/_in\.ts$/), expect.stringMatching(/_out\.ts$/)]);
      const total = segs.reduce((a, x) => a + x.durationS, 0);
      expect(Math.abs(total - 2), v).toBeLessThan(v === 'audio.m3u8' ? 0.025 : FRAME_S);
      for (const [i, seg] of segs.entries()) {
        const file = path.join(local, 'hls', seg.uri);
        await decodesCleanly(file);
        if (v === 'audio.m3u8') continue;
        expect((await packets(file, 'v'))[0]!.key, `${v} ${seg.uri}: first frame is a keyframe`).toBe(true);
        expect(await decodeFrames(file), `${v} ${seg.uri}`).toBe(FPS);
        const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=height', '-of', 'json', file]);
        expect(JSON.parse(stdout).streams[0].height, `${v} ${seg.uri}`).toBe(heights[v]![i]);
      }
      if (v !== 'audio.m3u8') secondSides.push(segs[1]!.uri);
    }
    // The second publish's one picture stands in for every rung: one re-cut object, shared.
    expect(new Set(secondSides).size).toBe(1);
    // Re-cut: the three variants and the audio before the reconnect, the shared picture and the audio after it.
    expect((row.renditions as { clip: { copiedSegments: number; recutSegments: number } }).clip).toMatchObject({ copiedSegments: 0, recutSegments: 6 });

    const detail = await owner.get(`/api/vods/${clip.id}`);
    const masterUrl = backend.url + detail.body.playback.hls;
    const served = await fetch(masterUrl).then((res) => res.text());
    const uris = [...served.split('\n').filter((l) => l && !l.startsWith('#')), /URI="([^"]+)"/.exec(served)![1]!];
    expect(uris).toHaveLength(4);
    for (const u of uris) {
      const media = await fetch(new URL(u, masterUrl)).then((res) => res.text());
      expect(media.match(/#EXT-X-DISCONTINUITY/g)?.length ?? 0, u).toBe(1);
    }
  }, 180_000);

  it('a clip owns its objects: deleting the source leaves it playing, "clip of" no longer names it', async () => {
    const { id } = await singleVod();
    const r = await owner.post(`/api/vods/${id}/clips`, { startMs: 1000, endMs: 4000, title: 'Survivor' });
    const clip = await settled(r.body.vod.id);
    expect(clip.status).toBe('ready');
    expect((await owner.del(`/api/vods/${id}`)).status).toBe(204);
    expect(gcs.list(TEST_BUCKET, `vods/${id}/`)).toEqual([]);
    const after = await owner.get(`/api/vods/${clip.id}`);
    expect(after.body.vod.clip).toMatchObject({ sourceId: null, sourceTitle: null, actualStartMs: 1000 });
    await decodesCleanly(backend.url + after.body.playback.hls);
  }, 120_000);

  it('a source whose stored segment is gone: the clip fails with the reason, the source objects are untouched', async () => {
    const db = backend.ctx.db;
    const src = (await db.vod.findUnique({ where: { id: single.id } }))!;
    // A copy of the single VOD's row and objects, one segment missing.
    const id = crypto.randomUUID();
    const prefix = `vods/${id}/`;
    const bucket = new (await import('@google-cloud/storage')).Storage({ apiEndpoint: gcs.url, projectId: 'ocp-test' }).bucket(TEST_BUCKET);
    for (const o of gcs.list(TEST_BUCKET, `vods/${single.id}/`)) {
      if (o.name.endsWith('seg_00002.ts')) continue;
      await bucket.file(o.name.replace(`vods/${single.id}/`, prefix)).save(await readFile(o.file), { resumable: false, contentType: o.contentType });
    }
    await db.vod.create({
      data: { id, ownerId: src.ownerId, streamId: src.streamId, recordingId: `broken-${id}`, status: 'ready', title: 'Broken', durationMs: src.durationMs, objectPrefix: prefix, playlistObject: `${prefix}hls/index.m3u8`, renditions: src.renditions ?? {} },
    });
    const before = gcs.list(TEST_BUCKET, prefix).map((o) => [o.name, o.md5Hash, o.generation]);
    const r = await owner.post(`/api/vods/${id}/clips`, { startMs: 1500, endMs: 7000, title: 'Doomed' });
    expect(r.status).toBe(202);
    const clip = await settled(r.body.vod.id);
    expect(clip.status).toBe('failed');
    expect(clip.error).toMatch(/^the source VOD is incomplete: stored object vods\/.+\/hls\/seg_00002\.ts is missing$/);
    expect(gcs.list(TEST_BUCKET, prefix).map((o) => [o.name, o.md5Hash, o.generation])).toEqual(before);
    expect(events.events.filter((e) => e.vod.id === clip.id).map((e) => e.type)).toEqual(['vod.failed']);
  }, 120_000);
});

/** Top-level MP4 boxes in file order. */
function boxes(buf: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (size === 1) size = Number(buf.readBigUInt64BE(at + 8));
    if (size < 8) break;
    out.push(type);
    at += size;
  }
  return out;
}

async function downloadWhenReady(id: string) {
  const first = await owner.post(`/api/vods/${id}/download`);
  expect([200, 202]).toContain(first.status);
  if (first.status === 202) expect(first.body).toEqual({ status: 'preparing' });
  await waitFor('the download MP4', async () => (await owner.get(`/api/vods/${id}`)).body.vod.download.status === 'ready', 90_000, 200);
  const r = await owner.post(`/api/vods/${id}/download`);
  expect(r.status).toBe(200);
  expect(r.headers.get('cache-control')).toBe('no-store');
  return r.body as { url: string; expiresAt: string; filename: string };
}

describe('downloads', () => {
  it('an ABR VOD: a faststart MP4 of the best variant with the audio, a signed attachment URL named after the title that expires', async () => {
    await backend.ctx.db.vod.update({ where: { id: abr.id }, data: { title: 'Café – démo "live"' } });
    const bytesBefore = Number((await backend.ctx.db.vod.findUnique({ where: { id: abr.id } }))!.storageBytes);
    const d = await downloadWhenReady(abr.id);
    expect(d.filename).toBe('Café – démo live.mp4');
    expect(new Date(d.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(2_000);
    const res = await fetch(d.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Cafe _ demo live.mp4"; filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20d%C3%A9mo%20live.mp4`);
    const body = Buffer.from(await res.arrayBuffer());
    const file = path.join(root, 'abr-download.mp4');
    await writeFile(file, body);
    // faststart: the index (moov) before the media (mdat).
    const top = boxes(body);
    expect(top.indexOf('moov')).toBeGreaterThanOrEqual(0);
    expect(top.indexOf('moov')).toBeLessThan(top.indexOf('mdat'));
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,height:format=duration', '-of', 'json', file]);
    const probe = JSON.parse(stdout) as { streams: { codec_type: string; height?: number }[]; format: { duration: string } };
    expect(probe.streams.map((s) => [s.codec_type, s.height ?? null])).toEqual([['video', 540], ['audio', null]]);
    expect(Math.abs(Number(probe.format.duration) * 1000 - abr.durationMs)).toBeLessThan(150);
    expect(await decodeFrames(file)).toBe(8 * FPS);
    await decodesCleanly(file);
    // Counted in the VOD's stored bytes.
    const row = (await backend.ctx.db.vod.findUnique({ where: { id: abr.id } }))!;
    expect(row.downloadObject).toBe(`vods/${abr.id}/download.mp4`);
    expect(Number(row.storageBytes)).toBe(bytesBefore + body.length);
    expect(Number(row.downloadBytes)).toBe(body.length);
    // A short-lived link: refused once expired, as GCS does.
    await new Promise((r) => setTimeout(r, 3_100));
    const late = await fetch(d.url);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('ExpiredToken');
    // Asking again signs a new one; the MP4 is not built twice.
    const again = await owner.post(`/api/vods/${abr.id}/download`);
    expect(again.status).toBe(200);
    expect((await fetch(again.body.url)).status).toBe(200);
  }, 150_000);

  it('a VOD of the older layout and a clip: each downloads as an MP4 with audio and video', async () => {
    for (const id of [single.id, (await owner.get(`/api/vods?clipOf=${abr.id}`)).body.vods[0].id as string]) {
      const d = await downloadWhenReady(id);
      const file = path.join(root, `dl-${id}.mp4`);
      await writeFile(file, Buffer.from(await (await fetch(d.url)).arrayBuffer()));
      const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file]);
      expect(stdout.trim().split('\n').sort()).toEqual(['audio', 'video']);
      await decodesCleanly(file);
    }
  }, 150_000);
});
