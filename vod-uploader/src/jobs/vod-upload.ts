// Queue contract of the VOD upload job, shared by the worker and anything that enqueues it.
// Pure: no bullmq or ioredis here, so the backend can import it without pulling the worker in.
import { z } from 'zod';

export const VOD_UPLOAD_QUEUE = 'vod-upload';

export const VodUploadPayload = z.object({
  // `<transactionId>-<sequence>`: OME's identity of one recorded file, unique per Vod.
  recordingId: z.string().min(1),
  transactionId: z.string().min(1),
  sequence: z.number().int().min(0),
  vhost: z.string().min(1),
  app: z.string().min(1),
  stream: z.string().min(1),
  filePath: z.string().min(1),
  infoPath: z.string().min(1),
  // Ladder rendition of the file (record_map.xml: <stream>/<rendition>/…); null or absent (jobs
  // queued before renditions were recorded) = the single-file layout.
  rendition: z.string().min(1).max(32).nullable().optional(),
  recordBytes: z.number().int().min(0).nullable(),
  recordTimeMs: z.number().int().min(0).nullable(),
  startTime: z.iso.datetime({ offset: true }).nullable(),
  finishTime: z.iso.datetime({ offset: true }).nullable(),
  // Resumable session URIs by object name, saved while uploading so a re-run after a crash
  // continues the same session instead of sending every byte again.
  uploadSessions: z.record(z.string(), z.string()).optional(),
});
export type VodUploadPayload = z.infer<typeof VodUploadPayload>;

export function recordingIdOf(transactionId: string, sequence: number): string {
  return `${transactionId}-${sequence}`;
}

/** BullMQ forbids ':' in custom ids (it is its key separator) and all-digit ids. */
export function vodUploadJobId(transactionId: string, sequence: number): string {
  const safe = transactionId.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `vod-${safe}-${sequence}`;
}
