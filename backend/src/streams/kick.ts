// Disconnecting a live publisher (key rotated, stream disabled, account disabled or deleted).
// The database changes first — the session ends with its reason, and admission already refuses a
// reconnect (new key version, disabled stream or owner) — then OME is told to drop the connection
// (`DELETE …/streams/<stream>`, ome/rest-client.ts). That call is a BullMQ job with exponential
// backoff rather than an inline request: OME may be unreachable for a while, the job lives in Redis
// across restarts of this replica, and any replica's worker takes it. A retry never kicks a newer,
// legitimate publisher: the job carries the session it was for and is skipped once another session
// is on air. Where even the enqueue fails (Redis away), the reconciler is the backstop: it kicks
// streams OME has whose stream or owner is disabled or gone (ome/reconcile.ts).
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { StreamLifecycle } from './lifecycle.js';

export const KICK_QUEUE = 'ome-kicks';

export interface KickJob {
  streamId: string;
  /** The session that ended (null when none was open). */
  sessionId: string | null;
  reason: string;
}

/** One job per ended session (BullMQ ids: no `:`; a repeated kick of the same session dedupes). */
export const kickJobId = (j: Pick<KickJob, 'streamId' | 'sessionId'>) => `kick-${j.streamId}-${j.sessionId ?? 'none'}`;

export function createKickQueue(connection: ConnectionOptions, prefix: string, opts: { attempts: number; backoffMs: number }): Queue<KickJob> {
  return new Queue<KickJob>(KICK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: opts.attempts,
      backoff: { type: 'exponential', delay: opts.backoffMs },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

export interface KickOme {
  deleteStream(stream: string): Promise<'deleted' | 'absent'>;
}

export type KickOutcome = 'kicked' | 'absent' | 'superseded';

/**
 * One attempt. Skipped (`superseded`) when the stream is on air (live or reconnecting, owner
 * enabled) in a session other than the one this kick was for: a publisher admitted since (with the
 * new key) must not be disconnected by a late retry. A deleted or disabled stream, or a disabled
 * owner's, is always kicked (nobody has a right to be on air there).
 */
export async function runKick(deps: { db: Db; ome: KickOme }, job: KickJob): Promise<KickOutcome> {
  const s = await deps.db.stream.findUnique({
    where: { id: job.streamId },
    select: { status: true, owner: { select: { disabledAt: true } }, sessions: { where: { endedAt: null }, select: { id: true }, take: 1 } },
  });
  // Someone may be on air legitimately only on a live stream of an enabled owner, in a session that is not the kicked one.
  const onAir = s && (s.status === 'live' || s.status === 'reconnecting') && !s.owner.disabledAt ? s.sessions[0] : undefined;
  if (onAir && onAir.id !== job.sessionId) return 'superseded';
  return (await deps.ome.deleteStream(job.streamId)) === 'deleted' ? 'kicked' : 'absent';
}

export function startKickWorker(deps: { db: Db; ome: KickOme; logger: Logger }, connection: ConnectionOptions, prefix: string): Worker<KickJob, KickOutcome> {
  const worker = new Worker<KickJob, KickOutcome>(
    KICK_QUEUE,
    async (job) => {
      const outcome = await runKick(deps, job.data);
      deps.logger.info({ streamId: job.data.streamId, reason: job.data.reason, outcome, attempt: job.attemptsMade + 1 }, 'publisher kick');
      return outcome;
    },
    { connection, prefix, concurrency: 4 },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    const log = { streamId: job.data.streamId, reason: job.data.reason, attemptsMade: job.attemptsMade, err: { message: err.message } };
    if (final) deps.logger.error(log, 'publisher could not be kicked (OME unreachable); admission refuses its reconnects, the reconciler retries');
    else deps.logger.warn(log, 'publisher kick failed; will retry');
  });
  worker.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'kick worker error'));
  return worker;
}

/** Ends a stream's broadcast for `reason` and queues the kick; used by streams, admin users. */
export interface BroadcastStopper {
  /**
   * A live stream: session ended with `reason`, stream → `to` (ended or disabled), kick queued.
   * A reconnecting stream: its window is cut short with `reason` (nobody to kick). Otherwise nothing.
   */
  stop(streamId: string, reason: string, to?: 'ended' | 'disabled'): Promise<'kicked' | 'window_closed' | 'none'>;
}

const within = <T>(p: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not queued within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
};

export class Broadcasts implements BroadcastStopper {
  constructor(private readonly deps: { lifecycle: Pick<StreamLifecycle, 'endLive' | 'cancelWindow'>; queue: Pick<Queue<KickJob>, 'add'>; logger: Logger }) {}

  async stop(streamId: string, reason: string, to: 'ended' | 'disabled' = 'ended'): Promise<'kicked' | 'window_closed' | 'none'> {
    const live = await this.deps.lifecycle.endLive(streamId, reason, to);
    if (live) {
      await this.kick({ streamId, sessionId: live.sessionId, reason });
      return 'kicked';
    }
    if (await this.deps.lifecycle.cancelWindow(streamId, reason)) {
      this.deps.logger.info({ streamId, reason }, 'reconnect window cut short');
      return 'window_closed';
    }
    return 'none';
  }

  /**
   * Queues the kick; never throws (Redis away: logged, the reconciler is the backstop). `idSuffix`
   * makes a distinct job where the session does not name one (the reconciler's repeated kicks).
   */
  async kick(job: KickJob, idSuffix = ''): Promise<void> {
    try {
      // ioredis waits for a reconnect: bound it, the caller (an API request) must get its answer.
      await within(this.deps.queue.add('kick', job, { jobId: kickJobId(job) + idSuffix }), 1_000);
    } catch (err) {
      this.deps.logger.error({ err: { message: (err as Error).message }, streamId: job.streamId, reason: job.reason }, 'publisher kick could not be queued; the reconciler will kick it');
    }
  }
}
