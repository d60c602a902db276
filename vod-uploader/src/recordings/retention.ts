// Local retention of originals: a verified upload's source is kept VOD_KEEP_ORIGINALS_HOURS, then deleted.
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { VodRepo } from '../vods/repo.js';

export async function sweepOriginals(repo: VodRepo, keepHours: number, logger: Logger, now = new Date()): Promise<number> {
  const due = await repo.dueForLocalDeletion(new Date(now.getTime() - keepHours * 3600_000));
  let deleted = 0;
  for (const v of due) {
    // Only rows that reached `ready` are here, and `ready` is only written after every object was verified.
    if (!v.sourcePath || !v.originalObject) continue;
    await rm(v.sourcePath, { force: true });
    await repo.clearSourcePath(v.id);
    deleted++;
    logger.info({ vodId: v.id }, 'local original deleted after retention period');
  }
  // A broadcast's pieces: each joined into a ready Vod whose objects (originals included) were verified.
  const pieces = await repo.piecesDueForLocalDeletion(new Date(now.getTime() - keepHours * 3600_000));
  for (const p of pieces) {
    if (!p.sourcePath) continue;
    await rm(p.sourcePath, { force: true });
    await repo.clearPieceSource([p.id]);
    deleted++;
    logger.info({ vodId: p.vodId, pieceId: p.id }, 'local recording of a broadcast piece deleted after retention period');
  }
  return deleted;
}
