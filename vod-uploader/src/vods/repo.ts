// The worker's reads and writes of Stream / StreamSession / Vod rows. The Vod's unique
// recordingId is the real dedupe guard: whatever the queue does, one recording has one row.
import type { Db } from '@ocp/backend/db';
import { matchSession } from './session-match.js';

export type VodRow = NonNullable<Awaited<ReturnType<Db['vod']['findUnique']>>>;
export type StreamRow = NonNullable<Awaited<ReturnType<Db['stream']['findUnique']>>>;

export interface ReadyDetails {
  durationMs: number;
  sizeBytes: number;
  renditions: unknown;
  objectPrefix: string;
  playlistObject: string;
  posterObject: string | null;
  originalObject: string | null;
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

  /** Creates the row, or takes an existing non-ready one back to `processing` (a retry). */
  async startProcessing(input: {
    recordingId: string;
    ownerId: string;
    streamId: string;
    sessionId: string | null;
    title: string;
    sourcePath: string;
  }): Promise<VodRow> {
    return this.db.vod.upsert({
      where: { recordingId: input.recordingId },
      create: { ...input, status: 'processing' },
      update: { status: 'processing', error: null, sourcePath: input.sourcePath },
    });
  }

  async markReady(id: string, d: ReadyDetails): Promise<VodRow> {
    return this.db.vod.update({
      where: { id },
      data: {
        status: 'ready',
        error: null,
        durationMs: d.durationMs,
        sizeBytes: BigInt(d.sizeBytes),
        renditions: d.renditions as object,
        objectPrefix: d.objectPrefix,
        playlistObject: d.playlistObject,
        posterObject: d.posterObject,
        originalObject: d.originalObject,
        readyAt: new Date(),
      },
    });
  }

  /** Marks a recording's Vod failed unless it already became ready. Returns the row when changed. */
  async markFailed(recordingId: string, reason: string): Promise<VodRow | null> {
    const { count } = await this.db.vod.updateMany({
      where: { recordingId, status: { not: 'ready' } },
      data: { status: 'failed', error: reason.slice(0, 2000) },
    });
    return count > 0 ? this.findByRecording(recordingId) : null;
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

  /** Recording ids that need no (new) job: done, or failed for good (a human decides). */
  async settledRecordingIds(recordingIds: string[]): Promise<Set<string>> {
    if (recordingIds.length === 0) return new Set();
    const rows = await this.db.vod.findMany({
      where: { recordingId: { in: recordingIds }, status: { in: ['ready', 'failed'] } },
      select: { recordingId: true },
    });
    return new Set(rows.map((r) => r.recordingId));
  }
}
