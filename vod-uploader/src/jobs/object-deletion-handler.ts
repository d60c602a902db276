// Deletes a deleted user's VOD objects (backend/src/vods/deletions.ts is the contract). The
// ObjectDeletion row is the truth: reload it by id (gone: done already), delete every object under
// its prefix, then the row. A failure records the attempt on the row and rethrows (BullMQ retries
// with backoff); the row stays, so the start-up / periodic requeue picks it up even if the job is lost.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '@ocp/backend/db';
import { OBJECT_DELETION_JOB_OPTIONS, ObjectDeletionJob, objectDeletionJobId } from '@ocp/backend/deletions';

export interface ObjectDeletionDeps {
  db: Db;
  store: { deletePrefix(prefix: string): Promise<number> };
  logger: Logger;
}

export type ObjectDeletionOutcome = { outcome: 'deleted'; prefix: string; objects: number } | { outcome: 'gone' };

export async function handleObjectDeletion(job: Pick<Job, 'data'>, deps: ObjectDeletionDeps): Promise<ObjectDeletionOutcome> {
  const parsed = ObjectDeletionJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError('invalid object-deletion payload');
  const row = await deps.db.objectDeletion.findUnique({ where: { id: parsed.data.deletionId } });
  if (!row) return { outcome: 'gone' };
  try {
    const objects = await deps.store.deletePrefix(row.prefix);
    await deps.db.objectDeletion.deleteMany({ where: { id: row.id } });
    deps.logger.info({ deletionId: row.id, subject: row.subject, prefix: row.prefix, objects }, 'objects of a deleted VOD removed');
    return { outcome: 'deleted', prefix: row.prefix, objects };
  } catch (err) {
    await deps.db.objectDeletion
      .updateMany({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastError: (err as Error).message.slice(0, 500) } })
      .catch(() => undefined);
    throw err;
  }
}

/** Queues every row left (start-up, then periodically): a lost job or a worker that was down orphans nothing. */
export async function requeueObjectDeletions(db: Db, queue: Pick<Queue, 'add'>): Promise<number> {
  const rows = await db.objectDeletion.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' }, take: 10_000 });
  for (const r of rows) await queue.add('delete-objects', { deletionId: r.id }, { ...OBJECT_DELETION_JOB_OPTIONS, jobId: objectDeletionJobId(r.id) });
  return rows.length;
}
