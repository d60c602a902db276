// Deleting a VOD's folder in GCS, shared by the backend (a VOD deleted now) and the worker (the
// queued object deletions): one page of 500 names at a time, each object deleted and objects
// already gone skipped, so a repeated or interrupted deletion just finishes the job.
import type { Bucket } from '@google-cloud/storage';

/** Deletes every object whose name starts with `prefix`; how many. Refuses a prefix that is empty or not a folder (`…/`), so a bad row can never empty the bucket. */
export async function deleteUnderPrefix(bucket: Bucket, prefix: string): Promise<number> {
  if (!prefix || !prefix.endsWith('/') || prefix === '/') throw new Error(`refusing to delete under prefix ${JSON.stringify(prefix)}`);
  let deleted = 0;
  let pageToken: string | undefined;
  do {
    const [files, next] = await bucket.getFiles({ prefix, autoPaginate: false, maxResults: 500, pageToken });
    for (const f of files) {
      await f.delete({ ignoreNotFound: true });
      deleted++;
    }
    pageToken = (next as { pageToken?: string } | null)?.pageToken;
  } while (pageToken);
  return deleted;
}
