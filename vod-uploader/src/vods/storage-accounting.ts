// Storage accounting: each ready Vod's stored bytes (every object under its prefix, as the store
// lists them). The worker writes them when it makes a Vod ready; this pass fills in Vods made before
// that (or whose listing failed then), a batch per pass, so per-user usage covers every VOD.
import type { Logger } from 'pino';
import type { GcsStore } from '../storage/gcs.js';
import type { VodRepo } from './repo.js';

export async function backfillStorageBytes(repo: VodRepo, store: Pick<GcsStore, 'prefixBytes'>, logger: Logger, batch = 50): Promise<number> {
  const rows = await repo.readyWithoutStorageBytes(batch);
  let done = 0;
  for (const v of rows) {
    try {
      await repo.setStorageBytes(v.id, await store.prefixBytes(v.objectPrefix!));
      done++;
    } catch (err) {
      logger.warn({ err: (err as Error).message, vodId: v.id }, 'could not measure a VOD\'s stored bytes; next pass tries again');
    }
  }
  if (done > 0) logger.info({ measured: done }, 'stored bytes of earlier VODs measured');
  return done;
}
