// Viewer beacons, pure rules: how often players report, what a beacon may claim, percentiles of
// measured latency, and how one batch of VOD beacons is folded into one row per viewer.
import { segmentUrlTtlSeconds } from '../vods/rules.js';

/** Players report every this long while playing (frontend/src/components/player/beacons.ts). */
export const BEACON_INTERVAL_MS = 10_000;
/**
 * What one VOD beacon may add to a viewer's watch time: the interval and a half (timers drift,
 * a tab in the background fires late). More is cut to this, so a client cannot inflate it.
 */
export const MAX_WATCHED_PER_BEACON_MS = 15_000;
/** A latency above this is a broken measurement, not a viewer (refused with 400). */
export const MAX_LATENCY_MS = 120_000;
/** Beacons are a few hundred bytes; anything near this is not a player. */
export const BEACON_BODY_LIMIT = 2 * 1024;

export type ViewerProtocol = 'webrtc' | 'llhls';
export const VIEWER_PROTOCOLS: readonly ViewerProtocol[] = ['webrtc', 'llhls'];

/** One latency value (ms) and how many samples had it. */
export interface HistogramBin {
  ms: number;
  count: number;
}

/**
 * The nearest-rank percentile (0 < p ≤ 1) of a histogram: the smallest value v such that at least
 * p·N samples are ≤ v. Exact, integer, and the same whatever order the bins come in. null when empty.
 */
export function percentile(bins: readonly HistogramBin[], p: number): number | null {
  const sorted = [...bins].filter((b) => b.count > 0).sort((a, b) => a.ms - b.ms);
  const total = sorted.reduce((n, b) => n + b.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const b of sorted) {
    seen += b.count;
    if (seen >= rank) return b.ms;
  }
  return sorted[sorted.length - 1]!.ms;
}

export interface ProtocolLatency {
  p50Ms: number | null;
  p95Ms: number | null;
  samples: number;
  viewers: number;
}

/** p50/p95, sample and viewer counts per protocol; every protocol is listed (zero samples: nulls). */
export function summarizeLatency(
  bins: readonly (HistogramBin & { protocol: ViewerProtocol })[],
  viewers: readonly { protocol: ViewerProtocol; viewers: number }[],
): Record<ViewerProtocol, ProtocolLatency> {
  const out = {} as Record<ViewerProtocol, ProtocolLatency>;
  for (const protocol of VIEWER_PROTOCOLS) {
    const mine = bins.filter((b) => b.protocol === protocol);
    out[protocol] = {
      p50Ms: percentile(mine, 0.5),
      p95Ms: percentile(mine, 0.95),
      samples: mine.reduce((n, b) => n + b.count, 0),
      viewers: viewers.find((v) => v.protocol === protocol)?.viewers ?? 0,
    };
  }
  return out;
}

/** One accepted VOD beacon, as it waits in the buffer. */
export interface VodBeacon {
  vodId: string;
  viewerId: string;
  at: number;
  watchedMs: number;
  positionMs: number;
}

/** One viewer's beacons of one batch, folded into the row the batch writes. */
export interface VodViewDelta {
  vodId: string;
  viewerId: string;
  firstAt: number;
  lastAt: number;
  /** At most the batch's time span plus one beacon's maximum (see MAX_WATCHED_PER_BEACON_MS). */
  watchedMs: number;
  positionMs: number;
}

export const clampWatched = (ms: number): number => Math.min(Math.max(0, Math.floor(ms)), MAX_WATCHED_PER_BEACON_MS);

/**
 * Folds a batch into one delta per (VOD, viewer), in key order (the writer's locks are then taken in
 * one order by every replica). Each beacon adds at most MAX_WATCHED_PER_BEACON_MS, and a viewer's
 * sum never exceeds the time between its first and last beacon plus that maximum. The position is
 * the latest beacon's.
 */
export function foldVodBeacons(beacons: readonly VodBeacon[]): VodViewDelta[] {
  const byKey = new Map<string, VodViewDelta>();
  for (const b of beacons) {
    const key = `${b.vodId}\u0000${b.viewerId}`;
    const d = byKey.get(key);
    const watched = clampWatched(b.watchedMs);
    if (!d) {
      byKey.set(key, { vodId: b.vodId, viewerId: b.viewerId, firstAt: b.at, lastAt: b.at, watchedMs: watched, positionMs: b.positionMs });
      continue;
    }
    d.firstAt = Math.min(d.firstAt, b.at);
    if (b.at >= d.lastAt) {
      d.lastAt = b.at;
      d.positionMs = b.positionMs;
    }
    d.watchedMs = Math.min(d.watchedMs + watched, d.lastAt - d.firstAt + MAX_WATCHED_PER_BEACON_MS);
  }
  return [...byKey.values()].sort((a, b) => (a.vodId < b.vodId ? -1 : a.vodId > b.vodId ? 1 : a.viewerId < b.viewerId ? -1 : a.viewerId > b.viewerId ? 1 : 0));
}

/**
 * A VOD's playlist token (issued at `issuedAtSeconds` by GET /api/vods/:id) keeps counting views as
 * long as the signed segment URLs it led to can still be played: the playlist route's token itself
 * lives SIGNED_URL_TTL_SECONDS, but a viewer of a long VOD plays on well after that.
 */
export function vodTokenUsable(issuedAtSeconds: number, nowMs: number, ttlSeconds: number, durationMs: number | null): boolean {
  return nowMs <= (issuedAtSeconds + segmentUrlTtlSeconds(ttlSeconds, durationMs)) * 1000;
}
