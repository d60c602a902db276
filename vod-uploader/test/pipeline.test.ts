// Behaviour of the whole pipeline on real parts: PostgreSQL, Redis, ffmpeg-made recordings with
// OME-style info files, and the @google-cloud/storage client talking HTTP to the GCS test server.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { startVodService, type VodService } from '../src/app.js';
import { vodUploadJobId, VOD_UPLOAD_QUEUE } from '../src/jobs/vod-upload.js';
import { sweepOriginals } from '../src/recordings/retention.js';
import { checksumFile } from '../src/storage/checksums.js';
import { VodRepo } from '../src/vods/repo.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import {
  TEST_BUCKET, createSession, createStream, recordingEvents, tempDir, testConfig, uniquePrefix, waitFor, waitForQueueSettled, waitForVod,
} from './support/harness.js';
import { ffprobeJson, makeRecording, writeInfo } from './support/media.js';
import { pino } from 'pino';

let gcs: GcsTestServer;
let db: Db;
let media: { mp4: string; ts: string; big: string };
let root: string;
let service: VodService | null = null;
let events: ReturnType<typeof recordingEvents>;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
  root = await tempDir('pipeline');
  const mediaDir = path.join(root, 'media');
  const [mp4, ts, big] = await Promise.all([
    makeRecording(path.join(mediaDir, 'six.mp4')),
    makeRecording(path.join(mediaDir, 'six.ts')),
    // ~1.5 MB: several resumable chunks of 256 KiB
    makeRecording(path.join(mediaDir, 'big.mp4'), { seconds: 6, videoBitrate: '2M' }),
  ]);
  media = { mp4, ts, big };
});

afterAll(async () => {
  await gcs?.stop();
  await db?.$disconnect();
  if (root) await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  await service?.stop();
  service = null;
  gcs.resetFaults();
});

interface Started {
  service: VodService;
  recordingsDir: string;
  prefix: string;
}

async function start(extra: Record<string, string> = {}, before?: (recordingsDir: string) => Promise<void>): Promise<Started> {
  const recordingsDir = path.join(root, `rec-${randomBytes(4).toString('hex')}`);
  await mkdir(recordingsDir, { recursive: true });
  if (before) await before(recordingsDir);
  const prefix = uniquePrefix(inject('redisPrefix'));
  events = recordingEvents();
  const config = testConfig({
    databaseUrl: inject('databaseUrl'),
    redisUrl: inject('redisUrl'),
    redisPrefix: prefix,
    gcsUrl: gcs.url,
    recordingsDir,
    workDir: path.join(root, 'work'),
    extra,
  });
  service = await startVodService(config, { events, db });
  return { service, recordingsDir, prefix };
}

/** Places a finished recording the way OME's record map does and returns its ids. */
async function record(recordingsDir: string, streamId: string, source: string, opts: { transactionId?: string; sequence?: number; start?: Date } = {}) {
  const dir = path.join(recordingsDir, 'default', 'app', streamId);
  await mkdir(dir, { recursive: true });
  const start = opts.start ?? new Date();
  const file = path.join(dir, `20261122004157_20261122004226_${opts.sequence ?? 0}${path.extname(source)}`);
  await copyFile(source, file);
  const transactionId = opts.transactionId ?? randomBytes(8).toString('hex');
  const entry = { transactionId, stream: streamId, filePath: file, sequence: opts.sequence ?? 0, recordBytes: (await stat(file)).size, startTime: start };
  return { file, dir, infoPath: path.join(dir, 'info.xml'), entry, recordingId: `${transactionId}-${opts.sequence ?? 0}` };
}

describe('recording → ready VOD', () => {
  it('turns a finished .mp4 recording into a playable HLS VOD with poster and original, linked to its session', async () => {
    const { stream, user } = await createStream(db, { name: 'Morning show' });
    const t0 = new Date(Date.now() - 60_000);
    await createSession(db, stream.id, new Date(t0.getTime() - 3_600_000), new Date(t0.getTime() - 3_000_000));
    // The broadcast is over (the backend set endedAt at the closing call): its one piece is joined.
    const live = await createSession(db, stream.id, new Date(t0.getTime() - 1_000), new Date());
    const { service: svc, recordingsDir } = await start();

    // Written after start: found by the watcher.
    const rec = await record(recordingsDir, stream.id, media.mp4, { start: t0 });
    await writeInfo(rec.infoPath, [rec.entry]);
    const vod = await waitForVod(db, rec.recordingId, 'ready');

    expect(vod.ownerId).toBe(user.id);
    expect(vod.streamId).toBe(stream.id);
    expect(vod.sessionId).toBe(live.id);
    expect(vod.title).toContain('Morning show');
    expect(vod.error).toBeNull();
    expect(vod.durationMs).toBeGreaterThan(5_800);
    expect(vod.durationMs).toBeLessThan(6_300);
    expect(Number(vod.sizeBytes)).toBe((await stat(rec.file)).size);
    const renditions = vod.renditions as { tracks: { type: string; codec: string; width?: number }[] };
    expect(renditions.tracks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'video', codec: 'h264', width: 640, height: 360 }),
        expect.objectContaining({ type: 'audio', codec: 'aac' }),
      ]),
    );
    expect(vod.objectPrefix).toBe(`vods/${vod.id}/`);
    expect(vod.originalObject).toBe(`vods/${vod.id}/original.mp4`);
    expect(vod.playlistObject).toBe(`vods/${vod.id}/hls/index.m3u8`);
    expect(vod.posterObject).toBe(`vods/${vod.id}/poster.jpg`);
    expect(vod.readyAt).not.toBeNull();

    // Objects with the right types and caching; the original is byte-identical to the recording.
    const original = gcs.get(TEST_BUCKET, vod.originalObject!)!;
    const local = await checksumFile(rec.file);
    expect(original).toMatchObject({ contentType: 'video/mp4', crc32c: local.crc32c, md5Hash: local.md5Hash, size: local.size });
    expect(original.cacheControl).toContain('immutable');
    const playlistObj = gcs.get(TEST_BUCKET, vod.playlistObject!)!;
    expect(playlistObj).toMatchObject({ contentType: 'application/vnd.apple.mpegurl', cacheControl: 'no-cache' });
    expect(gcs.get(TEST_BUCKET, vod.posterObject!)).toMatchObject({ contentType: 'image/jpeg' });
    const playlist = await readFile(playlistObj.file, 'utf8');
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).toContain('#EXT-X-ENDLIST');
    const segments = playlist.split('\n').filter((l) => l.endsWith('.ts'));
    expect(segments.length).toBeGreaterThanOrEqual(3);
    for (const s of segments) expect(gcs.get(TEST_BUCKET, `vods/${vod.id}/hls/${s}`)).toMatchObject({ contentType: 'video/mp2t' });

    // The playlist was the last object written: no player ever sees it before its segments.
    const puts = gcs.requests.filter((r) => r.method === 'POST' && r.url.includes(encodeURIComponent(`vods/${vod.id}/`)));
    expect(puts.at(-1)!.url).toContain(encodeURIComponent('hls/index.m3u8'));

    // ffprobe plays the uploaded HLS through HTTP (segments resolved relative to the playlist URL).
    const probe = await ffprobeJson(`${gcs.url}/${TEST_BUCKET}/${vod.playlistObject}`);
    expect(Number(probe.format.duration)).toBeGreaterThan(5.5);
    expect(Number(probe.format.duration)).toBeLessThan(6.6);
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);

    // Kept locally for the retention period; vod.ready was emitted once.
    await expect(stat(rec.file)).resolves.toBeTruthy();
    expect(events.events.map((e) => `${e.type}:${e.vod.id}`)).toEqual([`vod.ready:${vod.id}`]);

    const metrics = await svc.metrics.registry.getSingleMetricAsString('ocp_vod_jobs_total');
    expect(metrics).toContain('outcome="ready"} 1');
  });

  it('finds a .ts recording that finished while the worker was down (start-up reconcile) and deletes it at once with zero retention', async () => {
    const { stream } = await createStream(db);
    let rec!: Awaited<ReturnType<typeof record>>;
    await start({ VOD_KEEP_ORIGINALS_HOURS: '0', RECORDINGS_WATCH: 'false' }, async (dir) => {
      rec = await record(dir, stream.id, media.ts);
      await writeInfo(rec.infoPath, [rec.entry]);
    });
    const vod = await waitForVod(db, rec.recordingId, 'ready');
    expect(vod.originalObject).toBe(`vods/${vod.id}/original.ts`);
    expect(gcs.get(TEST_BUCKET, vod.originalObject!)).toMatchObject({ contentType: 'video/mp2t' });
    expect(vod.durationMs).toBeGreaterThan(5_800);
    await waitFor('local original deleted', async () => (await stat(rec.file).then(() => false, () => true)));
    await waitFor('sourcePath cleared', async () => (await db.vod.findUnique({ where: { id: vod.id } }))?.sourcePath === null);
  });

  it('makes exactly one job and one Vod per recording however often OME rewrites the info file', async () => {
    const { stream } = await createStream(db);
    const { service: svc, recordingsDir, prefix } = await start();
    const a = await record(recordingsDir, stream.id, media.mp4, { transactionId: 'dupTxn', sequence: 0 });
    const b = await record(recordingsDir, stream.id, media.mp4, { transactionId: 'dupTxn', sequence: 1 });
    // OME appends an entry per split file and rewrites the whole info file each time.
    await writeInfo(a.infoPath, [a.entry]);
    await writeInfo(a.infoPath, [a.entry, b.entry]);
    await writeInfo(a.infoPath, [a.entry, b.entry]);
    await waitForVod(db, a.recordingId, 'ready');
    await waitForVod(db, b.recordingId, 'ready');
    // And a repeated add by the same id is a no-op while the job is kept.
    const q = new Queue(VOD_UPLOAD_QUEUE, { connection: { url: inject('redisUrl') }, prefix: `${prefix}:bull` });
    // Both jobs finished first, so the add below meets a kept completed job, not a running one.
    await waitForQueueSettled(q);
    await q.add('upload', { bogus: true }, { jobId: vodUploadJobId('dupTxn', 0) });
    const { counts, jobs } = await waitForQueueSettled(q).finally(() => q.close());
    expect(counts, jobs).toMatchObject({ completed: 2, failed: 0, waiting: 0, active: 0 });
    expect(await db.vod.count({ where: { recordingId: { in: [a.recordingId, b.recordingId] } } })).toBe(2);
    const objectsBefore = gcs.objects.size;
    // A new worker start reconciles: both are settled, nothing is uploaded again.
    await svc.stop();
    service = null;
    const again = await start({}, async () => undefined);
    expect(again).toBeTruthy();
    expect(gcs.objects.size).toBe(objectsBefore);
  });

  it('discards recordings of streams with recording disabled and keeps recordings of unknown streams', async () => {
    const { stream } = await createStream(db, { record: false });
    const { recordingsDir } = await start();
    const off = await record(recordingsDir, stream.id, media.mp4);
    await writeInfo(off.infoPath, [off.entry]);
    await waitFor('discarded recording deleted', async () => stat(off.file).then(() => false, () => true));
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const unknown = await record(recordingsDir, unknownId, media.mp4);
    await writeInfo(unknown.infoPath, [unknown.entry]);
    const notUuid = await record(recordingsDir, 'stream1', media.mp4);
    await writeInfo(notUuid.infoPath, [notUuid.entry]);
    const metric = () => service!.metrics.registry.getSingleMetricAsString('ocp_vod_jobs_total');
    await waitFor('unknown-stream jobs done', async () => (await metric()).includes('outcome="unknown_stream"} 2'));
    expect(await metric()).toContain('outcome="discarded"} 1');
    await expect(stat(unknown.file)).resolves.toBeTruthy();
    await expect(stat(notUuid.file)).resolves.toBeTruthy();
    expect(await db.vod.count({ where: { recordingId: { in: [off.recordingId, unknown.recordingId, notUuid.recordingId] } } })).toBe(0);
  });

  it('marks a corrupt recording failed with a clear reason, keeps the file and emits vod.failed', async () => {
    const { stream } = await createStream(db);
    const { recordingsDir } = await start({ VOD_KEEP_ORIGINALS_HOURS: '0' });
    const rec = await record(recordingsDir, stream.id, media.mp4);
    // What a crashed OME leaves: an mp4 cut before its moov atom.
    const bytes = await readFile(media.mp4);
    await writeFile(rec.file, Buffer.concat([bytes.subarray(0, 32), randomBytes(20_000)]));
    await writeInfo(rec.infoPath, [rec.entry]);
    const vod = await waitForVod(db, rec.recordingId, 'failed');
    expect(vod.error).toMatch(/^corrupt recording: ffprobe failed/);
    await expect(stat(rec.file)).resolves.toBeTruthy();
    expect(gcs.list(TEST_BUCKET, `vods/${vod.id}/`)).toEqual([]);
    await waitFor('vod.failed event', async () => events.events.some((e) => e.type === 'vod.failed' && e.vod.id === vod.id));
  });
});

describe('storage misbehaving', () => {
  it.each([
    ['one streaming request (default)', '0'],
    ['512 KiB chunks', '0.5'],
  ])('resumes the same session after the connection drops mid-upload: %s', async (_label, chunkMb) => {
    const { stream } = await createStream(db);
    const { recordingsDir } = await start({ GCS_RESUMABLE_THRESHOLD_MB: '0.5', GCS_CHUNK_SIZE_MB: chunkMb });
    const rec = await record(recordingsDir, stream.id, media.big);
    // Each cut comes 300 KiB into a request: GCS keeps whole 256 KiB quanta only.
    gcs.faults.dropUploadAfterBytes = 300 * 1024;
    gcs.faults.dropCount = 2;
    await writeInfo(rec.infoPath, [rec.entry]);
    const vod = await waitForVod(db, rec.recordingId, 'ready');
    expect(gcs.faults.dropCount).toBe(0);
    const name = encodeURIComponent(vod.originalObject!);
    const session = gcs.requests.filter((r) => r.method === 'PUT' && r.url.includes(`name=${name}`));
    // The client asked the session how far it got (`bytes */*`) after each cut and carried on from
    // there: the cut requests have no answer in the log, and the next one starts at 2 × 256 KiB.
    expect(session.filter((r) => r.contentRange === 'bytes */*').length).toBeGreaterThanOrEqual(2);
    expect(session.filter((r) => r.contentRange?.startsWith('bytes 0-'))).toHaveLength(0);
    expect(session.filter((r) => r.contentRange?.startsWith('bytes 524288-'))).toHaveLength(1);
    const local = await checksumFile(rec.file);
    expect(gcs.get(TEST_BUCKET, vod.originalObject!)).toMatchObject({ crc32c: local.crc32c, md5Hash: local.md5Hash, size: local.size });
    // One session only, one job attempt: the upload resumed instead of starting over.
    expect(gcs.requests.filter((r) => r.method === 'POST' && r.url.includes(`name=${name}`) && r.url.includes('resumable'))).toHaveLength(1);
  });

  it('retries through 503 answers', async () => {
    const { stream } = await createStream(db);
    // Also with MD5 verification on (off by default; crc32c is always checked).
    const { recordingsDir } = await start({ GCS_RESUMABLE_THRESHOLD_MB: '0.5', GCS_CHUNK_SIZE_MB: '0.25', GCS_VERIFY_MD5: 'true' });
    const rec = await record(recordingsDir, stream.id, media.big);
    gcs.faults.failNext = { count: 4, status: 503, match: (req) => (req.url ?? '').startsWith('/upload/') };
    await writeInfo(rec.infoPath, [rec.entry]);
    const vod = await waitForVod(db, rec.recordingId, 'ready');
    expect(gcs.faults.failNext.count).toBe(0);
    expect(gcs.requests.filter((r) => r.status === 503)).toHaveLength(4);
    const local = await checksumFile(rec.file);
    expect(gcs.get(TEST_BUCKET, vod.originalObject!)?.crc32c).toBe(local.crc32c);
  });

  it('never deletes the local file when the stored checksum is wrong: retries, then fails keeping the file', async () => {
    const { stream } = await createStream(db);
    const { recordingsDir } = await start({ VOD_KEEP_ORIGINALS_HOURS: '0', VOD_ATTEMPTS: '2' });
    const rec = await record(recordingsDir, stream.id, media.mp4);
    gcs.faults.corruptChecksum = (name) => name.endsWith('/original.mp4');
    await writeInfo(rec.infoPath, [rec.entry]);
    const vod = await waitForVod(db, rec.recordingId, 'failed');
    expect(vod.error).toMatch(/checksum/i);
    await expect(stat(rec.file)).resolves.toBeTruthy();
    // Both attempts uploaded the original and both were rejected.
    const originalUploads = gcs.requests.filter((r) => r.method === 'POST' && r.url.includes(encodeURIComponent(`vods/${vod.id}/original.mp4`)));
    expect(originalUploads.length).toBe(2);
    expect(events.events.map((e) => e.type)).toEqual(['vod.failed']);
  });
});

describe('local retention', () => {
  it('deletes originals of ready Vods only after the retention period', async () => {
    const { stream } = await createStream(db);
    const dir = path.join(root, 'retention');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'kept.mp4');
    await copyFile(media.mp4, file);
    const vod = await db.vod.create({
      data: {
        ownerId: stream.ownerId, streamId: stream.id, recordingId: `ret-${randomBytes(4).toString('hex')}`, status: 'ready',
        readyAt: new Date(), sourcePath: file, originalObject: 'vods/x/original.mp4',
      },
    });
    const repo = new VodRepo(db);
    const log = pino({ level: 'silent' });
    expect(await sweepOriginals(repo, 24, log)).toBe(0);
    await expect(stat(file)).resolves.toBeTruthy();
    expect(await sweepOriginals(repo, 24, log, new Date(Date.now() + 25 * 3600_000))).toBeGreaterThanOrEqual(1);
    await expect(stat(file)).rejects.toThrow();
    expect((await db.vod.findUnique({ where: { id: vod.id } }))?.sourcePath).toBeNull();
  });
});
