// The worker's writes for clips and downloads of stored VODs. A clip becomes ready (or failed) with
// its event in one transaction, as every Vod does (the outbox: vods/events.ts).
import type { Db } from '@ocp/backend/db';
import { readyData, type InTx, type ReadyDetails, type VodRow } from './repo.js';

export interface ClipBounds {
  actualStartMs: number;
  actualEndMs: number;
}

export class VodEditsRepo {
  constructor(private readonly db: Db) {}

  findVod(id: string) {
    return this.db.vod.findUnique({ where: { id } });
  }

  /** Ready with its actual bounds and its event; null (nothing written) when it is no longer processing. */
  async markClipReady<E>(id: string, d: ReadyDetails, bounds: ClipBounds, withEvent: InTx<E>): Promise<{ vod: VodRow; event: E } | null> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.vod.updateMany({
        where: { id, status: 'processing' },
        data: {
          ...readyData(d),
          clipActualStartMs: bounds.actualStartMs,
          clipActualEndMs: bounds.actualEndMs,
        },
      });
      if (count === 0) return null;
      const vod = (await tx.vod.findUnique({ where: { id } }))!;
      return { vod, event: await withEvent(tx, vod) };
    });
  }

  /** Failed with its reason and event, unless it is ready already; null when unchanged. */
  async markClipFailed<E>(id: string, reason: string, withEvent: InTx<E>): Promise<{ vod: VodRow; event: E } | null> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.vod.updateMany({ where: { id, status: { not: 'ready' } }, data: { status: 'failed', error: reason.slice(0, 2000) } });
      if (count === 0) return null;
      const vod = (await tx.vod.findUnique({ where: { id } }))!;
      return { vod, event: await withEvent(tx, vod) };
    });
  }

  async markDownloadReady(id: string, objectName: string, bytes: number, storageBytes: number | null): Promise<boolean> {
    const { count } = await this.db.vod.updateMany({
      where: { id },
      data: { downloadStatus: 'ready', downloadError: null, downloadObject: objectName, downloadBytes: BigInt(bytes), ...(storageBytes === null ? {} : { storageBytes: BigInt(storageBytes) }) },
    });
    return count > 0;
  }

  async markDownloadFailed(id: string, reason: string): Promise<void> {
    await this.db.vod.updateMany({ where: { id, downloadStatus: 'preparing' }, data: { downloadStatus: 'failed', downloadError: reason.slice(0, 2000) } });
  }

  /** Rows whose job may have been lost (Redis lost its data, the backend could not queue it). */
  async pendingEdits(limit = 1000): Promise<{ clips: string[]; downloads: string[] }> {
    const clips = await this.db.vod.findMany({ where: { status: 'processing', clipStartMs: { not: null } }, select: { id: true }, take: limit });
    const downloads = await this.db.vod.findMany({ where: { downloadStatus: 'preparing' }, select: { id: true }, take: limit });
    return { clips: clips.map((c) => c.id), downloads: downloads.map((d) => d.id) };
  }
}
