// The SQL of viewer beacons: one statement per batch (the rows as one JSON parameter, so the statement
// and its parameter count are the same for 1 row or 5,000), the facts a beacon is judged by, and the
// reads behind the latency summary. The batch statements and the fact reads go straight to the pg
// pool under Prisma (db/client.ts poolOf: why; below: why for the facts).
import { poolOf, type Db } from '../db/client.js';
import type { VodStatus } from '../generated/prisma/enums.js';
import { isUuid } from '../streams/ids.js';
import type { HistogramBin, VodViewDelta, ViewerProtocol } from './rules.js';

export interface LatencyRow {
  sessionId: string;
  at: number;
  viewerId: string;
  protocol: ViewerProtocol;
  rendition: string | null;
  latencyMs: number;
}

export interface VodFacts {
  status: VodStatus;
  playlistObject: string | null;
  durationMs: number | null;
}

// A VOD's facts are read once per played VOD every FACT_TTL_MS, as a named prepared statement
// straight on the pool (why not through Prisma: streams/facts.ts). Null for what is not a VOD id.
export async function readVodFacts(db: Db, id: string): Promise<VodFacts | null> {
  if (!isUuid(id)) return null;
  const res = await poolOf(db).query<VodFacts>({
    name: 'beacon-vod-facts',
    text: `SELECT status::text AS status, "playlistObject", "durationMs" FROM "Vod" WHERE id = $1::uuid`,
    values: [id],
  });
  return res.rows[0] ?? null;
}

/**
 * The rows travel as ONE JSON text (json_array_elements): a native JSON.stringify of the batch instead
 * of six arrays that the driver escapes element by element in JavaScript, which held the event loop
 * for 25-130 ms per 5,000 rows and so set the endpoint's p99 (bench/README.md). Times go as epoch
 * milliseconds. Sessions deleted since their beacons were accepted (stream deleted) are skipped.
 */
export async function insertLatencySamples(db: Db, rows: readonly LatencyRow[]): Promise<number> {
  const json = JSON.stringify(rows.map((r) => [r.sessionId, r.at, r.viewerId, r.protocol, r.rendition, r.latencyMs]));
  const res = await poolOf(db).query(
    `INSERT INTO "ViewerLatencySample" ("sessionId", "at", "viewerId", "protocol", "rendition", "latencyMs")
     SELECT (e->>0)::uuid, to_timestamp((e->>1)::bigint / 1000.0) AT TIME ZONE 'UTC', e->>2, (e->>3)::"ViewerProtocol", e->>4, (e->>5)::int
     FROM json_array_elements($1::json) AS e
     WHERE EXISTS (SELECT 1 FROM "StreamSession" ss WHERE ss.id = (e->>0)::uuid)`,
    [json],
  );
  return res.rowCount ?? 0;
}

/**
 * One statement for a batch of VOD beacons (folded per viewer, in key order): a viewer's first
 * beacon inserts its VodView row (a view), later ones add watch time, never more than the time from
 * its first beacon to the latest plus one beacon's maximum (`capMs`). What each row gained
 * (creditMs, computed from the row as it is when locked, so concurrent replicas add up exactly) and
 * the new views are added to the VOD's totals in the same statement. VODs deleted meanwhile are skipped.
 * The rows travel as one JSON text, as for latency samples.
 */
export async function upsertVodViews(db: Db, deltas: readonly VodViewDelta[], capMs: number): Promise<number> {
  const json = JSON.stringify(deltas.map((d) => [d.vodId, d.viewerId, d.firstAt, d.lastAt, d.watchedMs, d.positionMs]));
  const res = await poolOf(db).query(
    `
    WITH input AS (
      SELECT (e->>0)::uuid AS "vodId", e->>1 AS "viewerId", to_timestamp((e->>2)::bigint / 1000.0) AT TIME ZONE 'UTC' AS "firstAt",
             to_timestamp((e->>3)::bigint / 1000.0) AT TIME ZONE 'UTC' AS "lastAt", (e->>4)::int AS "watchedMs", (e->>5)::int AS "positionMs"
      FROM json_array_elements($1::json) AS e
    ), up AS (
      INSERT INTO "VodView" AS w ("vodId", "viewerId", "firstAt", "lastAt", "watchedMs", "positionMs", "creditMs")
      SELECT i."vodId", i."viewerId", i."firstAt", i."lastAt", i."watchedMs", i."positionMs", i."watchedMs"
      FROM input i WHERE EXISTS (SELECT 1 FROM "Vod" v WHERE v.id = i."vodId")
      ORDER BY i."vodId", i."viewerId"
      ON CONFLICT ("vodId", "viewerId") DO UPDATE SET
        "creditMs" = GREATEST(0, LEAST(w."watchedMs"::bigint + EXCLUDED."watchedMs",
                       (extract(epoch FROM (GREATEST(w."lastAt", EXCLUDED."lastAt") - w."firstAt")) * 1000)::bigint + $2::int, 2147483647) - w."watchedMs"),
        "watchedMs" = GREATEST(w."watchedMs", LEAST(w."watchedMs"::bigint + EXCLUDED."watchedMs",
                       (extract(epoch FROM (GREATEST(w."lastAt", EXCLUDED."lastAt") - w."firstAt")) * 1000)::bigint + $2::int, 2147483647)),
        "lastAt" = GREATEST(w."lastAt", EXCLUDED."lastAt"),
        "positionMs" = EXCLUDED."positionMs"
      RETURNING w."vodId", w."creditMs", (xmax = 0) AS inserted
    )
    UPDATE "Vod" v SET "views" = v."views" + a.n, "watchMs" = v."watchMs" + a.ms
    FROM (SELECT "vodId", (count(*) FILTER (WHERE inserted))::int AS n, sum("creditMs")::bigint AS ms FROM up GROUP BY "vodId") a
    WHERE v.id = a."vodId"`,
    [json, capMs],
  );
  return res.rowCount ?? 0;
}

/** Latency values (ms) and their counts per protocol, of a session since `from` (all of it when null). */
export async function latencyHistogram(db: Db, sessionId: string, from: Date | null): Promise<(HistogramBin & { protocol: ViewerProtocol })[]> {
  const rows = await db.$queryRaw<{ protocol: ViewerProtocol; ms: number; count: number }[]>`
    SELECT "protocol"::text AS protocol, "latencyMs" AS ms, count(*)::int AS count
    FROM "ViewerLatencySample"
    WHERE "sessionId" = ${sessionId}::uuid AND (${from?.toISOString() ?? null}::timestamp(3) IS NULL OR "at" >= ${from?.toISOString() ?? null}::timestamp(3))
    GROUP BY 1, 2`;
  return rows;
}

export async function latencyViewers(db: Db, sessionId: string, from: Date | null): Promise<{ protocol: ViewerProtocol; viewers: number }[]> {
  return db.$queryRaw<{ protocol: ViewerProtocol; viewers: number }[]>`
    SELECT "protocol"::text AS protocol, count(DISTINCT "viewerId")::int AS viewers
    FROM "ViewerLatencySample"
    WHERE "sessionId" = ${sessionId}::uuid AND (${from?.toISOString() ?? null}::timestamp(3) IS NULL OR "at" >= ${from?.toISOString() ?? null}::timestamp(3))
    GROUP BY 1`;
}

/** Deletes up to `limit` latency samples older than `days` days; returns how many. */
export async function pruneLatencySamples(db: Db, days: number, limit: number): Promise<number> {
  return db.$executeRaw`DELETE FROM "ViewerLatencySample" WHERE id IN (
    SELECT id FROM "ViewerLatencySample" WHERE "at" < now() - make_interval(days => ${days}) LIMIT ${limit})`;
}
