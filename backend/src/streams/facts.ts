// What admission and the viewer beacons judge a stream by (visibility, status, the owner's account,
// the broadcast on air), read for each stream with viewers every 10 s by each cache (access-cache.ts,
// analytics/cache.ts). One named prepared statement straight on the pool (each pooled connection
// parses it once), not Prisma: in a bench with 50 streams, whose entries all expired together in
// both caches, the 100 reads through Prisma (which builds each query with its relations on the
// event loop) held it in 15-30 ms gaps for about 200 ms every 10 s, 2-4 ms a read; the beacons and
// admissions sent then missed their 20 ms target (bench/README.md, "Viewer beacons").
import { poolOf, type Db } from '../db/client.js';
import type { StreamStatus, Visibility } from '../generated/prisma/enums.js';
import { isUuid } from './ids.js';

export interface StreamFacts {
  visibility: Visibility;
  status: StreamStatus;
  ownerDisabled: boolean;
  /** The newest session still open, whatever the status says. */
  openSessionId: string | null;
}

/** Null for an unknown stream (and for what is not a stream id: the cast would throw). */
export async function readStreamFacts(db: Db, id: string): Promise<StreamFacts | null> {
  if (!isUuid(id)) return null;
  const res = await poolOf(db).query<StreamFacts>({
    name: 'stream-facts',
    text: `SELECT s.visibility::text AS visibility, s.status::text AS status, u."disabledAt" IS NOT NULL AS "ownerDisabled",
              (SELECT ss.id FROM "StreamSession" ss WHERE ss."streamId" = s.id AND ss."endedAt" IS NULL ORDER BY ss."startedAt" DESC LIMIT 1) AS "openSessionId"
           FROM "Stream" s JOIN "User" u ON u.id = s."ownerId"
           WHERE s.id = $1::uuid`,
    values: [id],
  });
  return res.rows[0] ?? null;
}
