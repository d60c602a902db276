// Pure VOD rules.

/** V4 signed URLs live at most 7 days. */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;

/**
 * Segment URLs must outlive the viewing: at least the configured lifetime, and long enough to
 * watch the whole VOD from the moment the playlist was fetched (plus pauses), within GCS's limit.
 */
export function segmentUrlTtlSeconds(configuredSeconds: number, durationMs: number | null): number {
  const watch = durationMs ? Math.ceil(durationMs / 1000) * 2 + 900 : 0;
  return Math.min(MAX_SIGNED_URL_SECONDS, Math.max(configuredSeconds, watch));
}

/** Folder of an object name, with its trailing slash ('a/b/c.m3u8' → 'a/b/'). */
export function objectDir(objectName: string): string {
  const i = objectName.lastIndexOf('/');
  return i < 0 ? '' : objectName.slice(0, i + 1);
}

/** A Vod still being produced cannot be deleted: the worker would write its objects again. */
export function deletable(status: string): boolean {
  return status === 'ready' || status === 'failed';
}
