// Shared test plumbing: config for a test run, rows to attach recordings to, waiting helpers.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Db } from '@ocp/backend/db';
import { loadConfig, type Config } from '../../src/config/index.js';
import type { VodEventSink, VodEventType } from '../../src/vods/events.js';
import { sessionVodKey } from '../../src/vods/pieces.js';
import type { VodRow } from '../../src/vods/repo.js';

export const TEST_BUCKET = 'ocp-test-vods';

export interface TestEnvInput {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  gcsUrl: string;
  recordingsDir: string;
  workDir: string;
  extra?: Record<string, string>;
}

/** The env a test worker runs with: the same variables production sets, pointing at local servers. */
export function testEnv(i: TestEnvInput): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: i.databaseUrl,
    REDIS_URL: i.redisUrl,
    REDIS_PREFIX: i.redisPrefix,
    RECORDINGS_DIR: i.recordingsDir,
    VOD_WORK_DIR: i.workDir,
    GCS_BUCKET: TEST_BUCKET,
    GCS_PREFIX: 'vods/',
    GCS_API_ENDPOINT: i.gcsUrl,
    GCS_PROJECT_ID: 'ocp-test',
    GCS_MAX_RETRIES: '3',
    GCS_MAX_RETRY_DELAY_SECONDS: '1',
    GCS_RETRY_DELAY_MULTIPLIER: '1',
    VOD_CONCURRENCY: '2',
    VOD_ATTEMPTS: '3',
    VOD_BACKOFF_MS: '200',
    VOD_KEEP_ORIGINALS_HOURS: '24',
    VOD_HLS_SEGMENT_SECONDS: '2',
    // A broadcast's pieces are joined shortly after its session ends (production: 30 s).
    VOD_SESSION_SETTLE_SECONDS: '1',
    VOD_SESSION_POLL_SECONDS: '1',
    // The watcher is the fast path; this rescan is the safety net for events inotify loses.
    RECORDINGS_RECONCILE_SECONDS: '2',
    METRICS_PORT: '0',
    METRICS_HOST: '127.0.0.1',
    ...i.extra,
  };
}

export function testConfig(i: TestEnvInput): Readonly<Config> {
  return loadConfig(testEnv(i));
}

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `ocp-vod-${label}-`));
}

export function uniquePrefix(base: string): string {
  return `${base}:${randomBytes(3).toString('hex')}`;
}

export async function createStream(db: Db, opts: { record?: boolean; name?: string } = {}) {
  const user = await db.user.create({ data: { email: `vod-${randomUUID()}@example.test`, passwordHash: 'not-a-real-hash' } });
  const stream = await db.stream.create({ data: { ownerId: user.id, name: opts.name ?? 'Test show', record: opts.record ?? true } });
  return { user, stream };
}

export async function createSession(db: Db, streamId: string, startedAt: Date, endedAt: Date | null = null) {
  return db.streamSession.create({
    data: { streamId, protocol: 'rtmp', clientAddress: '127.0.0.1', clientPort: 50000, startedAt, endedAt },
  });
}

export function recordingEvents(): VodEventSink & { events: { type: VodEventType; vod: VodRow }[] } {
  const events: { type: VodEventType; vod: VodRow }[] = [];
  return {
    events,
    async record(_tx, type, vod) {
      return { type, vod, eventId: null };
    },
    // Pushed once queued, i.e. after the change that caused it committed.
    async queue(e) {
      events.push({ type: e.type, vod: e.vod });
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/**
 * A Vod turns ready inside its job, a moment before BullMQ records the job as completed (and a job
 * whose completion an outage cut completes only after stall detection re-runs it). Tests that count
 * jobs wait for this state, the queue's own proof that nothing is left to run; on a timeout the
 * error lists every job's state.
 */
export async function waitForQueueSettled(q: Queue, timeoutMs = 30_000): Promise<{ counts: Record<string, number>; jobs: string }> {
  const describeJobs = async () => {
    const jobs = await q.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized']);
    const rows = await Promise.all(jobs.map(async (j) => `${j.id} ${await j.getState()} attemptsMade=${j.attemptsMade} ${j.failedReason ?? ''}`));
    return rows.join('\n');
  };
  const counts = await waitFor('the queue to settle', async () => {
    const c = await q.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized');
    return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0 ? c : null;
  }, timeoutMs).catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await describeJobs()}`);
  });
  return { counts, jobs: await describeJobs() };
}

/** The Vod a recording ended up in: its own, or (a piece of a broadcast) its session's one Vod. */
export async function vodOfRecording(db: Db, recordingId: string) {
  const own = await db.vod.findUnique({ where: { recordingId } });
  if (own) return own;
  const piece = await db.vodPiece.findUnique({ where: { recordingId } });
  return piece ? db.vod.findUnique({ where: { recordingId: sessionVodKey(piece.sessionId) } }) : null;
}

export function waitForVod(db: Db, recordingId: string, status: 'ready' | 'failed', timeoutMs = 45_000) {
  return waitFor(
    `Vod ${recordingId} to be ${status}`,
    async () => {
      const v = await vodOfRecording(db, recordingId);
      return v?.status === status ? v : null;
    },
    timeoutMs,
  );
}

/**
 * A broadcast ending as the backend records it when OME closes the publish: once `pieces` rendition
 * files of the session are registered, the session ends; then its one joined Vod, once it is ready
 * or failed (the caller checks which).
 */
export async function endBroadcastForVod(db: Db, sessionId: string, pieces: number, timeoutMs = 120_000) {
  await waitFor(`${pieces} renditions of session ${sessionId} registered`, async () => (await db.vodPiece.count({ where: { sessionId } })) === pieces);
  await endSession(db, sessionId);
  return waitFor(`the Vod of session ${sessionId} settled`, async () => {
    const v = await db.vod.findUnique({ where: { recordingId: sessionVodKey(sessionId) } });
    return v?.status === 'ready' || v?.status === 'failed' ? v : null;
  }, timeoutMs, 200);
}

/** At least `n` recordings of the session registered as its pieces. */
export function waitForPieces(db: Db, sessionId: string, n: number) {
  return waitFor(`${n} pieces registered`, async () => (await db.vodPiece.count({ where: { sessionId } })) >= n, 30_000);
}

/** What the backend does when the publisher closes and the reconnect window passes (or at once with no window). */
export async function endSession(db: Db, sessionId: string, at = new Date()) {
  await db.streamSession.update({ where: { id: sessionId }, data: { endedAt: at, endReason: 'publisher_closed' } });
}
