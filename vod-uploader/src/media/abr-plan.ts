// Where the renditions of one publish are cut into HLS segments. Pure: numbers in, numbers out.
//
// Every time here is on the publish's shared timeline: seconds since the earliest first packet of
// any of its files (OME writes the stream's own timestamps into every rendition file, SegmentRule
// continuity, so one instant has one time in all of them). A cut is only possible at a keyframe,
// and a cut that is to line up across renditions must be a keyframe in every one of them: the plan
// is built from the keyframes the video renditions have in common, and each rendition is then cut at
// exactly those instants (ffmpeg's segment muxer, -segment_times).

/** Keyframe instants (sorted) that every list has, within `tolS`; the first list's value is kept. */
export function commonKeyframes(lists: readonly (readonly number[])[], tolS: number): number[] {
  if (lists.length === 0) return [];
  const [first, ...rest] = lists;
  const idx = rest.map(() => 0);
  const out: number[] = [];
  for (const t of first!) {
    let inAll = true;
    rest.forEach((list, i) => {
      let j = idx[i]!;
      while (j < list.length && list[j]! < t - tolS) j++;
      idx[i] = j;
      if (!(j < list.length && Math.abs(list[j]! - t) <= tolS)) inAll = false;
    });
    if (inAll) out.push(t);
  }
  return out;
}

/** How many of `cuts` have no keyframe within `tolS` in `keyframes` (both sorted). */
export function missingCuts(keyframes: readonly number[], cuts: readonly number[], tolS: number): number {
  let j = 0;
  let missing = 0;
  for (const c of cuts) {
    while (j < keyframes.length && keyframes[j]! < c - tolS) j++;
    if (!(j < keyframes.length && Math.abs(keyframes[j]! - c) <= tolS)) missing++;
  }
  return missing;
}

export interface PlanOptions {
  /** Target segment duration (VOD_HLS_SEGMENT_SECONDS). */
  segmentSeconds: number;
  /** Where the shortest video rendition ends: no cut after it (nothing left to cut). */
  endS: number;
  /** Timing slack (half a frame or so): how far two renditions' timestamps of one frame may differ. */
  tolS: number;
  /**
   * Most cuts the plan may have: ffmpeg takes them as one argument (-segment_times), and one
   * argument is limited to 128 KiB on Linux. A longer recording gets longer segments.
   */
  maxCuts?: number;
}

/** ~10 characters per cut in the -segment_times argument; 128 KiB / 10 with room to spare. */
export const MAX_CUTS = 11_000;
/** A segment that would be shorter than this at the very end is merged into the one before. */
const MIN_TAIL_S = 0.5;

/**
 * The cut instants: the first common keyframe (where every rendition can start), then greedily the
 * first common keyframe at least `segmentSeconds` after the previous cut. Segments are the spans
 * between consecutive cuts, the last one running to each rendition's end.
 */
export function planCuts(common: readonly number[], o: PlanOptions): number[] {
  if (common.length === 0) return [];
  const maxCuts = o.maxCuts ?? MAX_CUTS;
  const span = o.endS - common[0]!;
  // Keep the number of cuts bounded: a very long recording gets proportionally longer segments.
  const target = Math.max(o.segmentSeconds, Math.ceil(span / maxCuts));
  const cuts = [common[0]!];
  for (const t of common) {
    if (t >= o.endS - MIN_TAIL_S) break;
    if (t - cuts[cuts.length - 1]! >= target - o.tolS) cuts.push(t);
  }
  return cuts;
}

export interface PlanQuality {
  /** Longest segment the plan makes (the tail included). */
  longestS: number;
  /** Time before the first cut that some rendition has and is dropped (no common keyframe yet). */
  leadS: number;
}

export function planQuality(cuts: readonly number[], firstVideoS: number, endS: number): PlanQuality {
  let longest = 0;
  for (let i = 0; i < cuts.length; i++) longest = Math.max(longest, (i + 1 < cuts.length ? cuts[i + 1]! : endS) - cuts[i]!);
  return { longestS: longest, leadS: cuts.length ? Math.max(0, cuts[0]! - firstVideoS) : endS - firstVideoS };
}

/**
 * Renditions whose keyframes line up give segments close to the target; a rendition with keyframes
 * elsewhere (an encoder sending one every 5 s, or none for long) leaves few common keyframes, so
 * segments get long and the start lags. Good enough: no segment over twice the target (or target +
 * 2 s for short targets) and at most that much lost at the start.
 */
export function planAcceptable(q: PlanQuality, segmentSeconds: number): boolean {
  const limit = Math.max(2 * segmentSeconds, segmentSeconds + 2);
  return q.longestS <= limit + 1e-6 && q.leadS <= limit + 1e-6;
}

/**
 * The -segment_times list for one track whose first packet is at `firstS`: ffmpeg's segment muxer
 * never cuts before the first packet (an empty segment) and would otherwise take a cut at or before
 * the first packet as the next one, so only the cuts after it are passed.
 */
export function cutsAfter(cuts: readonly number[], firstS: number, tolS: number): number[] {
  return cuts.filter((c) => c > firstS + tolS);
}

/** Shared-timeline seconds with microsecond precision, as ffmpeg's duration parser reads them. */
export function formatCutList(cuts: readonly number[]): string {
  return cuts.map((c) => c.toFixed(6).replace(/\.?0+$/, '') || '0').join(',');
}

export interface SegmentRow {
  file: string;
  startS: number;
  endS: number;
}

/**
 * Segments as ffmpeg's segment muxer listed them, without the lead-in before the plan's first cut
 * (a track that starts earlier than the first common keyframe: its first segment ends at that cut).
 */
export function dropLeadIn(rows: readonly SegmentRow[], firstCut: number, tolS: number): SegmentRow[] {
  return rows.filter((r) => r.endS > firstCut + tolS);
}

/**
 * A video track's segments start where the plan cuts (after the first, whose start the muxer does not
 * report exactly). Returns the problems; empty when aligned.
 */
export function alignmentProblems(rows: readonly SegmentRow[], cuts: readonly number[], tolS: number): string[] {
  const problems: string[] = [];
  if (rows.length !== cuts.length) problems.push(`${rows.length} segments where the plan has ${cuts.length}`);
  for (let i = 1; i < Math.min(rows.length, cuts.length); i++) {
    const d = rows[i]!.startS - cuts[i]!;
    if (Math.abs(d) > tolS) problems.push(`segment ${i} starts at ${rows[i]!.startS.toFixed(3)} s, the plan cuts at ${cuts[i]!.toFixed(3)} s`);
  }
  return problems;
}

/** Parses the segment muxer's CSV list (`-segment_list_type csv`): `file,start,end` per line. */
export function parseSegmentCsv(text: string): SegmentRow[] {
  const rows: SegmentRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    // The file name is CSV-quoted when it has a comma or quote; ours never do.
    const m = /^(.*),(-?[\d.]+),(-?[\d.]+)$/.exec(line.trim());
    if (!m) throw new Error(`unreadable segment list line: ${line}`);
    rows.push({ file: m[1]!.replace(/^"(.*)"$/, '$1'), startS: Number(m[2]), endS: Number(m[3]) });
  }
  return rows;
}

/** Half a frame of the fastest video, within [5 ms, 40 ms]: two timestamps of one frame never differ more. */
export function timingTolerance(frameRates: readonly (number | undefined)[]): number {
  const fps = Math.max(0, ...frameRates.filter((f): f is number => typeof f === 'number' && f > 0));
  if (fps === 0) return 0.02;
  return Math.min(0.04, Math.max(0.005, 0.5 / fps));
}
