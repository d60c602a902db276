// The ABR ladder as the VOD worker sees it: which rendition files of a publish become variants,
// which are copies of the source, which must be encoded because OME did not record them, and how
// the publishes of a broadcast line up into one set of variants. Pure.

/** The rendition recorded with the source video and the audio (record_map.xml). */
export const SOURCE_RENDITION = 'source';
/** Names the VOD's own playlists use (hls/audio.m3u8, hls/master.m3u8, hls/index.m3u8): never a rendition. */
export const RESERVED_NAMES = new Set(['audio', 'master', 'index']);

/** Server.xml's ladder (abr_stream), VOD_LADDER's default: test/deploy/ome-config.test.ts keeps the two equal. */
export const DEFAULT_LADDER = '1080p:1080:4500000,720p:720:2500000,480p:480:1200000,360p:360:600000';

export interface LadderRung {
  name: string;
  height: number;
  bitrateBps: number;
}

/** `1080p:1080:4500000,720p:720:2500000,…` → rungs (VOD_LADDER); throws with the bad item. */
export function parseLadder(spec: string): LadderRung[] {
  const rungs = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const m = /^([A-Za-z0-9_-]{1,32}):(\d{2,5}):(\d{4,10})$/.exec(item);
      if (!m) throw new Error(`"${item}" is not <name>:<height>:<bitrate bps>`);
      return { name: m[1]!, height: Number(m[2]), bitrateBps: Number(m[3]) };
    });
  const names = new Set(rungs.map((r) => r.name));
  if (names.size !== rungs.length) throw new Error('rung names must be unique');
  if (names.has(SOURCE_RENDITION)) throw new Error(`"${SOURCE_RENDITION}" is the recorded source, not a rung`);
  for (const n of names) if (RESERVED_NAMES.has(n)) throw new Error(`"${n}" is reserved for the VOD's own playlists`);
  return rungs.sort((a, b) => b.height - a.height);
}

/**
 * The rendition a recording file is, from the record map's layout `<stream>/<rendition>/<file>`:
 * the directory the file is in, when that directory sits in the stream's own. Files of the old
 * layout (`<stream>/<file>`) and REST API recordings elsewhere have none (null: single rendition).
 */
export function renditionOfPath(filePath: string, stream: string): string | null {
  const parts = filePath.split('/').filter(Boolean);
  if (parts.length < 3) return null;
  const dir = parts[parts.length - 2]!;
  const parent = parts[parts.length - 3]!;
  if (parent !== stream || dir === stream) return null;
  return /^[A-Za-z0-9_-]{1,32}$/.test(dir) && !RESERVED_NAMES.has(dir) ? dir : null;
}

export interface VideoShape {
  codec: string;
  width: number;
  height: number;
}

export type RungPlan =
  /** OME's file of this rung is a variant. */
  | { name: string; action: 'use' }
  /** The rung is the source itself (BypassIfMatch passes a source at or below its height through): not stored twice. */
  | { name: string; action: 'same_as_source' }
  /** Not recorded (or unusable) although the source is taller: encoded from the source. */
  | { name: string; action: 'transcode'; height: number; bitrateBps: number; reason: string }
  /** Not recorded and the fallback encode is off. */
  | { name: string; action: 'skip'; reason: string };

/**
 * What becomes of each rung for one publish. `files` holds the rendition files found for it (by
 * name, with their video shape; null when the file has no video). Names that are not in the ladder
 * but were recorded (an operator's extra <Record>) are used like rungs.
 */
export function planRungs(ladder: readonly LadderRung[], source: VideoShape, files: ReadonlyMap<string, VideoShape | null>, transcodeMissing: boolean): RungPlan[] {
  const plans: RungPlan[] = [];
  const names = [...ladder.map((r) => r.name), ...[...files.keys()].filter((n) => n !== SOURCE_RENDITION && !ladder.some((r) => r.name === n)).sort()];
  for (const name of names) {
    const rung = ladder.find((r) => r.name === name);
    const shape = files.get(name);
    if (shape) {
      const copy = shape.height >= source.height || (shape.width === source.width && shape.height === source.height && shape.codec === source.codec);
      plans.push(copy ? { name, action: 'same_as_source' } : { name, action: 'use' });
      continue;
    }
    if (!rung) continue; // an extra name without a usable file: nothing to make it from
    if (rung.height >= source.height) {
      plans.push({ name, action: 'same_as_source' });
      continue;
    }
    const reason = shape === null ? 'recorded file has no video' : 'not recorded';
    plans.push(transcodeMissing ? { name, action: 'transcode', height: rung.height, bitrateBps: rung.bitrateBps, reason } : { name, action: 'skip', reason });
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// A broadcast of several publishes: one set of variants over all of them.

export interface PieceVariant<S> {
  height: number | null;
  segments: S[];
}

/**
 * Variant names over all publishes (source first, then by height, tallest first), and for each
 * publish the variant that plays in that name's place: its own, or when the publish has none under
 * that name (a smaller source made that rung a copy of the source), the nearest by height.
 */
export function alignVariants<S>(pieces: readonly ReadonlyMap<string, PieceVariant<S>>[]): { names: string[]; pick: (name: string, piece: number) => string } {
  const heights = new Map<string, number>();
  for (const p of pieces) for (const [name, v] of p) heights.set(name, Math.max(heights.get(name) ?? 0, v.height ?? 0));
  const names = [...heights.keys()].sort((a, b) => (a === SOURCE_RENDITION ? -1 : b === SOURCE_RENDITION ? 1 : heights.get(b)! - heights.get(a)! || a.localeCompare(b)));
  const pick = (name: string, piece: number): string => {
    const p = pieces[piece]!;
    if (p.has(name)) return name;
    const want = heights.get(name) ?? 0;
    let best: string | null = null;
    for (const [n, v] of p) {
      const d = Math.abs((v.height ?? 0) - want);
      if (best === null || d < Math.abs((p.get(best)!.height ?? 0) - want)) best = n;
    }
    if (best === null) throw new Error(`publish ${piece + 1} has no variant`);
    return best;
  };
  return { names, pick };
}

// ---------------------------------------------------------------------------------------------
// Which recordings of a broadcast are one publish.

export interface RenditionPiece {
  id: string;
  rendition: string | null;
  startedAt: Date | null;
  createdAt: Date;
}

/**
 * The rendition files of one publish: OME starts every Record of a stream at the same moment, and
 * each file's start is its first keyframe, so the files of one publish start within a GOP or so of
 * each other. A file joins the closest group that started within `toleranceMs` and has no file of
 * its rendition yet; otherwise it starts a new group (the next publish). Untagged files (the old
 * layout) count as the source.
 */
export function groupPublishes<T extends RenditionPiece>(pieces: readonly T[], toleranceMs: number): T[][] {
  const at = (p: RenditionPiece) => (p.startedAt ?? p.createdAt).getTime();
  const sorted = [...pieces].sort((a, b) => at(a) - at(b) || (a.rendition ?? '').localeCompare(b.rendition ?? '') || a.id.localeCompare(b.id));
  const groups: { start: number; members: T[] }[] = [];
  for (const p of sorted) {
    const name = p.rendition ?? SOURCE_RENDITION;
    // The closest open group, so a quick reconnect's files do not fill gaps of the publish before.
    const open = groups.filter((g) => Math.abs(at(p) - g.start) <= toleranceMs && !g.members.some((m) => (m.rendition ?? SOURCE_RENDITION) === name));
    const g = open.sort((a, b) => Math.abs(at(p) - a.start) - Math.abs(at(p) - b.start))[0];
    if (g) g.members.push(p);
    else groups.push({ start: at(p), members: [p] });
  }
  return groups.map((g) => g.members);
}
