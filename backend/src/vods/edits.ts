// Clips and MP4 downloads of VODs: the checks and the rows; the VOD worker does the media work
// (vod-uploader/src/jobs/clip-handler.ts, download-handler.ts) on jobs of the `vod-edits` queue.
// A job is queued after the row it names is committed; a job that cannot be queued (Redis down) is
// queued again by the worker's reconcile, which looks at the rows (clips processing, downloads preparing).
import { randomUUID } from 'node:crypto';
import type { SessionClaims } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { AppError, conflict } from '../http/errors.js';
import { CLIP_JOB, DOWNLOAD_JOB, clipJobId, downloadJobId } from './edit-jobs.js';
import { attachmentDisposition, clipRangeProblem, downloadFilename } from './edit-rules.js';
import { DTO_FIELDS, type VodService } from './service.js';

/** Vod.recordingId of a clip: unique like every Vod's, and never an OME recording id. */
export const clipRecordingKey = (clipId: string) => `clip-${clipId}`;

export class VodEdits {
  constructor(
    private readonly ctx: AppContext,
    private readonly vods: VodService,
  ) {}

  /** A new clip Vod (processing) cut by the worker from [startMs, endMs] of a ready VOD. */
  async createClip(user: SessionClaims, sourceId: string, body: { startMs: number; endMs: number; title: string }) {
    const source = await this.vods.owned(user, sourceId);
    if (source.status !== 'ready' || !source.playlistObject || source.durationMs === null) {
      throw conflict('vod_not_ready', `Only a ready VOD can be clipped; this one is ${source.status}`);
    }
    const problem = clipRangeProblem(source.durationMs, body.startMs, body.endMs, { minMs: this.ctx.config.vodEdits.clipMinMs, maxMs: this.ctx.config.vodEdits.clipMaxMs });
    if (problem) throw new AppError(400, problem.code, problem.message, [{ path: 'endMs', message: problem.message }]);
    const id = randomUUID();
    const clip = await this.ctx.db.vod.create({
      data: {
        id,
        // The clip belongs to whoever owns the source (an admin clipping someone's VOD makes it theirs).
        ownerId: source.ownerId,
        streamId: source.streamId,
        recordingId: clipRecordingKey(id),
        status: 'processing',
        title: body.title,
        clipOfId: source.id,
        clipStartMs: body.startMs,
        clipEndMs: body.endMs,
      },
      select: DTO_FIELDS,
    });
    await this.enqueue(CLIP_JOB, { clipId: id }, clipJobId(id), { clipId: id });
    this.ctx.logger.info({ domain: 'vods', vodId: source.id, clipId: id, startMs: body.startMs, endMs: body.endMs }, 'clip requested');
    return { vod: await this.vods.toDto(clip) };
  }

  /**
   * The MP4 download: a signed URL once the worker has built it; otherwise the build is queued
   * (again, after a failure) and the answer says it is being prepared.
   */
  async download(user: SessionClaims, id: string): Promise<{ ready: { url: string; expiresAt: string; filename: string } } | { preparing: true }> {
    const v = await this.vods.owned(user, id);
    if (v.status !== 'ready' || !v.playlistObject) throw conflict('vod_not_ready', `Only a ready VOD can be downloaded; this one is ${v.status}`);
    if (v.downloadStatus === 'ready' && v.downloadObject) {
      const ttl = this.ctx.config.vodEdits.downloadUrlTtlSeconds;
      const filename = downloadFilename(v.title, v.id);
      const expiresAt = new Date(Date.now() + ttl * 1000);
      const url = await this.vods.signedDownloadUrl(v.downloadObject, ttl, attachmentDisposition(filename));
      this.ctx.logger.info({ domain: 'vods', vodId: v.id, ttl }, 'download URL signed');
      return { ready: { url, expiresAt: expiresAt.toISOString(), filename } };
    }
    const retry = v.downloadStatus === 'failed';
    if (v.downloadStatus !== 'preparing') {
      // Only the request that moves the row to preparing queues (two at once: one wins).
      const { count } = await this.ctx.db.vod.updateMany({
        where: { id: v.id, OR: [{ downloadStatus: null }, { downloadStatus: 'failed' }] },
        data: { downloadStatus: 'preparing', downloadError: null, downloadRequestedAt: new Date() },
      });
      if (count === 0) return { preparing: true };
      // A failed build's job is kept for operators: make room for the new one under the same id.
      if (retry) await this.ctx.vodEditQueue.remove(downloadJobId(v.id)).catch(() => undefined);
    }
    // While preparing, adding again is a no-op if the job exists, and heals a job lost with Redis.
    await this.enqueue(DOWNLOAD_JOB, { vodId: v.id }, downloadJobId(v.id), { vodId: v.id });
    return { preparing: true };
  }

  /** After the commit; a failure is only logged: the worker's reconcile queues it from the row. */
  private async enqueue(name: string, data: { clipId: string } | { vodId: string }, jobId: string, log: Record<string, string>) {
    try {
      await Promise.race([
        this.ctx.vodEditQueue.add(name, data, { jobId }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('not queued within 1000 ms')), 1_000).unref()),
      ]);
    } catch (err) {
      this.ctx.logger.warn({ domain: 'vods', err: { message: (err as Error).message }, ...log }, 'VOD edit not queued; the VOD worker picks it up from the table');
    }
  }
}
