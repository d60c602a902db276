// A publisher's closing webhook is OME's only word that a broadcast ended, and OME does not retry
// it. If the database cannot take it right now, the closing is parked on a BullMQ queue and applied
// (with its original time) as soon as the database is back, so the stream does not stay "live".
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { StreamLifecycle } from './lifecycle.js';

export const CLOSE_QUEUE = 'stream-closings';

export interface CloseJob {
  streamId: string;
  clientAddress: string;
  clientPort: number;
  reason: string;
  at: string;
}

export function createCloseQueue(connection: ConnectionOptions, prefix: string): Queue<CloseJob> {
  return new Queue<CloseJob>(CLOSE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 50, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

export const closeJobId = (j: CloseJob) => `close-${j.streamId}-${j.clientAddress.replace(/[^0-9a-fA-F.]/g, '_')}-${j.clientPort}-${Date.parse(j.at)}`;

export function startCloseWorker(lifecycle: StreamLifecycle, connection: ConnectionOptions, prefix: string, logger: Logger): Worker<CloseJob> {
  const worker = new Worker<CloseJob>(
    CLOSE_QUEUE,
    async (job) => {
      await lifecycle.endPublish({ ...job.data, at: new Date(job.data.at) });
    },
    { connection, prefix, concurrency: 4 },
  );
  worker.on('error', (err) => logger.warn({ err }, 'stream closing worker error'));
  return worker;
}
