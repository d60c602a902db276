// Queue contract of the VOD edits the VOD worker carries out on stored VODs (exported as
// `@ocp/backend/vod-edits`, shared with vod-uploader): a clip cut from a range of a ready VOD, and
// the MP4 download of a VOD. The Vod row is the truth (a clip's status, a download's status): the
// job only says "look at this row now". Job ids come from the row id, so asking twice queues once.
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';

export const VOD_EDIT_QUEUE = 'vod-edits';

export const CLIP_JOB = 'make-clip';
export const DOWNLOAD_JOB = 'make-download';

/** The clip's own Vod id (its row names the source and the range). */
export const ClipJob = z.object({ clipId: z.uuid() });
export type ClipJob = z.infer<typeof ClipJob>;

/** The Vod whose download MP4 is to be built. */
export const DownloadJob = z.object({ vodId: z.uuid() });
export type DownloadJob = z.infer<typeof DownloadJob>;

export type VodEditJob = ClipJob | DownloadJob;

/** BullMQ ids: no `:`, not all digits. */
export const clipJobId = (clipId: string) => `vod-clip-${clipId}`;
export const downloadJobId = (vodId: string) => `vod-download-${vodId}`;

export const VOD_EDIT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential' as const, delay: 10_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function createVodEditQueue(connection: ConnectionOptions, prefix: string): Queue<VodEditJob> {
  return new Queue<VodEditJob>(VOD_EDIT_QUEUE, { connection, prefix, defaultJobOptions: VOD_EDIT_JOB_OPTIONS });
}
