// Where a clip of a stored HLS VOD starts and ends, and what becomes of each segment it overlaps.
// Pure: numbers in, numbers out.
//
// Two clocks: the *player timeline* (seconds from the start of the VOD, the sum of the EXTINF
// durations before a segment: what a player's currentTime and the API's startMs/endMs mean) and a
// segment's own *timestamps* (PTS, seconds, as the MPEG-TS carries them; every rendition of one
// publish shares that clock). A segment starts with a keyframe, so its first keyframe's PTS is its
// start on the player timeline. Cuts happen only at keyframes every video rendition has (no
// re-encoding); audio is cut at the same instants (every AAC frame can start a stream).
import type { MediaPlaylist, MediaSegment } from './hls-read.js';

export class ClipPlanError extends Error {
  override name = 'ClipPlanError';
}

export interface TimedSegment extends MediaSegment {
  /** Which publish (discontinuity piece), 0-based. */
  piece: number;
  /** Position inside the piece. */
  index: number;
  /** Player timeline, seconds. */
  startS: number;
  endS: number;
}

export function timeline(pl: MediaPlaylist): TimedSegment[] {
  const out: TimedSegment[] = [];
  let t = 0;
  pl.pieces.forEach((segments, piece) =>
    segments.forEach((s, index) => {
      out.push({ ...s, piece, index, startS: t, endS: t + s.durationS });
      t += s.durationS;
    }),
  );
  return out;
}

export const totalDuration = (tl: readonly TimedSegment[]) => tl.at(-1)?.endS ?? 0;

/** The segment a clip starting at `t` begins in: start ≤ t < end (t before the end of the VOD). */
export function segmentForStart(tl: readonly TimedSegment[], t: number): TimedSegment {
  const s = tl.find((x) => x.startS <= t && t < x.endS) ?? (t < totalDuration(tl) + 1e-6 && t >= 0 ? tl.find((x) => t < x.endS + 1e-6) : undefined);
  if (!s) throw new ClipPlanError(`start ${t.toFixed(3)} s is outside the VOD (${totalDuration(tl).toFixed(3)} s)`);
  return s;
}

/** The segment a clip ending at `t` ends in: start < t ≤ end (an end on a boundary keeps the segment before it whole). */
export function segmentForEnd(tl: readonly TimedSegment[], t: number): TimedSegment {
  const last = tl.at(-1);
  if (!last || t <= 0) throw new ClipPlanError(`end ${t.toFixed(3)} s is outside the VOD`);
  // The API checks end ≤ duration in whole milliseconds; EXTINF sums may differ from it by a rounding.
  if (t >= last.endS) return last;
  return tl.find((x) => x.startS < t && t <= x.endS)!;
}

/** Segments from `from` to `to`, both included, in playlist order. */
export function segmentsBetween(tl: readonly TimedSegment[], from: TimedSegment, to: TimedSegment): TimedSegment[] {
  const a = tl.indexOf(from);
  const b = tl.indexOf(to);
  if (a < 0 || b < a) throw new ClipPlanError('clip range is empty');
  return tl.slice(a, b + 1);
}

/** The segment of `piece` that covers `relS` seconds after the piece's first segment starts (clamped into the piece). */
export function segmentInPiece(tl: readonly TimedSegment[], piece: number, relS: number): TimedSegment {
  const segs = tl.filter((s) => s.piece === piece);
  if (segs.length === 0) throw new ClipPlanError(`no segments in publish ${piece + 1}`);
  const t = segs[0]!.startS + relS;
  return segs.find((s) => s.startS <= t && t < s.endS) ?? (t < segs[0]!.startS ? segs[0]! : segs.at(-1)!);
}

/**
 * Same publishes, same segment count and the same durations (within tolS) in both: variants cut at
 * the same instants. The last segment of a publish ends where that rendition's file ends, which may
 * differ by a frame or two (lastTolS).
 */
export function alignedPlaylists(a: MediaPlaylist, b: MediaPlaylist, tolS: number, lastTolS = 0.1): boolean {
  if (a.pieces.length !== b.pieces.length) return false;
  return a.pieces.every((p, i) => p.length === b.pieces[i]!.length && p.every((s, j) => Math.abs(s.durationS - b.pieces[i]![j]!.durationS) <= (j === p.length - 1 ? lastTolS : tolS)));
}

/** Where a clip starts: the last common keyframe at or before `targetPts`; the segment's first keyframe at the latest. */
export function startKeyframe(common: readonly number[], targetPts: number, tolS: number): number {
  if (common.length === 0) throw new ClipPlanError('segment without a keyframe common to every variant');
  let k = common[0]!;
  for (const c of common) if (c <= targetPts + tolS) k = c;
  return k;
}

/**
 * Where a clip ends inside its last segment: the first common keyframe at or after `targetPts` after
 * the segment's first; null when there is none (the clip takes the whole segment: it ends where
 * the next segment's keyframe is).
 */
export function endKeyframe(common: readonly number[], targetPts: number, firstPts: number, tolS: number): number | null {
  return common.find((c) => c > firstPts + tolS && c >= targetPts - tolS) ?? null;
}

export interface SegmentCut {
  /** PTS of the first packet kept (the segment's first when nothing is cut off its start). */
  keptStart: number;
  /** PTS where what is kept ends (the first packet dropped, or the segment's end). */
  keptEnd: number;
  /** Instants to cut the segment at with ffmpeg (PTS), in order: [] = the segment is kept as it is. */
  cuts: number[];
  /** Something is cut off its start / its end. */
  cutStart: boolean;
  cutEnd: boolean;
  /** EXTINF of what is kept. */
  durationS: number;
  /** Nothing of the segment is inside the clip. */
  empty: boolean;
}

/**
 * What to keep of one segment. `points`: where it may be cut (keyframes of its video, or every
 * packet of audio), PTS, sorted, the first at its start (`firstPts`); its EXTINF is `durationS`.
 * `fromPts`/`toPts`: the clip's bounds when they fall inside this segment (null: not in it). A
 * packet within `deltaS` of an instant counts as at it (ffmpeg's -segment_time_delta).
 */
export function segmentCut(points: readonly number[], firstPts: number, durationS: number, fromPts: number | null, toPts: number | null, deltaS: number): SegmentCut {
  const end = firstPts + durationS;
  const none = (at: number): SegmentCut => ({ keptStart: at, keptEnd: at, cuts: [], cutStart: false, cutEnd: false, durationS: 0, empty: true });
  let keptStart = firstPts;
  let cutStart = false;
  if (fromPts !== null && fromPts - deltaS > firstPts) {
    const p = points.find((x) => x >= fromPts - deltaS);
    if (p === undefined) return none(end);
    keptStart = p;
    cutStart = true;
  }
  let keptEnd = end;
  let cutEnd = false;
  if (toPts !== null) {
    if (toPts - deltaS <= keptStart) return none(keptStart);
    const p = points.find((x) => x > keptStart + deltaS && x >= toPts - deltaS);
    if (p !== undefined) {
      keptEnd = p;
      cutEnd = true;
    }
  }
  const cuts = [...(cutStart ? [keptStart] : []), ...(cutEnd ? [keptEnd] : [])];
  return { keptStart, keptEnd, cuts, cutStart, cutEnd, durationS: keptEnd - keptStart, empty: keptEnd - keptStart <= deltaS };
}
