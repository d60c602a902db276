// One VOD per broadcast on real parts: PostgreSQL (sessions set as the backend sets them), Redis,
// ffmpeg-made MP4 pieces (one per publish, as OME records them) and the GCS test server.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { startVodService, type VodService } from '../src/app.js';
import { sessionJoinJobId } from '../src/jobs/session-join.js';
import { VOD_UPLOAD_QUEUE } from '../src/jobs/vod-upload.js';
import { sweepOriginals } from '../src/recordings/retention.js';
import { sessionVodKey } from '../src/vods/pieces.js';
import { VodRepo } from '../src/vods/repo.js';
import { pino } from 'pino';
import { GcsTestServer } from './support/gcs-test-server.js';
import {
  TEST_BUCKET, createSession, createStream, endSession, recordingEvents, tempDir, testConfig, testEnv, uniquePrefix, waitFor, waitForPieces,
} from './support/harness.js';
import { ffprobeJson, makeRecording, writeInfo, type InfoEntry } from './support/media.js';
import { exitOf, startChild } from './support/worker-process.js';

// The requirement: the joined duration is the sum of the pieces within one GOP (2 s here) each. The
// tests hold it tighter, to half a GOP in all, so that a dropped piece (3 s or more) cannot pass.
const TOLERANCE_MS = 1_000;

let gcs: GcsTestServer;
let db: Db;
let root: string;
let media: { a4: string; b3: string; c3: string; hd3: string; big: string };
let service: VodService | null = null;
let events: ReturnType<typeof recordingEvents>;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
  root = await tempDir('session-join');
  const dir = path.join(root, 'media');
  const [a4, b3, c3, hd3, big] = await Promise.all([
    makeRecording(path.join(dir, 'a4.mp4'), { seconds: 4 }),
    makeRecording(path.join(dir, 'b3.mp4'), { seconds: 3 }),
    makeRecording(path.join(dir, 'c3.mp4'), { seconds: 3 }),
    makeRecording(path.join(dir, 'hd3.mp4'), { seconds: 3, size: '1280x720' }),
    // ~2 MB: a join slow enough (throttled uploads) to kill its worker in the middle.
    makeRecording(path.join(dir, 'big.mp4'), { seconds: 4, videoBitrate: '4M' }),
  ]);
  media = { a4, b3, c3, hd3, big };
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

function env(recordingsDir: string, prefix: string, extra: Record<string, string> = {}) {
  return testEnv({
    databaseUrl: inject('databaseUrl'),
    redisUrl: inject('redisUrl'),
    redisPrefix: prefix,
    gcsUrl: gcs.url,
    recordingsDir,
    workDir: path.join(root, 'work'),
    extra,
  });
}

async function start(extra: Record<string, string> = {}) {
  const recordingsDir = path.join(root, `rec-${randomBytes(4).toString('hex')}`);
  await mkdir(recordingsDir, { recursive: true });
  const prefix = uniquePrefix(inject('redisPrefix'));
  events = recordingEvents();
  service = await startVodService(testConfig({
    databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix: prefix, gcsUrl: gcs.url,
    recordingsDir, workDir: path.join(root, 'work'), extra,
  }), { events, db });
  return { recordingsDir, prefix };
}

/** A broadcast's recordings the way OME's record map leaves them: one file per publish, one info file. */
class Broadcast {
  readonly entries: InfoEntry[] = [];
  readonly files: string[] = [];
  readonly dir: string;
  constructor(recordingsDir: string, readonly streamId: string) {
    this.dir = path.join(recordingsDir, 'default', 'app', streamId);
  }
  get infoPath() {
    return path.join(this.dir, 'info.xml');
  }
  recordingId(i: number) {
    return `${this.entries[i]!.transactionId}-0`;
  }
  /** One more publish: a new file and OME's rewrite of the info file with every entry so far. */
  async piece(source: string, startTime: Date): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${startTime.getTime()}_${this.files.length}${path.extname(source)}`);
    await copyFile(source, file);
    this.files.push(file);
    this.entries.push({ transactionId: randomBytes(8).toString('hex'), stream: this.streamId, filePath: file, startTime, recordBytes: (await stat(file)).size });
    await writeInfo(this.infoPath, this.entries);
    return this.recordingId(this.entries.length - 1);
  }
}

async function probeMs(file: string): Promise<number> {
  return Math.round(Number((await ffprobeJson(file)).format.duration) * 1000);
}

function sessionVod(sessionId: string) {
  return db.vod.findUnique({ where: { recordingId: sessionVodKey(sessionId) } });
}

function waitForSessionVod(sessionId: string, status: 'ready' | 'failed', timeoutMs = 60_000) {
  return waitFor(`session ${sessionId} Vod ${status}`, async () => {
    const v = await sessionVod(sessionId);
    return v?.status === status ? v : null;
  }, timeoutMs);
}

async function storedPlaylist(objectName: string): Promise<string> {
  return readFile(gcs.get(TEST_BUCKET, objectName)!.file, 'utf8');
}

describe('one VOD per broadcast', () => {
  it('waits for the session to be final, then joins 3 pieces of equal parameters into one HLS VOD without discontinuities', async () => {
    const { stream } = await createStream(db, { name: 'Flaky uplink show' });
    const t0 = new Date(Date.now() - 120_000);
    const session = await createSession(db, stream.id, t0, null);
    const { recordingsDir, prefix } = await start();
    const b = new Broadcast(recordingsDir, stream.id);
    const ids = [
      await b.piece(media.a4, new Date(t0.getTime() + 1_000)),
      await b.piece(media.b3, new Date(t0.getTime() + 30_000)),
      await b.piece(media.c3, new Date(t0.getTime() + 60_000)),
    ];
    await waitForPieces(db, session.id, 3);

    // Still open (live or reconnecting): the Vod is there for the dashboard, but pending, and the join waits.
    const pending = await sessionVod(session.id);
    expect(pending).toMatchObject({ status: 'pending', sessionId: session.id, streamId: stream.id, ownerId: stream.ownerId });
    const q = new Queue(VOD_UPLOAD_QUEUE, { connection: { url: inject('redisUrl') }, prefix: `${prefix}:bull` });
    try {
      await waitFor('join job delayed', async () => (await q.getJob(sessionJoinJobId(session.id)))?.isDelayed());
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await sessionVod(session.id))?.status).toBe('pending');

      await endSession(db, session.id);
      const vod = await waitForSessionVod(session.id, 'ready');

      const sum = (await Promise.all([media.a4, media.b3, media.c3].map(probeMs))).reduce((a, d) => a + d, 0);
      expect(Math.abs(vod.durationMs! - sum)).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(Number(vod.sizeBytes)).toBe((await Promise.all(b.files.map((f) => stat(f)))).reduce((a, s) => a + s.size, 0));
      expect(await db.vod.count({ where: { sessionId: session.id } })).toBe(1);
      expect(vod.title).toContain('Flaky uplink show');

      // One continuous timeline: concat with -c copy, no discontinuity, and ffprobe reads the summed duration.
      const playlist = await storedPlaylist(vod.playlistObject!);
      expect(playlist).toContain('#EXT-X-ENDLIST');
      expect(playlist).not.toContain('#EXT-X-DISCONTINUITY');
      const probe = await ffprobeJson(`${gcs.url}/${TEST_BUCKET}/${vod.playlistObject}`);
      expect(Math.abs(Number(probe.format.duration) * 1000 - sum)).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);

      // Every original kept, in broadcast order; all pieces joined to this Vod.
      const r = vod.renditions as { pieces: { recordingId: string; originalObject: string; run: number }[]; discontinuities: number };
      expect(r.pieces.map((p) => p.recordingId)).toEqual(ids);
      expect(r.pieces.map((p) => p.run)).toEqual([0, 0, 0]);
      expect(r.discontinuities).toBe(0);
      for (const [i, p] of r.pieces.entries()) expect(gcs.get(TEST_BUCKET, p.originalObject)?.size).toBe((await stat(b.files[i]!)).size);
      const pieces = await db.vodPiece.findMany({ where: { sessionId: session.id } });
      expect(pieces.map((p) => [p.status, p.vodId])).toEqual(pieces.map(() => ['joined', vod.id]));
      expect(events.events.map((e) => `${e.type}:${e.vod.id}`)).toEqual([`vod.ready:${vod.id}`]);
    } finally {
      await q.close();
    }
  });

  it('joins pieces of different resolutions with EXT-X-DISCONTINUITY where the parameters change', async () => {
    const { stream } = await createStream(db);
    const t0 = new Date(Date.now() - 120_000);
    const session = await createSession(db, stream.id, t0, null);
    const { recordingsDir } = await start();
    const b = new Broadcast(recordingsDir, stream.id);
    await b.piece(media.a4, new Date(t0.getTime() + 1_000));
    await b.piece(media.hd3, new Date(t0.getTime() + 20_000));
    await b.piece(media.b3, new Date(t0.getTime() + 40_000));
    await waitForPieces(db, session.id, 3);
    await endSession(db, session.id);
    const vod = await waitForSessionVod(session.id, 'ready');

    const sum = (await Promise.all([media.a4, media.hd3, media.b3].map(probeMs))).reduce((a, d) => a + d, 0);
    expect(Math.abs(vod.durationMs! - sum)).toBeLessThanOrEqual(TOLERANCE_MS);
    const playlist = await storedPlaylist(vod.playlistObject!);
    expect(playlist.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(2);
    // Every segment the playlist names is stored under the Vod's HLS folder.
    for (const seg of playlist.split('\n').filter((l) => l.endsWith('.ts'))) expect(gcs.get(TEST_BUCKET, `vods/${vod.id}/hls/${seg}`), seg).toBeDefined();
    const probe = await ffprobeJson(`${gcs.url}/${TEST_BUCKET}/${vod.playlistObject}`);
    expect(Math.abs(Number(probe.format.duration) * 1000 - sum)).toBeLessThanOrEqual(TOLERANCE_MS);
    const r = vod.renditions as { pieces: { run: number; tracks: { type: string; width?: number }[] }[]; discontinuities: number };
    expect(r.discontinuities).toBe(2);
    expect(r.pieces.map((p) => [p.run, p.tracks.find((t) => t.type === 'video')?.width])).toEqual([[0, 640], [1, 1280], [2, 640]]);
  });

  it('joins a piece OME lists after the closing call (within the settle delay); one listed after the Vod is made is kept, not joined', async () => {
    const { stream } = await createStream(db);
    const t0 = new Date(Date.now() - 120_000);
    const session = await createSession(db, stream.id, t0, null);
    const { recordingsDir } = await start({ VOD_SESSION_SETTLE_SECONDS: '4' });
    const b = new Broadcast(recordingsDir, stream.id);
    await b.piece(media.a4, new Date(t0.getTime() + 1_000));
    await waitForPieces(db, session.id, 1);
    await endSession(db, session.id);
    // OME finalises the last file a moment after the closing call.
    await new Promise((r) => setTimeout(r, 1_000));
    await b.piece(media.b3, new Date(t0.getTime() + 30_000));
    const vod = await waitForSessionVod(session.id, 'ready');
    const sum = (await probeMs(media.a4)) + (await probeMs(media.b3));
    expect(Math.abs(vod.durationMs! - sum)).toBeLessThanOrEqual(TOLERANCE_MS);
    expect((vod.renditions as { pieces: unknown[] }).pieces).toHaveLength(2);

    // Too late: the Vod is made. Exactly one Vod stays, unchanged; the file is kept for an operator.
    const lateId = await b.piece(media.c3, new Date(t0.getTime() + 60_000));
    await waitFor('late piece recorded', async () => (await db.vodPiece.findUnique({ where: { recordingId: lateId } }))?.status === 'late');
    await waitFor('late_piece outcome', async () => (await service!.metrics.registry.getSingleMetricAsString('ocp_vod_jobs_total')).includes('outcome="late_piece"} 1'));
    expect(await db.vod.count({ where: { sessionId: session.id } })).toBe(1);
    expect((await sessionVod(session.id))).toMatchObject({ status: 'ready', durationMs: vod.durationMs, playlistObject: vod.playlistObject });
    await expect(stat(b.files[2]!)).resolves.toBeTruthy();
    expect(events.events.filter((e) => e.type === 'vod.ready')).toHaveLength(1);
  });

  it('fails the broadcast Vod with a clear reason when all of its pieces are gone before the join', async () => {
    const { stream } = await createStream(db);
    const t0 = new Date(Date.now() - 120_000);
    const session = await createSession(db, stream.id, t0, null);
    const { recordingsDir } = await start();
    const b = new Broadcast(recordingsDir, stream.id);
    await b.piece(media.a4, new Date(t0.getTime() + 1_000));
    await b.piece(media.b3, new Date(t0.getTime() + 30_000));
    await waitForPieces(db, session.id, 2);
    for (const f of b.files) await rm(f);
    await endSession(db, session.id);
    const vod = await waitForSessionVod(session.id, 'failed');
    expect(vod.error).toBe(`all 2 recordings of this broadcast are missing (removed before they were joined): ${b.files.map((f) => path.basename(f)).join(', ')}`);
    await waitFor('vod.failed event', async () => events.events.some((e) => e.type === 'vod.failed' && e.vod.id === vod.id));
    expect(gcs.list(TEST_BUCKET, `vods/${vod.id}/`)).toEqual([]);
  });

  it('a join job lost with Redis data is enqueued again by the next reconcile (the piece rows are the record)', async () => {
    const { stream } = await createStream(db);
    const t0 = new Date(Date.now() - 120_000);
    const session = await createSession(db, stream.id, t0, null);
    const { recordingsDir, prefix } = await start({ RECORDINGS_RECONCILE_SECONDS: '600' });
    const b = new Broadcast(recordingsDir, stream.id);
    await b.piece(media.a4, new Date(t0.getTime() + 1_000));
    await waitForPieces(db, session.id, 1);
    await service!.stop();
    service = null;
    // Redis lost the queue (no AOF, a flush): the waiting join job is gone.
    const q = new Queue(VOD_UPLOAD_QUEUE, { connection: { url: inject('redisUrl') }, prefix: `${prefix}:bull` });
    await waitFor('join job present', async () => Boolean(await q.getJob(sessionJoinJobId(session.id))));
    await q.obliterate({ force: true });
    expect(await q.getJob(sessionJoinJobId(session.id))).toBeUndefined();
    await q.close();
    await endSession(db, session.id);

    // A new worker on the same recordings and queue: start-up reconcile re-enqueues the join.
    events = recordingEvents();
    service = await startVodService(testConfig({
      databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix: prefix, gcsUrl: gcs.url,
      recordingsDir, workDir: path.join(root, 'work'), extra: { RECORDINGS_RECONCILE_SECONDS: '600' },
    }), { events, db });
    const vod = await waitForSessionVod(session.id, 'ready');
    expect((vod.renditions as { pieces: unknown[] }).pieces).toHaveLength(1);
  });

  it('keeps one Vod per recording for a recording no session covers', async () => {
    const { stream } = await createStream(db);
    const old = await createSession(db, stream.id, new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_000_000));
    const { recordingsDir } = await start();
    const b = new Broadcast(recordingsDir, stream.id);
    const id = await b.piece(media.a4, new Date());
    const vod = await waitFor('own Vod ready', async () => {
      const v = await db.vod.findUnique({ where: { recordingId: id } });
      return v?.status === 'ready' ? v : null;
    });
    // Today's behaviour: its own Vod, linked to the latest earlier session, and no piece row.
    expect(vod.sessionId).toBe(old.id);
    expect(await db.vodPiece.count({ where: { recordingId: id } })).toBe(0);
    expect(await sessionVod(old.id)).toBeNull();
  });
});

describe('worker restart mid-join', () => {
  it('the next worker finishes the join: still exactly one Vod for the session, every piece in it', async () => {
    const { stream } = await createStream(db);
    const t0 = new Date(Date.now() - 120_000);
    const session = await createSession(db, stream.id, t0, null);
    const recordingsDir = path.join(root, 'rec-restart');
    const b = new Broadcast(recordingsDir, stream.id);
    await b.piece(media.big, new Date(t0.getTime() + 1_000));
    await b.piece(media.a4, new Date(t0.getTime() + 30_000));
    await endSession(db, session.id);
    const e = env(recordingsDir, uniquePrefix(inject('redisPrefix')), {
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      GCS_RESUMABLE_THRESHOLD_MB: '0.5',
      VOD_LOCK_DURATION_MS: '2000',
      VOD_STALLED_INTERVAL_MS: '1000',
    });
    gcs.faults.uploadChunkDelayMs = 60;
    const first = startChild(e);
    try {
      await waitFor('the first worker to be uploading the joined Vod', async () =>
        [...gcs.receivedBytes.entries()].some(([name, n]) => name.startsWith('vods/') && name.includes('/original-1.mp4') && n >= 512 * 1024), 60_000, 20);
    } catch (err) {
      first.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n${first.output.join('')}`);
    }
    first.kill('SIGKILL');
    expect(await exitOf(first)).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await sessionVod(session.id))?.status).toBe('processing');
    gcs.faults.uploadChunkDelayMs = 0;

    const second = startChild(e);
    let failure: unknown = null;
    try {
      const vod = await waitForSessionVod(session.id, 'ready', 90_000);
      expect(await db.vod.count({ where: { sessionId: session.id } })).toBe(1);
      expect(await db.vod.count({ where: { streamId: stream.id } })).toBe(1);
      const pieces = await db.vodPiece.findMany({ where: { sessionId: session.id } });
      expect(pieces.map((p) => [p.status, p.vodId])).toEqual([['joined', vod.id], ['joined', vod.id]]);
      const sum = (await probeMs(media.big)) + (await probeMs(media.a4));
      const probe = await ffprobeJson(`${gcs.url}/${TEST_BUCKET}/${vod.playlistObject}`);
      expect(Math.abs(Number(probe.format.duration) * 1000 - sum)).toBeLessThanOrEqual(TOLERANCE_MS);
      // Objects of this session only under the one Vod's prefix.
      const ofSession = [...gcs.objects.values()].filter((o) => o.metadata?.sessionId === session.id);
      expect(ofSession.length).toBeGreaterThan(3);
      expect(ofSession.every((o) => o.name.startsWith(`vods/${vod.id}/`))).toBe(true);
    } catch (err) {
      failure = err;
    }
    second.kill('SIGTERM');
    const exit = await exitOf(second);
    if (failure) throw new Error(`${(failure as Error).message}\n--- first ---\n${first.output.join('')}\n--- second ---\n${second.output.join('')}`);
    expect(exit).toEqual({ code: 0, signal: null });
    // Two worker processes one after the other, each waited for with its own bound (60 s, 90 s).
  }, 160_000);
});

describe('local retention of pieces', () => {
  it('deletes joined pieces of a ready Vod after the retention period, never late ones', async () => {
    const { stream } = await createStream(db);
    const session = await createSession(db, stream.id, new Date(Date.now() - 60_000), new Date());
    const dir = path.join(root, `retention-${randomBytes(3).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    const [joined, late] = [path.join(dir, 'joined.mp4'), path.join(dir, 'late.mp4')];
    await copyFile(media.a4, joined);
    await copyFile(media.b3, late);
    const vod = await db.vod.create({
      data: { ownerId: stream.ownerId, streamId: stream.id, sessionId: session.id, recordingId: sessionVodKey(session.id), status: 'ready', readyAt: new Date(), originalObject: 'vods/x/original.mp4' },
    });
    const piece = (recordingId: string, file: string, status: 'joined' | 'late') => db.vodPiece.create({
      data: { recordingId, sessionId: session.id, vodId: status === 'joined' ? vod.id : null, status, filePath: file, infoPath: path.join(dir, 'info.xml'), sourcePath: file, transactionId: recordingId, sequence: 0 },
    });
    const a = await piece(`ret-${randomBytes(4).toString('hex')}`, joined, 'joined');
    await piece(`ret-${randomBytes(4).toString('hex')}`, late, 'late');
    const repo = new VodRepo(db);
    const log = pino({ level: 'silent' });
    expect(await sweepOriginals(repo, 24, log)).toBe(0);
    await expect(stat(joined)).resolves.toBeTruthy();
    expect(await sweepOriginals(repo, 24, log, new Date(Date.now() + 25 * 3600_000))).toBeGreaterThanOrEqual(1);
    await expect(stat(joined)).rejects.toThrow();
    await expect(stat(late)).resolves.toBeTruthy();
    expect((await db.vodPiece.findUnique({ where: { id: a.id } }))?.sourcePath).toBeNull();
  });
});

describe('session Vod rows (the database as the guard)', () => {
  it('re-enqueues only the joins of broadcasts whose pieces lie under this worker\'s recordings tree', async () => {
    const { stream } = await createStream(db);
    const mine = await createSession(db, stream.id, new Date(Date.now() - 60_000), null);
    const theirs = await createSession(db, stream.id, new Date(Date.now() - 50_000), null);
    const myRoot = path.join(root, `scope-${randomBytes(3).toString('hex')}`);
    const piece = (sessionId: string, dir: string) => {
      const recordingId = `scope-${randomBytes(4).toString('hex')}`;
      return db.vodPiece.create({
        data: { recordingId, sessionId, filePath: path.join(dir, 'a.mp4'), infoPath: path.join(dir, 'info.xml'), sourcePath: path.join(dir, 'a.mp4'), transactionId: recordingId, sequence: 0 },
      });
    };
    await piece(mine.id, path.join(myRoot, 'default', 'app', 's'));
    // Another OME node's volume, and a sibling directory whose name merely starts like ours.
    await piece(theirs.id, path.join(`${myRoot}-other`, 'default', 'app', 's'));
    const repo = new VodRepo(db);
    const found = await repo.sessionsAwaitingJoin(myRoot);
    expect(found).toContain(mine.id);
    expect(found).not.toContain(theirs.id);
    expect(await repo.sessionsAwaitingJoin(`${myRoot}${path.sep}`)).toContain(mine.id);
  });

  it('concurrent registrations of a broadcast make one Vod and one row per piece, without unique-key errors', async () => {
    const { stream } = await createStream(db);
    const session = await createSession(db, stream.id, new Date(Date.now() - 60_000), null);
    const repo = new VodRepo(db);
    const key = sessionVodKey(session.id);
    const input = { recordingId: key, ownerId: stream.ownerId, streamId: stream.id, sessionId: session.id, title: 't' };
    const vods = await Promise.all(Array.from({ length: 8 }, () => repo.ensureSessionVod(input)));
    expect(new Set(vods.map((v) => v.id)).size).toBe(1);
    const piece = (i: number) => ({
      recordingId: `race-${session.id}-${i % 2}`, sessionId: session.id, filePath: `/rec/${i % 2}.mp4`, infoPath: '/rec/info.xml',
      sourcePath: null, startedAt: new Date(), transactionId: `race-${i % 2}`, sequence: 0,
    });
    const rows = await Promise.all(Array.from({ length: 8 }, (_, i) => repo.registerPiece(piece(i))));
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    expect(await db.vod.count({ where: { sessionId: session.id } })).toBe(1);
  });

  it('does not make the Vod ready when a piece was registered after the join took its list', async () => {
    const { stream } = await createStream(db);
    const session = await createSession(db, stream.id, new Date(Date.now() - 60_000), new Date());
    const repo = new VodRepo(db);
    const vod = await repo.ensureSessionVod({ recordingId: sessionVodKey(session.id), ownerId: stream.ownerId, streamId: stream.id, sessionId: session.id, title: 't' });
    const mk = (n: string) => repo.registerPiece({ recordingId: `${session.id}-${n}`, sessionId: session.id, filePath: `/r/${n}`, infoPath: '/r/i', sourcePath: null, startedAt: new Date(), transactionId: n, sequence: 0 });
    const [a, gone] = [await mk('a'), await mk('gone')];
    const details = { durationMs: 1000, sizeBytes: 1, renditions: {}, objectPrefix: 'p/', playlistObject: 'p/hls/index.m3u8', posterObject: null, originalObject: 'p/original.mp4' };
    const b = await mk('b'); // arrived while the join worked on [a, gone]
    expect(await repo.markSessionReady(vod.id, session.id, details, { joined: [a.id], missing: [gone.id] }, async () => null)).toBeNull();
    expect((await db.vod.findUnique({ where: { id: vod.id } }))?.status).toBe('pending');
    expect((await db.vodPiece.findMany({ where: { sessionId: session.id } })).map((p) => p.status)).toEqual(['waiting', 'waiting', 'waiting']);
    const ready = (await repo.markSessionReady(vod.id, session.id, details, { joined: [a.id, b.id], missing: [gone.id] }, async () => null))?.vod;
    expect(ready?.status).toBe('ready');
    const byId = new Map((await db.vodPiece.findMany({ where: { sessionId: session.id } })).map((p) => [p.id, p]));
    expect([byId.get(a.id)?.status, byId.get(b.id)?.status, byId.get(gone.id)?.status]).toEqual(['joined', 'joined', 'missing']);
    expect(byId.get(b.id)?.vodId).toBe(vod.id);
  });
});
