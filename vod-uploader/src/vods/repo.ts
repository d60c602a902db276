// The worker's reads and writes of Stream / StreamSession / Vod rows. The Vod's unique
// recordingId is the real dedupe guard: whatever the queue does, one recording has one row.
import path from 'node:path';
import type { Db } from '@ocp/backend/db';
import { sessionVodKey } from './pieces.js';
import { matchSession, matchSessionCovering } from './session-match.js';

export type VodRow = NonNullable<Awaited<ReturnType<Db['vod']['findUnique']>>>;
export type StreamRow = NonNullable<Awaited<ReturnType<Db['stream']['findUnique']>>>;
export type PieceRow = NonNullable<Awaited<ReturnType<Db['vodPiece']['findUnique']>>>;
/** A transaction client; `InTx` is work done in the same transaction as a status change (its event). */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type InTx<E> = (tx: Tx, vod: VodRow) => Promise<E>;

export interface PieceInput {
  recordingId: string;
  sessionId: string;
  filePath: string;
  infoPath: string;
  sourcePath: string | null;
  startedAt: Date | null;
  transactionId: string;
  sequence: number;
  rendition: string | null;
}

export interface ReadyDetails {
  durationMs: number;
  sizeBytes: number;
  renditions: unknown;
  objectPrefix: string;
  playlistObject: string;
  posterObject: string | null;
  originalObject: string | null;
  /** Bytes stored under the Vod's prefix (GcsStore.prefixBytes), null when the listing failed. */
  storageBytes: number | null;
}

export class VodRepo {
  constructor(private readonly db: Db) {}

  findByRecording(recordingId: string) {
    return this.db.vod.findUnique({ where: { recordingId } });
  }

  findStream(id: string) {
    return this.db.stream.findUnique({ where: { id } });
  }

  async findSessionId(streamId: string, start: Date | null, slackMs: number): Promise<string | null> {
    const upTo = start ? new Date(start.getTime() + slackMs) : undefined;
    const candidates = await this.db.streamSession.findMany({
      where: { streamId, ...(upTo ? { startedAt: { lte: upTo } } : {}) },
      orderBy: { startedAt: 'desc' },
      take: 20,
      select: { id: true, startedAt: true, endedAt: true },
    });
    return matchSession(candidates, start, slackMs);
  }

  /** The session whose time covers a recording's start (the only kind a recording is joined into). */
  async findCoveringSession(streamId: string, start: Date | null, slackMs: number): Promise<string | null> {
    const upTo = start ? new Date(start.getTime() + slackMs) : undefined;
    const candidates = await this.db.streamSession.findMany({
      where: { streamId, ...(upTo ? { startedAt: { lte: upTo } } : {}) },
      orderBy: { startedAt: 'desc' },
      take: 20,
      select: { id: true, startedAt: true, endedAt: true },
    });
    return matchSessionCovering(candidates, start, slackMs);
  }

  findSession(id: string) {
    return this.db.streamSession.findUnique({ where: { id }, include: { stream: true } });
  }

  /**
   * Registers a recording as a piece of its session; a repeat returns the row already there.
   * INSERT … ON CONFLICT DO NOTHING: concurrent registrations never fail on the unique key.
   */
  async registerPiece(input: PieceInput): Promise<PieceRow> {
    await this.db.vodPiece.createMany({ data: [input], skipDuplicates: true });
    return (await this.db.vodPiece.findUnique({ where: { recordingId: input.recordingId } }))!;
  }

  /**
   * The session's Vod, created `pending` by its first piece so users see it while the broadcast goes
   * on. Pieces of one session are registered concurrently: ON CONFLICT DO NOTHING, then read.
   */
  async ensureSessionVod(input: { recordingId: string; ownerId: string; streamId: string; sessionId: string; title: string }): Promise<VodRow> {
    await this.db.vod.createMany({ data: [{ ...input, status: 'pending' }], skipDuplicates: true });
    return (await this.db.vod.findUnique({ where: { recordingId: input.recordingId } }))!;
  }

  /** Pieces of a session that a join takes (waiting, or joined by an attempt cut short). */
  piecesToJoin(sessionId: string) {
    return this.db.vodPiece.findMany({ where: { sessionId, status: { in: ['waiting', 'joined'] } } });
  }

  /**
   * The session's Vod ready and its pieces joined to it, in one transaction; or null, changing
   * nothing, when a piece registered since the join took its list (the join must run again with it).
   */
  async markSessionReady<E>(id: string, sessionId: string, d: ReadyDetails, pieces: { joined: string[]; missing: string[] }, withEvent: InTx<E>): Promise<{ vod: VodRow; event: E } | null> {
    return this.db.$transaction(async (tx) => {
      const taken = [...pieces.joined, ...pieces.missing];
      const newer = await tx.vodPiece.count({ where: { sessionId, status: 'waiting', id: { notIn: taken } } });
      if (newer > 0) return null;
      await tx.vodPiece.updateMany({ where: { id: { in: pieces.joined } }, data: { status: 'joined', vodId: id } });
      if (pieces.missing.length > 0) await tx.vodPiece.updateMany({ where: { id: { in: pieces.missing } }, data: { status: 'missing', sourcePath: null } });
      const vod = await tx.vod.update({ where: { id }, data: readyData(d) });
      return { vod, event: await withEvent(tx, vod) };
    });
  }

  /** Pieces registered after the join took its list: kept on disk, not in the Vod. Returns how many. */
  async markLatePieces(sessionId: string): Promise<PieceRow[]> {
    const late = await this.db.vodPiece.findMany({ where: { sessionId, status: 'waiting' } });
    if (late.length > 0) await this.db.vodPiece.updateMany({ where: { id: { in: late.map((p) => p.id) } }, data: { status: 'late' } });
    return late;
  }

  /**
   * Sessions with pieces still waiting whose Vod is neither ready nor failed: each needs its join job.
   * Start-up and periodic reconcile re-enqueue them, so a join job lost with Redis's data is not a
   * Vod pending forever (the piece rows, not the queue, are the record of what is to be joined).
   * Only pieces under `root`, the recordings tree this worker reads: a worker that cannot reach a
   * broadcast's files (another OME node's volume) must not take its join.
   */
  async sessionsAwaitingJoin(root: string, limit = 1000): Promise<string[]> {
    const under = root.endsWith(path.sep) ? root : root + path.sep;
    const rows = await this.db.vodPiece.findMany({
      where: { status: 'waiting', infoPath: { startsWith: under } },
      distinct: ['sessionId'],
      select: { sessionId: true },
      take: limit,
    });
    if (rows.length === 0) return [];
    const settled = await this.db.vod.findMany({
      where: { recordingId: { in: rows.map((r) => sessionVodKey(r.sessionId)) }, status: { in: ['ready', 'failed'] } },
      select: { sessionId: true },
    });
    const done = new Set(settled.map((v) => v.sessionId));
    return rows.map((r) => r.sessionId).filter((id) => !done.has(id));
  }

  async markPieceLate(id: string): Promise<void> {
    await this.db.vodPiece.update({ where: { id }, data: { status: 'late' } });
  }

  async clearPieceSource(ids: string[]): Promise<void> {
    await this.db.vodPiece.updateMany({ where: { id: { in: ids } }, data: { sourcePath: null } });
  }

  /** Joined pieces whose Vod has been ready long enough for their local file to go. */
  piecesDueForLocalDeletion(readyBefore: Date, limit = 100) {
    return this.db.vodPiece.findMany({
      where: { status: 'joined', sourcePath: { not: null }, vod: { status: 'ready', readyAt: { lte: readyBefore } } },
      select: { id: true, sourcePath: true, vodId: true },
      take: limit,
    });
  }

  /** Creates the row, or takes an existing non-ready one back to `processing` (a retry). */
  async startProcessing(input: {
    recordingId: string;
    ownerId: string;
    streamId: string;
    sessionId: string | null;
    title: string;
    sourcePath: string | null;
  }): Promise<VodRow> {
    return this.db.vod.upsert({
      where: { recordingId: input.recordingId },
      create: { ...input, status: 'processing' },
      update: { status: 'processing', error: null, sourcePath: input.sourcePath },
    });
  }

  /** Ready, and its event written, in one transaction (the outbox). */
  async markReady<E>(id: string, d: ReadyDetails, withEvent: InTx<E>): Promise<{ vod: VodRow; event: E }> {
    return this.db.$transaction(async (tx) => {
      const vod = await tx.vod.update({ where: { id }, data: readyData(d) });
      return { vod, event: await withEvent(tx, vod) };
    });
  }

  /** Marks a recording's Vod failed unless it already became ready, with its event; null when unchanged. */
  async markFailed<E>(recordingId: string, reason: string, withEvent: InTx<E>): Promise<{ vod: VodRow; event: E } | null> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.vod.updateMany({
        where: { recordingId, status: { not: 'ready' } },
        data: { status: 'failed', error: reason.slice(0, 2000) },
      });
      if (count === 0) return null;
      const vod = (await tx.vod.findUnique({ where: { recordingId } }))!;
      return { vod, event: await withEvent(tx, vod) };
    });
  }

  /** Ready Vods whose stored bytes are not known yet (made before storage accounting). */
  readyWithoutStorageBytes(limit: number) {
    return this.db.vod.findMany({ where: { status: 'ready', storageBytes: null, objectPrefix: { not: null } }, select: { id: true, objectPrefix: true }, orderBy: { readyAt: 'asc' }, take: limit });
  }

  async setStorageBytes(id: string, bytes: number): Promise<void> {
    await this.db.vod.updateMany({ where: { id, storageBytes: null }, data: { storageBytes: BigInt(bytes) } });
  }

  async clearSourcePath(id: string): Promise<void> {
    await this.db.vod.update({ where: { id }, data: { sourcePath: null } });
  }

  /** Ready Vods whose local original has been kept long enough. */
  dueForLocalDeletion(readyBefore: Date, limit = 100) {
    return this.db.vod.findMany({
      where: { status: 'ready', sourcePath: { not: null }, readyAt: { lte: readyBefore } },
      select: { id: true, sourcePath: true, originalObject: true },
      take: limit,
    });
  }

  /**
   * Recording ids that need no (new) job: done, or failed for good (a human decides), or registered
   * as a piece of a broadcast (its session's join job takes it from there).
   */
  async settledRecordingIds(recordingIds: string[]): Promise<Set<string>> {
    if (recordingIds.length === 0) return new Set();
    const rows = await this.db.vod.findMany({
      where: { recordingId: { in: recordingIds }, status: { in: ['ready', 'failed'] } },
      select: { recordingId: true },
    });
    const pieces = await this.db.vodPiece.findMany({ where: { recordingId: { in: recordingIds } }, select: { recordingId: true } });
    return new Set([...rows, ...pieces].map((r) => r.recordingId));
  }
}

/** The columns a Vod's ready state sets (a recording, a broadcast, a clip). */
export function readyData(d: ReadyDetails) {
  return {
    status: 'ready' as const,
    error: null,
    durationMs: d.durationMs,
    sizeBytes: BigInt(d.sizeBytes),
    renditions: d.renditions as object,
    objectPrefix: d.objectPrefix,
    playlistObject: d.playlistObject,
    posterObject: d.posterObject,
    originalObject: d.originalObject,
    storageBytes: d.storageBytes == null ? null : BigInt(d.storageBytes),
    readyAt: new Date(),
  };
}
