// BullMQ wiring of the vod-edits queue (clips and MP4 downloads; backend/src/vods/edit-jobs.ts is
// the contract): one worker, one failure hook that tells the user (a clip `failed` with its reason
// and vod.failed; a download `failed` with its reason), and the requeue of rows whose job was lost.
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CLIP_JOB, DOWNLOAD_JOB, VOD_EDIT_JOB_OPTIONS, VOD_EDIT_QUEUE, clipJobId, downloadJobId } from '@ocp/backend/vod-edits';
import type { VodEditsRepo } from '../vods/edits-repo.js';
import { isFinalFailure } from '../worker.js';
import { handleClip, type ClipOutcome, type EditDeps } from './clip-handler.js';
import { handleDownload, type DownloadOutcome } from './download-handler.js';

export interface EditsWorker {
  worker: Worker;
  close(): Promise<void>;
}

export function createEditsWorker(deps: EditDeps, connection: Redis): EditsWorker {
  const { config, logger, repo, events } = deps;
  const pending = new Set<Promise<unknown>>();
  const worker = new Worker<unknown, ClipOutcome | DownloadOutcome>(
    VOD_EDIT_QUEUE,
    async (job) => {
      if (job.name === CLIP_JOB) return handleClip(job, deps);
      if (job.name === DOWNLOAD_JOB) return handleDownload(job, deps);
      throw new UnrecoverableError(`unknown job ${job.name}`);
    },
    {
      connection,
      prefix: config.bullPrefix,
      concurrency: config.edits.concurrency,
      lockDuration: config.queue.lockDurationMs,
      stalledInterval: config.queue.stalledIntervalMs,
      maxStalledCount: config.queue.maxStalledCount,
      autorun: false,
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const log = logger.child({ jobId: job.id, job: job.name });
    const p = (async () => {
      const state = await job.getState().catch(() => null);
      if (!(isFinalFailure(job, err) || state === 'failed')) {
        log.warn({ err: err.message, attemptsMade: job.attemptsMade }, 'VOD edit attempt failed; will retry');
        return;
      }
      log.error({ err: err.message }, 'VOD edit failed for good; the source objects are untouched');
      const data = job.data as { clipId?: unknown; vodId?: unknown };
      if (job.name === CLIP_JOB && typeof data.clipId === 'string') {
        const failed = await repo.markClipFailed(data.clipId, err.message, (tx, v) => events.record(tx, 'vod.failed', v));
        if (failed) await events.queue(failed.event);
      } else if (job.name === DOWNLOAD_JOB && typeof data.vodId === 'string') {
        await repo.markDownloadFailed(data.vodId, err.message);
      }
    })().catch((e: Error) => log.error({ err: e.message }, 'could not record the VOD edit failure'));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  worker.on('error', (err) => logger.error({ err: err.message }, 'vod-edits worker error'));
  return {
    worker,
    async close() {
      await worker.close();
      await Promise.allSettled([...pending]);
    },
  };
}

/** Queues a job for every clip still processing and every download still preparing (a no-op where the job exists). */
export async function requeueEdits(repo: VodEditsRepo, queue: Pick<Queue, 'add'>): Promise<number> {
  const { clips, downloads } = await repo.pendingEdits();
  for (const id of clips) await queue.add(CLIP_JOB, { clipId: id }, { ...VOD_EDIT_JOB_OPTIONS, jobId: clipJobId(id) });
  for (const id of downloads) await queue.add(DOWNLOAD_JOB, { vodId: id }, { ...VOD_EDIT_JOB_OPTIONS, jobId: downloadJobId(id) });
  return clips.length + downloads.length;
}
