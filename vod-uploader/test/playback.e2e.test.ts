// End to end: a recording processed by the worker is played back through the backend's VOD API,
// with the same GCS test server behind both (signed URLs checked against the backend's key).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { localSigningKey } from '../../backend/src/vods/storage.js';
import { Client, startTestBackend } from '../../backend/test/helpers.js';
import type { RunningBackend } from '../../backend/src/server.js';
import { startVodService, type VodService } from '../src/app.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, endBroadcastForVod, recordingEvents, tempDir, testConfig, uniquePrefix, waitForVod } from './support/harness.js';
import { LadderBroadcast, makeLadder, makeRecording, writeInfo } from './support/media.js';

const run = promisify(execFile);
let gcs: GcsTestServer;
let backend: RunningBackend;
let worker: VodService;
let root: string;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET], signingPublicKey: localSigningKey().publicKeyPem });
  const gcsEnv = { GCS_BUCKET: TEST_BUCKET, GCS_API_ENDPOINT: gcs.url, GCS_PROJECT_ID: 'ocp-test', GCS_PREFIX: 'vods/' };
  backend = await startTestBackend(gcsEnv);
  root = await tempDir('e2e');
  await mkdir(path.join(root, 'rec'), { recursive: true });
  worker = await startVodService(
    testConfig({
      databaseUrl: inject('databaseUrl'),
      redisUrl: inject('redisUrl'),
      redisPrefix: uniquePrefix(inject('redisPrefix')),
      gcsUrl: gcs.url,
      recordingsDir: path.join(root, 'rec'),
      workDir: path.join(root, 'work'),
    }),
    { events: recordingEvents(), db: backend.ctx.db },
  );
});

afterAll(async () => {
  await worker?.stop();
  await backend?.stop();
  await gcs?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

it('a recording uploaded by the worker plays back through GET /api/vods/:id (ffprobe reads the served playlist)', async () => {
  const owner = new Client(backend.url);
  await owner.signUp();
  const { stream } = await owner.createStream({ name: 'E2E show' });

  const dir = path.join(root, 'rec', 'default', 'app', stream.id);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, '20261122010000_20261122010006.ts');
  await copyFile(await makeRecording(path.join(root, 'src.ts')), file);
  const transactionId = randomBytes(8).toString('hex');
  await writeInfo(path.join(dir, 'info.xml'), [{ transactionId, stream: stream.id, filePath: file }]);
  const vod = await waitForVod(backend.ctx.db, `${transactionId}-0`, 'ready');

  const listed = await owner.get(`/api/vods?streamId=${stream.id}`);
  expect(listed.body.vods).toEqual([expect.objectContaining({ id: vod.id, status: 'ready', title: expect.stringContaining('E2E show') })]);
  const r = await owner.get(`/api/vods/${vod.id}`);
  expect(r.status).toBe(200);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', backend.url + r.body.playback.hls]);
  expect(Number(JSON.parse(stdout).format.duration)).toBeCloseTo(vod.durationMs! / 1000, 0);

  // Deleting the VOD removes what the worker stored.
  expect(gcs.list(TEST_BUCKET, `vods/${vod.id}/`).length).toBeGreaterThan(3);
  expect((await owner.del(`/api/vods/${vod.id}`)).status).toBe(204);
  expect(gcs.list(TEST_BUCKET, `vods/${vod.id}/`)).toEqual([]);
});

it("a broadcast's pieces (a resolution change between them) play back as one VOD through the backend", async () => {
  const owner = new Client(backend.url);
  await owner.signUp();
  const { stream } = await owner.createStream({ name: 'E2E broadcast' });
  const db = backend.ctx.db;
  const t0 = new Date(Date.now() - 60_000);
  // As the backend records a broadcast that ended (after its reconnect window).
  const session = await db.streamSession.create({
    data: { streamId: stream.id, protocol: 'rtmp', clientAddress: '127.0.0.1', clientPort: 50001, startedAt: t0, endedAt: new Date() },
  });
  const dir = path.join(root, 'rec', 'default', 'app', stream.id);
  await mkdir(dir, { recursive: true });
  const sources = [await makeRecording(path.join(root, 'p1.mp4'), { seconds: 4 }), await makeRecording(path.join(root, 'p2.mp4'), { seconds: 3, size: '1280x720' })];
  const entries = [];
  for (const [i, src] of sources.entries()) {
    const file = path.join(dir, `piece-${i}.mp4`);
    await copyFile(src, file);
    entries.push({ transactionId: randomBytes(8).toString('hex'), stream: stream.id, filePath: file, startTime: new Date(t0.getTime() + 1_000 + i * 20_000) });
  }
  await writeInfo(path.join(dir, 'info.xml'), entries);
  const vod = await waitForVod(db, `${entries[0]!.transactionId}-0`, 'ready');
  expect(vod.sessionId).toBe(session.id);
  expect(await db.vod.count({ where: { streamId: stream.id } })).toBe(1);

  const r = await owner.get(`/api/vods/${vod.id}`);
  expect(r.status).toBe(200);
  const served = await fetch(backend.url + r.body.playback.hls).then((res) => res.text());
  expect(served).toContain('#EXT-X-DISCONTINUITY');
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', backend.url + r.body.playback.hls]);
  expect(Math.abs(Number(JSON.parse(stdout).format.duration) * 1000 - vod.durationMs!)).toBeLessThan(1_000);
  expect(vod.durationMs!).toBeGreaterThan(6_500);
});

it('a broadcast recorded as the ABR ladder plays through the backend: master, every variant and the audio, segments signed', async () => {
  const owner = new Client(backend.url);
  await owner.signUp();
  const { stream } = await owner.createStream({ name: 'E2E ABR' });
  const db = backend.ctx.db;
  const t0 = new Date(Date.now() - 60_000);
  const session = await db.streamSession.create({ data: { streamId: stream.id, protocol: 'rtmp', clientAddress: '127.0.0.1', clientPort: 50002, startedAt: t0 } });
  const { files } = await makeLadder(path.join(root, 'abr-src'), '20261204100000_20261204100006.mp4', { seconds: 6, size: '960x540', rungs: [360], copies: ['1080p', '720p'] });
  await new LadderBroadcast(path.join(root, 'rec'), stream.id).publish(files, new Date(t0.getTime() + 1_000));
  const vod = await endBroadcastForVod(db, session.id, files.size, 90_000);
  expect(vod.error).toBeNull();

  const r = await owner.get(`/api/vods/${vod.id}`);
  // 1080p and 720p are the source passed through; 480p was not recorded and is encoded from the source.
  expect(r.body.vod.renditions.map((x: { name: string; height: number }) => [x.name, x.height])).toEqual([['source', 540], ['480p', 480], ['360p', 360]]);
  expect(r.body.vod.storageBytes).toBeGreaterThan(0);
  const masterUrl = backend.url + r.body.playback.hls;
  const master = await fetch(masterUrl).then((res) => res.text());
  expect(master).toContain('#EXT-X-STREAM-INF:');
  // Each variant and the audio, fetched as a player resolves them, decode to the end without an error.
  const uris = [...master.split('\n').filter((l) => l && !l.startsWith('#')), /URI="([^"]+)"/.exec(master)![1]!];
  expect(uris).toHaveLength(4);
  for (const u of uris) {
    const url = new URL(u, masterUrl).toString();
    const { stderr } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', url, '-f', 'null', '-'], { timeout: 60_000 });
    expect(stderr.trim(), u).toBe('');
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', url]);
    expect(Number(JSON.parse(stdout).format.duration), u).toBeGreaterThan(5);
  }
  // The master as a whole: ffprobe opens every variant and the audio group through the backend.
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,height', '-of', 'json', masterUrl]);
  const streams = JSON.parse(stdout).streams as { codec_type: string; height?: number }[];
  expect(streams.filter((s) => s.codec_type === 'video').map((s) => s.height).sort()).toEqual([360, 480, 540]);
  expect(streams.some((s) => s.codec_type === 'audio')).toBe(true);

  // The owner's usage counts what the worker stored.
  expect((await owner.get('/api/usage')).body.usage).toEqual({ storageBytes: r.body.vod.storageBytes, vods: 1, unmeasuredVods: 0 });
}, 180_000);
