// Object-storage deletions the VOD worker carries out (queue contract shared with vod-uploader,
// exported as `@ocp/backend/deletions`). The ObjectDeletion row is the truth: it is written in the
// transaction that deletes the VOD rows, the job only says "look at this row now". The worker
// deletes every object under the row's prefix, then the row; at start-up (and periodically) it
// requeues every row left, so a worker that was down, or a job lost with Redis, orphans nothing.
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';

export const OBJECT_DELETION_QUEUE = 'object-deletions';

export const ObjectDeletionJob = z.object({ deletionId: z.uuid() });
export type ObjectDeletionJob = z.infer<typeof ObjectDeletionJob>;

/** From the row id (BullMQ ids: no `:`, not all digits). */
export const objectDeletionJobId = (deletionId: string) => `delete-objects-${deletionId}`;

export const OBJECT_DELETION_JOB_OPTIONS = {
  attempts: 20,
  backoff: { type: 'exponential' as const, delay: 2_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function createObjectDeletionQueue(connection: ConnectionOptions, prefix: string): Queue<ObjectDeletionJob> {
  return new Queue<ObjectDeletionJob>(OBJECT_DELETION_QUEUE, { connection, prefix, defaultJobOptions: OBJECT_DELETION_JOB_OPTIONS });
}

/** Where a VOD's objects are: its recorded prefix, or the default `<GCS_PREFIX><vodId>/`. */
export function vodObjectPrefix(v: { id: string; objectPrefix: string | null }, gcsPrefix: string): string {
  return v.objectPrefix ?? `${gcsPrefix}${v.id}/`;
}
