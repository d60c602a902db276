// A broadcast's health series and what it adds up to: peak concurrent viewers and total
// viewer-minutes. Each sample stands for the time until the next one, at most two intervals (a
// gap in sampling, e.g. the sampler's leader restarting, is not counted as viewing); the last one
// for one interval. The sums are made in PostgreSQL over the whole broadcast, so a live chart can
// ask only for the samples after its last one (`since`) and still get the totals.
import type { Db } from '../db/client.js';

/** At most this many samples per answer (about 28 h at 5 s); a live chart asks for the rest with `since`. */
export const MAX_SAMPLES = 20_000;

export interface SeriesSample {
  at: string;
  bitrateInBps: number;
  fps: number | null;
  viewers: { webrtc: number; llhls: number; total: number };
}

export interface Series {
  intervalMs: number;
  peakViewers: number;
  viewerMinutes: number;
  samples: SeriesSample[];
}

export async function sessionSeries(db: Db, sessionId: string, intervalMs: number, since?: Date): Promise<Series> {
  const [totals, rows] = await Promise.all([
    db.$queryRaw<{ peak: number; viewerMs: number }[]>`
      SELECT coalesce(max(v), 0)::int AS peak,
             coalesce(sum(v * greatest(0, least(coalesce(extract(epoch FROM (nxt - at)) * 1000, ${intervalMs}), ${2 * intervalMs}))), 0)::float8 AS "viewerMs"
      FROM (SELECT "viewersWebrtc" + "viewersLlhls" AS v, at, lead(at) OVER (ORDER BY at, id) AS nxt
            FROM "StreamHealthSample" WHERE "sessionId" = ${sessionId}::uuid) s`,
    db.streamHealthSample.findMany({ where: { sessionId, ...(since ? { at: { gt: since } } : {}) }, orderBy: [{ at: 'asc' }, { id: 'asc' }], take: MAX_SAMPLES }),
  ]);
  const t = totals[0] ?? { peak: 0, viewerMs: 0 };
  return {
    intervalMs,
    peakViewers: t.peak,
    viewerMinutes: Math.round((t.viewerMs / 60_000) * 10) / 10,
    samples: rows.map((r) => ({ at: r.at.toISOString(), bitrateInBps: r.bitrateInBps, fps: r.fps, viewers: { webrtc: r.viewersWebrtc, llhls: r.viewersLlhls, total: r.viewersWebrtc + r.viewersLlhls } })),
  };
}
