// Crashes on purpose: the worker process SIGKILLed mid-upload, and Redis killed mid-queue.
// The worker runs as a real child process (src/main.ts through tsx) where a process must die.
import { spawn, type ChildProcess } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { startVodService } from '../src/app.js';
import { VOD_UPLOAD_QUEUE } from '../src/jobs/vod-upload.js';
import { checksumFile } from '../src/storage/checksums.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, createStream, recordingEvents, tempDir, testConfig, testEnv, uniquePrefix, waitFor, waitForQueueSettled, waitForVod } from './support/harness.js';
import { makeRecording } from './support/media.js';
import { exitOf, placeRecording, startChild } from './support/worker-process.js';

let gcs: GcsTestServer;
let db: Db;
let root: string;
let bigRecording: string;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
  root = await tempDir('resilience');
  // ~16 MB: more than the kernel's socket buffers hold, so a throttled upload is really
  // unfinished when its worker dies (a small file would already sit whole in the server's buffers).
  bigRecording = await makeRecording(path.join(root, 'media', 'big.mp4'), { seconds: 16, videoBitrate: '8M' });
});

afterAll(async () => {
  await gcs?.stop();
  await db?.$disconnect();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('worker process killed mid-upload', () => {
  it('is taken over after stall detection, resumes the same upload session and ends with one ready Vod', async () => {
    const { stream } = await createStream(db);
    const recordingsDir = path.join(root, 'rec-crash');
    const rec = await placeRecording(recordingsDir, stream.id, bigRecording);
    const env = testEnv({
      databaseUrl: inject('databaseUrl'),
      redisUrl: inject('redisUrl'),
      redisPrefix: uniquePrefix(inject('redisPrefix')),
      gcsUrl: gcs.url,
      recordingsDir,
      workDir: path.join(root, 'work'),
      extra: {
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        GCS_RESUMABLE_THRESHOLD_MB: '0.5',
        VOD_LOCK_DURATION_MS: '2000',
        VOD_STALLED_INTERVAL_MS: '1000',
      },
    });
    gcs.faults.uploadChunkDelayMs = 60;

    const first = startChild(env);
    let originalName = '';
    try {
      originalName = await waitFor(
        'the first worker to be 512 KiB into the original',
        async () => [...gcs.receivedBytes.entries()].find(([name, n]) => name.endsWith('/original.mp4') && name.startsWith('vods/') && n >= 512 * 1024)?.[0],
        60_000,
        20,
      );
    } catch (err) {
      first.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n${first.output.join('')}`);
    }
    first.kill('SIGKILL');
    expect(await exitOf(first)).toEqual({ code: null, signal: 'SIGKILL' });
    const beforeRestart = gcs.requests.length;
    expect(gcs.get(TEST_BUCKET, originalName)).toBeUndefined();
    gcs.faults.uploadChunkDelayMs = 0;

    const second = startChild(env);
    let failure: unknown = null;
    try {
      const vod = await waitForVod(db, rec.recordingId, 'ready', 60_000);
      expect(vod.originalObject).toBe(originalName);
      expect(await db.vod.count({ where: { recordingId: rec.recordingId } })).toBe(1);
      // Every object of this recording sits under the one Vod's prefix: no second Vod's leftovers.
      const ofRecording = [...gcs.objects.values()].filter((o) => o.metadata?.recordingId === rec.recordingId);
      expect(ofRecording.length).toBeGreaterThan(3);
      expect(ofRecording.every((o) => o.name.startsWith(`vods/${vod.id}/`))).toBe(true);

      // Resumed, not restarted: the second process asked the saved session where it stood and
      // went on from there; only one resumable session was ever opened for the original.
      const name = encodeURIComponent(originalName);
      const sessionsOpened = gcs.requests.filter((r) => r.method === 'POST' && r.url.includes(`name=${name}`) && r.url.includes('uploadType=resumable'));
      expect(sessionsOpened).toHaveLength(1);
      const after = gcs.requests.slice(beforeRestart).filter((r) => r.method === 'PUT' && r.url.includes(`name=${name}`));
      expect(after[0]!.contentRange).toBe('bytes */*');
      expect(after.find((r) => r.contentRange !== 'bytes */*')!.contentRange).not.toMatch(/^bytes 0-/);
      const local = await checksumFile(rec.file);
      expect(gcs.get(TEST_BUCKET, originalName)).toMatchObject({ crc32c: local.crc32c, md5Hash: local.md5Hash, size: local.size });
    } catch (err) {
      failure = err;
    }
    // Graceful shutdown on SIGTERM: exits 0 after closing the worker.
    second.kill('SIGTERM');
    const exit = await exitOf(second);
    if (failure) throw new Error(`${(failure as Error).message}\n--- requests ---\n${gcs.requests.map((r) => `${r.method} ${r.url.slice(0, 90)} ${r.status} ${r.contentRange ?? ''}`).join('\n')}\n--- first worker ---\n${first.output.join('')}\n--- second worker ---\n${second.output.join('')}`);
    expect(exit, second.output.join('')).toEqual({ code: 0, signal: null });
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A private redis-server (never the shared one: killing that would break everybody's tests). */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
    '--dir', dir, '--logfile', '',
  ], { stdio: 'ignore' });
  await waitFor(`redis on ${port}`, () => new Promise<boolean>((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.end();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
  }), 10_000, 50);
  return child;
}

describe('Redis killed mid-queue', () => {
  it('loses no job: every queued recording still becomes a ready Vod after Redis comes back', async () => {
    const port = await freePort();
    const redisDir = await tempDir('redis');
    let redis = await startRedis(port, redisDir);
    const recordingsDir = path.join(root, 'rec-redis');
    const recs = [];
    for (let i = 0; i < 4; i++) {
      const { stream } = await createStream(db);
      recs.push(await placeRecording(recordingsDir, stream.id, bigRecording));
    }
    const redisUrl = `redis://127.0.0.1:${port}`;
    const prefix = uniquePrefix('ocptest-redis');
    const config = testConfig({
      databaseUrl: inject('databaseUrl'),
      redisUrl,
      redisPrefix: prefix,
      gcsUrl: gcs.url,
      recordingsDir,
      workDir: path.join(root, 'work'),
      extra: { GCS_RESUMABLE_THRESHOLD_MB: '0.5', GCS_CHUNK_SIZE_MB: '0.25', VOD_CONCURRENCY: '1', VOD_LOCK_DURATION_MS: '3000', VOD_STALLED_INTERVAL_MS: '1000', RECORDINGS_WATCH: 'false', RECORDINGS_RECONCILE_SECONDS: '3600' },
    });
    gcs.faults.uploadChunkDelayMs = 5;
    gcs.receivedBytes.clear();
    const service = await startVodService(config, { events: recordingEvents(), db });
    try {
      // The start-up reconcile queued all four; kill Redis while the first is being processed.
      await waitFor('first upload under way', async () => [...gcs.receivedBytes.keys()].some((k) => k.endsWith('/original.mp4')), 30_000, 20);
      redis.kill('SIGKILL');
      await exitOf(redis);
      await new Promise((r) => setTimeout(r, 1500));
      redis = await startRedis(port, redisDir);
      gcs.faults.uploadChunkDelayMs = 0;

      for (const r of recs) await waitForVod(db, r.recordingId, 'ready', 60_000);
      const q = new Queue(VOD_UPLOAD_QUEUE, { connection: { url: redisUrl }, prefix: `${prefix}:bull` });
      const { counts, jobs } = await waitForQueueSettled(q).finally(() => q.close());
      expect(counts.completed, jobs).toBe(4);
      expect(counts.failed).toBe(0);
      expect(await db.vod.count({ where: { recordingId: { in: recs.map((r) => r.recordingId) }, status: 'ready' } })).toBe(4);
      for (const r of recs) await expect(stat(r.file)).resolves.toBeTruthy();
    } finally {
      gcs.faults.uploadChunkDelayMs = 0;
      await service.stop();
      redis.kill('SIGTERM');
      await exitOf(redis);
      await rm(redisDir, { recursive: true, force: true });
    }
  });
});
