// Faults of the worker's own machine (issue 5): a work directory that fills up, a recording that
// cannot be read, and SIGTERM while an upload is in flight. Real parts throughout: a tmpfs mount
// for the full disk, ffmpeg-made recordings, PostgreSQL, Redis, the worker as a child process.
import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { startVodService, type VodService } from '../src/app.js';
import { vodUploadJobId, VOD_UPLOAD_QUEUE } from '../src/jobs/vod-upload.js';
import { enqueueFromInfoFile } from '../src/recordings/discovery.js';
import { checksumFile } from '../src/storage/checksums.js';
import { VodRepo } from '../src/vods/repo.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import {
  TEST_BUCKET, createStream, recordingEvents, tempDir, testConfig, testEnv, uniquePrefix, waitFor, waitForVod,
} from './support/harness.js';
import { makeRecording, writeInfo } from './support/media.js';
import { exitOf, placeRecording, startChild } from './support/worker-process.js';

const execFileP = promisify(execFile);

let gcs: GcsTestServer;
let db: Db;
let root: string;
let media: { big: string; small: string; slow: string };
let service: VodService | null = null;
let events: ReturnType<typeof recordingEvents>;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
  root = await tempDir('faults');
  const dir = path.join(root, 'media');
  const [big, small, slow] = await Promise.all([
    // ~1.5 MB: its HLS remux cannot fit in the 512 KiB work directory.
    makeRecording(path.join(dir, 'big.mp4'), { seconds: 6, videoBitrate: '2M' }),
    // ~90 kB: remux + poster fit easily.
    makeRecording(path.join(dir, 'small.mp4'), { seconds: 2, videoBitrate: '200k' }),
    // ~4 MB: a throttled upload of it takes seconds.
    makeRecording(path.join(dir, 'slow.mp4'), { seconds: 8, videoBitrate: '4M' }),
  ]);
  media = { big, small, slow };
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

async function start(recordingsDir: string, workDir: string, extra: Record<string, string>) {
  await mkdir(recordingsDir, { recursive: true });
  const prefix = uniquePrefix(inject('redisPrefix'));
  events = recordingEvents();
  const config = testConfig({
    databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix: prefix, gcsUrl: gcs.url, recordingsDir, workDir, extra,
  });
  service = await startVodService(config, { events, db });
  return { service, config, prefix };
}

describe('work directory full', () => {
  let workDir = '';
  let mounted = false;
  let mountRefused = '';

  beforeAll(async () => {
    workDir = path.join(root, 'work-tmpfs');
    await mkdir(workDir, { recursive: true });
    try {
      await execFileP('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', workDir]);
      mounted = true;
    } catch (err) {
      const msg = `${(err as { stderr?: string }).stderr ?? ''} ${(err as Error).message}`;
      // Only a missing privilege is a reason to skip; any other failure is a broken test machine.
      if (!/must be superuser|permission denied|operation not permitted|EPERM/i.test(msg)) throw err;
      mountRefused = msg.trim();
    }
  });

  afterAll(async () => {
    await service?.stop();
    service = null;
    if (mounted) await execFileP('umount', [workDir]);
  });

  it('retries ENOSPC, then fails the Vod with the reason, keeps the recording, stores nothing, and the next recording still becomes ready', async (ctx) => {
    if (!mounted) ctx.skip(`cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): ${mountRefused}`);
    const a = await createStream(db);
    const b = await createStream(db);
    const recordingsDir = path.join(root, 'rec-full');
    // Zero retention: a wrongly "ready" Vod would delete the original at once.
    const { service: svc } = await start(recordingsDir, workDir, { VOD_ATTEMPTS: '2', VOD_BACKOFF_MS: '200', VOD_CONCURRENCY: '1', VOD_KEEP_ORIGINALS_HOURS: '0' });

    const big = await placeRecording(recordingsDir, a.stream.id, media.big);
    const failed = await waitForVod(db, big.recordingId, 'failed', 20_000);
    expect(failed.error).toMatch(/^no space left on device in the work directory /);
    expect(failed.error).toContain(workDir);
    expect(failed.readyAt).toBeNull();
    expect(failed.playlistObject).toBeNull();
    // Retried with the normal backoff (space may come back), then given up.
    const job = await svc.queue.getJob(vodUploadJobId(big.transactionId, 0));
    expect(job?.attemptsMade).toBe(2);
    expect(await job?.getState()).toBe('failed');
    // The recording is untouched, nothing of it reached the bucket, the scratch space is free again.
    expect((await stat(big.file)).size).toBe((await stat(media.big)).size);
    expect(gcs.list(TEST_BUCKET, `vods/${failed.id}/`)).toEqual([]);
    expect([...gcs.objects.values()].filter((o) => o.metadata?.recordingId === big.recordingId)).toEqual([]);
    expect(await readdir(workDir)).toEqual([]);
    await waitFor('vod.failed event', async () => events.events.some((e) => e.type === 'vod.failed' && e.vod.id === failed.id), 5_000);

    // Same worker, same (small) work directory: a recording that fits goes through.
    const small = await placeRecording(recordingsDir, b.stream.id, media.small);
    const ready = await waitForVod(db, small.recordingId, 'ready', 20_000);
    expect(gcs.get(TEST_BUCKET, ready.playlistObject!)).toBeDefined();
    expect(ready.posterObject).not.toBeNull();
    // The event follows the row's status change (the handler emits after marking the Vod ready).
    await waitFor('vod.ready event', async () => events.events.some((e) => e.type === 'vod.ready' && e.vod.id === ready.id), 5_000);
    expect(events.events.filter((e) => e.type === 'vod.ready').map((e) => e.vod.id)).toEqual([ready.id]);
    expect(await db.vod.count({ where: { recordingId: big.recordingId } })).toBe(1);
  });
});

describe('unreadable recording', () => {
  it('fails at once (no retries) when the file was deleted before processing or is a directory; a good recording still becomes ready', async () => {
    const [gone, dirStream, good] = [await createStream(db), await createStream(db), await createStream(db)];
    const recordingsDir = path.join(root, 'rec-unreadable');
    await mkdir(recordingsDir, { recursive: true });
    const prefix = uniquePrefix(inject('redisPrefix'));

    // Queued while the file existed (as the watcher does), then deleted before any worker ran.
    const deleted = await placeRecording(recordingsDir, gone.stream.id, media.small);
    const queue = new Queue(VOD_UPLOAD_QUEUE, { connection: { url: inject('redisUrl') }, prefix: `${prefix}:bull` });
    try {
      const r = await enqueueFromInfoFile(path.join(path.dirname(deleted.file), 'info.xml'), {
        queue, repo: new VodRepo(db), logger: pino({ level: 'silent' }), attempts: 3, backoffMs: 200,
      });
      expect(r.enqueued).toEqual([deleted.recordingId]);
    } finally {
      await queue.close();
    }
    await rm(deleted.file);

    // OME's info file names a path where a directory sits.
    const streamDir = path.join(recordingsDir, 'default', 'app', dirStream.stream.id);
    const asDir = path.join(streamDir, '20261122004157_20261122004226.mp4');
    await mkdir(asDir, { recursive: true });
    await writeInfo(path.join(streamDir, 'info.xml'), [{ transactionId: 'dirdirdirdir0001', stream: dirStream.stream.id, filePath: asDir, startTime: new Date() }]);

    // VOD_ATTEMPTS 3: a retried error would show attemptsMade > 1.
    const cfg = testConfig({
      databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix: prefix, gcsUrl: gcs.url, recordingsDir,
      workDir: path.join(root, 'work'), extra: { VOD_ATTEMPTS: '3', VOD_BACKOFF_MS: '200' },
    });
    events = recordingEvents();
    service = await startVodService(cfg, { events, db });

    const missing = await waitForVod(db, deleted.recordingId, 'failed', 15_000);
    expect(missing.error).toBe(`recording file missing: ${deleted.file} was removed before it was processed`);
    const notFile = await waitForVod(db, 'dirdirdirdir0001-0', 'failed', 15_000);
    expect(notFile.error).toBe(`unreadable recording: ${asDir} is not a regular file`);
    for (const [tx, vod] of [[deleted.transactionId, missing], ['dirdirdirdir0001', notFile]] as const) {
      const job = await service.queue.getJob(vodUploadJobId(tx, 0));
      expect(job?.attemptsMade).toBe(1);
      expect(await job?.getState()).toBe('failed');
      expect(gcs.list(TEST_BUCKET, `vods/${vod.id}/`)).toEqual([]);
      await waitFor('vod.failed event', async () => events.events.some((e) => e.type === 'vod.failed' && e.vod.id === vod.id), 5_000);
    }
    await expect(stat(asDir)).resolves.toBeTruthy();

    const fine = await placeRecording(recordingsDir, good.stream.id, media.small);
    const ready = await waitForVod(db, fine.recordingId, 'ready', 20_000);
    expect(gcs.get(TEST_BUCKET, ready.playlistObject!)).toBeDefined();
  });
});

describe('recording the worker may not read (EACCES)', () => {
  it('fails at once with the reason, keeps the file, uploads nothing, and a readable recording still becomes ready', async () => {
    const [locked, good] = [await createStream(db), await createStream(db)];
    const recordingsDir = path.join(root, 'rec-eacces');
    await mkdir(recordingsDir, { recursive: true });
    const env = testEnv({
      databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix: uniquePrefix(inject('redisPrefix')), gcsUrl: gcs.url,
      recordingsDir, workDir: path.join(root, 'work'),
      // VOD_ATTEMPTS 3: a retried error would show attemptsMade > 1.
      extra: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info', VOD_ATTEMPTS: '3', VOD_BACKOFF_MS: '200' },
    });
    // OME wrote the file, but with a mode the worker's user may not read (e.g. another uid, umask 077).
    const unreadable = await placeRecording(recordingsDir, locked.stream.id, media.small);
    await chmod(unreadable.file, 0o000);
    const size = (await stat(unreadable.file)).size;
    // The worker runs without root's power to read any file, so the mode really applies to it.
    const worker = startChild(env, { fileModesApply: true });
    const output = () => `\n--- worker ---\n${worker.output.join('')}`;
    try {
      const failed = await waitForVod(db, unreadable.recordingId, 'failed', 30_000);
      expect(failed.error, output()).toBe(`unreadable recording: ${unreadable.file}: EACCES: permission denied, open '${unreadable.file}'`);
      expect(failed.readyAt).toBeNull();
      const queue = new Queue(VOD_UPLOAD_QUEUE, { connection: { url: inject('redisUrl') }, prefix: `${env.REDIS_PREFIX}:bull` });
      try {
        const job = await queue.getJob(vodUploadJobId(unreadable.transactionId, 0));
        expect(job?.attemptsMade).toBe(1);
        expect(await job?.getState()).toBe('failed');
      } finally {
        await queue.close();
      }
      expect(gcs.list(TEST_BUCKET, `vods/${failed.id}/`)).toEqual([]);
      const kept = await stat(unreadable.file);
      expect([kept.size, kept.mode & 0o777]).toEqual([size, 0o000]);

      const fine = await placeRecording(recordingsDir, good.stream.id, media.small);
      const ready = await waitForVod(db, fine.recordingId, 'ready', 30_000);
      expect(gcs.get(TEST_BUCKET, ready.playlistObject!)).toBeDefined();
      worker.kill('SIGTERM');
      expect(await exitOf(worker), output()).toEqual({ code: 0, signal: null });
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    }
  });
});

describe('worker SIGTERM while an upload is in flight', () => {
  it('finishes the running upload before exiting 0, leaves the queued job to the next worker, and every recording gets exactly one ready Vod', async () => {
    const s1 = await createStream(db);
    const s2 = await createStream(db);
    const recordingsDir = path.join(root, 'rec-sigterm');
    await mkdir(recordingsDir, { recursive: true });
    const env = testEnv({
      databaseUrl: inject('databaseUrl'),
      redisUrl: inject('redisUrl'),
      redisPrefix: uniquePrefix(inject('redisPrefix')),
      gcsUrl: gcs.url,
      recordingsDir,
      workDir: path.join(root, 'work'),
      extra: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info', GCS_RESUMABLE_THRESHOLD_MB: '0.5', VOD_CONCURRENCY: '1' },
    });
    gcs.faults.uploadChunkDelayMs = 40;
    const first = startChild(env);
    const second: { child: ReturnType<typeof startChild> | null } = { child: null };
    const output = () => `\n--- first worker ---\n${first.output.join('')}\n--- second worker ---\n${second.child?.output.join('') ?? ''}`;
    try {
      const inFlight = await placeRecording(recordingsDir, s1.stream.id, media.slow);
      const size = (await stat(inFlight.file)).size;
      const originalName = await waitFor(
        'the upload of the original to be under way',
        async () => [...gcs.receivedBytes.entries()].find(([name, n]) => name.endsWith('/original.mp4') && n >= 512 * 1024)?.[0],
        30_000,
        20,
      );
      // Queued behind it (concurrency 1): must not be started by a worker that is shutting down.
      const queued = await placeRecording(recordingsDir, s2.stream.id, media.small);
      const queue = new Queue(VOD_UPLOAD_QUEUE, { connection: { url: inject('redisUrl') }, prefix: `${env.REDIS_PREFIX}:bull` });
      try {
        const job = await waitFor('the second job to be queued', () => queue.getJob(vodUploadJobId(queued.transactionId, 0)), 10_000, 20);
        expect(await job.getState()).toBe('waiting');
      } finally {
        await queue.close();
      }

      expect(gcs.get(TEST_BUCKET, originalName)).toBeUndefined();
      expect(gcs.receivedBytes.get(originalName)!).toBeLessThan(size);
      const signalledAt = Date.now();
      first.kill('SIGTERM');
      const exit = await Promise.race([exitOf(first), new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
      const exitedAt = Date.now();
      expect(exit, output()).toEqual({ code: 0, signal: null });

      // It finished the upload it had started, verified it and only then exited.
      const vod = await db.vod.findUniqueOrThrow({ where: { recordingId: inFlight.recordingId } });
      expect(vod.status, output()).toBe('ready');
      expect(vod.readyAt!.getTime()).toBeGreaterThan(signalledAt);
      expect(vod.readyAt!.getTime()).toBeLessThanOrEqual(exitedAt);
      const local = await checksumFile(inFlight.file);
      expect(gcs.get(TEST_BUCKET, originalName)).toMatchObject({ crc32c: local.crc32c, size: local.size });
      // The queued recording was not touched by the stopping worker.
      expect(await db.vod.count({ where: { recordingId: queued.recordingId } })).toBe(0);

      gcs.faults.uploadChunkDelayMs = 0;
      second.child = startChild(env);
      const next = await waitForVod(db, queued.recordingId, 'ready', 30_000);
      expect(next.streamId).toBe(s2.stream.id);
      for (const r of [inFlight, queued]) {
        expect(await db.vod.count({ where: { recordingId: r.recordingId } })).toBe(1);
        await expect(stat(r.file)).resolves.toBeTruthy();
      }
      // One resumable session for the in-flight original: nothing was uploaded twice.
      const name = encodeURIComponent(originalName);
      expect(gcs.requests.filter((q) => q.method === 'POST' && q.url.includes(`name=${name}`) && q.url.includes('uploadType=resumable'))).toHaveLength(1);
      second.child.kill('SIGTERM');
      expect(await exitOf(second.child), output()).toEqual({ code: 0, signal: null });
    } catch (err) {
      throw new Error(`${(err as Error).message}${output()}`);
    } finally {
      gcs.faults.uploadChunkDelayMs = 0;
      for (const c of [first, second.child]) if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
  });
});
