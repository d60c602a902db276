// BullMQ wiring of the vod-upload queue: concurrency, stall detection, the one failure hook,
// graceful shutdown. Job behaviour lives in jobs/vod-upload-handler.ts.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { VOD_UPLOAD_QUEUE } from './jobs/vod-upload.js';
import { SESSION_JOIN_JOB } from './jobs/session-join.js';
import { handleSessionJoin, type SessionJoinOutcome } from './jobs/session-join-handler.js';
import { handleVodUpload, type HandlerDeps, type VodUploadOutcome } from './jobs/vod-upload-handler.js';
import { sessionVodKey } from './vods/pieces.js';

export interface VodWorker {
  worker: Worker;
  close(): Promise<void>;
}

/** The last attempt has failed (or the input can never work): time to tell the user. */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, err: Error): boolean {
  if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

export function createVodWorker(deps: HandlerDeps, connection: Redis): VodWorker {
  const { config, logger } = deps;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const worker = new Worker<unknown, VodUploadOutcome | SessionJoinOutcome>(
    VOD_UPLOAD_QUEUE,
    async (job, token) => {
      const end = deps.metrics?.jobSeconds.startTimer();
      try {
        // One queue, two job kinds: a recording (`upload`) and a broadcast's join (`join-session`).
        const result = job.name === SESSION_JOIN_JOB ? await handleSessionJoin(job, token, deps) : await handleVodUpload(job, deps);
        deps.metrics?.jobs.inc({ outcome: result.outcome });
        return result;
      } finally {
        end?.();
      }
    },
    {
      connection,
      prefix: config.bullPrefix,
      concurrency: config.queue.concurrency,
      lockDuration: config.queue.lockDurationMs,
      stalledInterval: config.queue.stalledIntervalMs,
      maxStalledCount: config.queue.maxStalledCount,
      autorun: false,
    },
  );

  worker.on('failed', (job, err) => {
    if (!job) return;
    // The Vod a job works on: a recording's own, or (join jobs) the session's one Vod.
    const data = job.data as { recordingId?: unknown; sessionId?: unknown };
    const recordingId = job.name === SESSION_JOIN_JOB && typeof data.sessionId === 'string' ? sessionVodKey(data.sessionId) : data.recordingId;
    const log = logger.child({ jobId: job.id, recordingId });
    track(
      (async () => {
        // The job's own state is the surest sign that no retry follows (it also covers jobs failed by
        // stall detection, which do not count as attempts); the attempts rule is the fallback.
        const state = await job.getState().catch(() => null);
        const final = isFinalFailure(job, err) || state === 'failed';
        deps.metrics?.jobs.inc({ outcome: final ? 'failed' : 'retry' });
        if (!final) {
          log.warn({ err: err.message, attemptsMade: job.attemptsMade, attempts: job.opts.attempts }, 'VOD upload attempt failed; will retry');
          return;
        }
        log.error({ err: err.message, attemptsMade: job.attemptsMade }, 'VOD upload failed for good; local recording kept');
        if (typeof recordingId !== 'string') return;
        const failed = await deps.repo.markFailed(recordingId, err.message, (tx, v) => deps.events.record(tx, 'vod.failed', v));
        if (failed) await deps.events.queue(failed.event);
      })().catch((e: Error) => log.error({ err: e.message }, 'could not record the VOD failure')),
    );
  });
  worker.on('error', (err) => logger.error({ err: err.message }, 'vod-upload worker error'));
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'vod-upload job stalled; it will be retried'));

  return {
    worker,
    async close() {
      // Let running uploads finish (their lock is renewed meanwhile), then settle failure hooks.
      await worker.close();
      await Promise.allSettled([...pending]);
    },
  };
}
