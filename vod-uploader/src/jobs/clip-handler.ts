// A clip of a stored VOD, cut without re-encoding (backend: POST /api/vods/:id/clips makes the
// clip's Vod `processing` and queues this job). Works on both layouts of the source: an ABR VOD
// (master playlist, one media playlist per video variant, one audio playlist) and a VOD with one
// media playlist (audio and video in each segment).
//
// bounds: the reference playlist (the master's first variant, or the only one) gives the segments
// the range starts and ends in; the clip starts at the last keyframe at or before startMs that every
// video variant has there, and ends at the first one at or after endMs (or where that segment
// ends) → every playlist keeps the segments in between (server-side copies in GCS), and the first
// and last one are re-cut at those instants with `-c copy` (audio at the same instants) →
// new playlists (and master) under the clip's own prefix, a poster → ready with vod.ready.
// The source's objects are only read: a failure leaves them as they were.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import pMap from 'p-map';
import type { Logger } from 'pino';
import { ClipJob } from '@ocp/backend/vod-edits';
import type { Config } from '../config/index.js';
import { commonKeyframes } from '../media/abr-plan.js';
import { cutSegment, probeSegment, segmentPoster, type SegmentPackets } from '../media/clip-media.js';
import {
  alignedPlaylists, ClipPlanError, endKeyframe, segmentCut, segmentForEnd, segmentForStart, segmentInPiece, segmentsBetween, startKeyframe, timeline, type TimedSegment,
} from '../media/clip-plan.js';
import { MediaError } from '../media/ffmpeg.js';
import { bandwidths, HlsAbrError, targetDurationOf, vodMediaPlaylist } from '../media/hls-abr.js';
import { dirOf, HlsReadError, isMasterPlaylist, parseMasterPlaylist, parseMediaPlaylist, safeRelative, withBandwidths, type MediaPlaylist } from '../media/hls-read.js';
import type { GcsStore } from '../storage/gcs.js';
import { copyObject, downloadObject, ObjectMissingError, readObjectText } from '../storage/object-ops.js';
import { contentTypeFor, cacheControlFor } from '../storage/objects.js';
import type { VodEventSink } from '../vods/events.js';
import type { VodEditsRepo } from '../vods/edits-repo.js';
import type { VodRow } from '../vods/repo.js';
import { storedBytes, withWorkDir } from './vod-upload-steps.js';

export interface EditDeps {
  config: Readonly<Config>;
  store: GcsStore;
  repo: VodEditsRepo;
  events: VodEventSink;
  logger: Logger;
}

export type ClipOutcome =
  | { outcome: 'ready'; clipId: string; actualStartMs: number; actualEndMs: number; copied: number; cut: number }
  | { outcome: 'gone' | 'settled' };

/** Keyframes of two variants that are one frame (same source frame) differ by less than this. */
const KEYFRAME_TOL_S = 0.004;
/** EXTINF of aligned variants are written from the same cut plan (abr-join.ts): equal to the microsecond. */
const ALIGN_TOL_S = 0.0005;

/** One media playlist of the source. */
interface Rendition {
  /** Object name of the media playlist. */
  object: string;
  playlist: MediaPlaylist;
  tl: TimedSegment[];
}

/** What one output segment of the clip is: a copy of a stored one, or a re-cut local file. */
interface OutSegment {
  durationS: number;
  piece: number;
  /** Name relative to the clip's prefix. */
  rel: string;
  copyFrom: string | null;
  localPath: string | null;
  bytes: number;
}

const fail = (why: string) => new UnrecoverableError(why);

export async function handleClip(job: Pick<Job, 'data' | 'id'>, deps: EditDeps): Promise<ClipOutcome> {
  const parsed = ClipJob.safeParse(job.data);
  if (!parsed.success) throw fail('invalid clip job payload');
  const clip = await deps.repo.findVod(parsed.data.clipId);
  if (!clip || clip.clipStartMs === null || clip.clipEndMs === null) return { outcome: 'gone' };
  if (clip.status !== 'processing') return { outcome: 'settled' };
  const log = deps.logger.child({ clipId: clip.id, sourceId: clip.clipOfId, jobId: job.id });
  const source = clip.clipOfId ? await deps.repo.findVod(clip.clipOfId) : null;
  if (!source) throw fail('the source VOD was deleted before the clip was cut');
  if (source.status !== 'ready' || !source.playlistObject) throw fail(`the source VOD is ${source.status}, not ready`);

  try {
    return await withWorkDir(deps.config.workDir, `clip-${clip.id}`, (work) => cutClip(clip, source, work, deps, log));
  } catch (err) {
    if (err instanceof HlsReadError || err instanceof ClipPlanError || err instanceof HlsAbrError) throw fail(`the source VOD cannot be clipped: ${err.message}`);
    if (err instanceof ObjectMissingError) throw fail(`the source VOD is incomplete: ${err.message}`);
    if (err instanceof MediaError) throw fail(`cutting the clip failed: ${err.message}`);
    throw err;
  }
}

async function cutClip(clip: VodRow, source: VodRow, work: string, deps: EditDeps, log: Logger): Promise<ClipOutcome> {
  const { store, config } = deps;
  const tools = config.media;
  const srcPrefix = source.objectPrefix ?? `${config.gcs.prefix}${source.id}/`;
  const destPrefix = `${config.gcs.prefix}${clip.id}/`;
  const relOf = (objectName: string) => {
    if (!objectName.startsWith(srcPrefix)) throw new HlsReadError(`${objectName} is outside the VOD's folder`);
    return objectName.slice(srcPrefix.length);
  };
  const child = (playlistObject: string, uri: string) => {
    if (!safeRelative(uri)) throw new HlsReadError(`playlist entry ${JSON.stringify(uri)} points outside the VOD`);
    return `${dirOf(playlistObject)}${uri}`;
  };

  // The source's playlists: the master's variants and audio (or the one media playlist).
  const top = source.playlistObject!;
  const topText = await readObjectText(store, top);
  const master = isMasterPlaylist(topText) ? parseMasterPlaylist(topText) : null;
  const mediaObjects = master
    ? [...new Set([...master.variants.map((v) => child(top, v.uri)), ...master.media.filter((m) => m.type === 'AUDIO' && m.uri).map((m) => child(top, m.uri!))])]
    : [top];
  const renditions: Rendition[] = [];
  for (const object of mediaObjects) {
    const playlist = parseMediaPlaylist(await readObjectText(store, object));
    renditions.push({ object, playlist, tl: timeline(playlist) });
  }

  // Source segments are fetched once each, probed once each.
  const fetched = new Map<string, Promise<string>>();
  const probed = new Map<string, Promise<SegmentPackets>>();
  const fetch = (objectName: string) => {
    let p = fetched.get(objectName);
    if (!p) fetched.set(objectName, (p = downloadObject(store, objectName, path.join(work, 'src', relOf(objectName)))));
    return p;
  };
  const packets = (objectName: string) => {
    let p = probed.get(objectName);
    if (!p) probed.set(objectName, (p = fetch(objectName).then((f) => probeSegment(tools, f))));
    return p;
  };
  const segObject = (r: Rendition, s: TimedSegment) => child(r.object, s.uri);

  // bounds, on the reference playlist.
  const ref = renditions[0]!;
  const startT = clip.clipStartMs! / 1000;
  const endT = clip.clipEndMs! / 1000;
  const s = segmentForStart(ref.tl, startT);
  const e = segmentForEnd(ref.tl, endT);
  const refS = await packets(segObject(ref, s));
  // Which playlists are pictures (cut at common keyframes) and which are the audio (cut at the same instants).
  const kinds = await Promise.all(renditions.map(async (r) => (r === ref ? refS : packets(segObject(r, segmentInPiece(r.tl, Math.min(s.piece, r.playlist.pieces.length - 1), 0))))));
  const main = renditions.filter((r, i) => r === ref || kinds[i]!.video === refS.video);
  const audio = renditions.filter((r) => !main.includes(r));
  for (const r of main) {
    if (r !== ref && !alignedPlaylists(ref.playlist, r.playlist, ALIGN_TOL_S)) {
      throw new ClipPlanError(`the variants ${path.basename(ref.object)} and ${path.basename(r.object)} are not cut at the same instants`);
    }
  }
  const at = (r: Rendition, like: TimedSegment) => r.tl.find((x) => x.piece === like.piece && x.index === like.index)!;
  const common = async (seg: TimedSegment) => commonKeyframes(await Promise.all(main.map(async (r) => (await packets(segObject(r, at(r, seg)))).points)), KEYFRAME_TOL_S);
  const first = async (seg: TimedSegment) => (await packets(segObject(ref, seg))).points[0]!;

  const startFirst = await first(s);
  const kStart = startKeyframe(await common(s), startFirst + (startT - s.startS), KEYFRAME_TOL_S);
  const endFirst = await first(e);
  const lastOfVod = e === ref.tl.at(-1);
  const kEnd = lastOfVod && endT >= e.endS - 0.001 ? null : endKeyframe(await common(e), endFirst + (endT - e.startS), endFirst, KEYFRAME_TOL_S);
  const actualStartS = s.startS + (kStart - startFirst);
  const actualEndS = kEnd === null ? e.endS : e.startS + (kEnd - endFirst);
  if (!(actualEndS > actualStartS)) throw new ClipPlanError('the range holds no frame');
  log.info({ startMs: clip.clipStartMs, endMs: clip.clipEndMs, actualStartMs: Math.round(actualStartS * 1000), actualEndMs: Math.round(actualEndS * 1000), renditions: renditions.length }, 'cutting clip');

  // What each playlist keeps.
  const cutCache = new Map<string, Promise<string>>();
  const outs = new Map<Rendition, OutSegment[]>();
  const keep = async (r: Rendition, seg: TimedSegment, fromPts: number | null, toPts: number | null, deltaS: number): Promise<OutSegment | null> => {
    const object = segObject(r, seg);
    const rel = relOf(object);
    if (fromPts === null && toPts === null) return { durationS: seg.durationS, piece: seg.piece, rel, copyFrom: object, localPath: null, bytes: 0 };
    const p = await packets(object);
    const c = segmentCut(p.points, p.points[0] ?? p.pts[0]!, seg.durationS, fromPts, toPts, deltaS);
    if (c.empty) return null;
    if (c.cuts.length === 0) return { durationS: c.durationS, piece: seg.piece, rel, copyFrom: object, localPath: null, bytes: 0 };
    const tag = `${c.cutStart ? 'in' : ''}${c.cutEnd ? 'out' : ''}`;
    const name = `${path.basename(rel, path.extname(rel))}_${tag}`;
    const key = `${object}|${c.cuts.join(',')}`;
    let cut = cutCache.get(key);
    if (!cut) cutCache.set(key, (cut = fetch(object).then((f) => cutSegment(config.media, f, c.cuts, c.cutStart ? 1 : 0, c.keptStart, path.join(work, 'out', path.dirname(rel)), name, deltaS))));
    const localPath = await cut;
    return { durationS: c.durationS, piece: seg.piece, rel: `${path.posix.dirname(rel) === '.' ? '' : `${path.posix.dirname(rel)}/`}${name}.ts`, copyFrom: null, localPath, bytes: (await stat(localPath)).size };
  };

  // Two ffmpeg/ffprobe runs at a time: the worker's other jobs need the CPU too.
  const parallel = { concurrency: 2 };
  for (const r of main) {
    const segs = segmentsBetween(r.tl, at(r, s), at(r, e));
    const kept = await pMap(segs, (seg) => keep(r, seg, seg.piece === s.piece && seg.index === s.index ? kStart : null, seg.piece === e.piece && seg.index === e.index ? kEnd : null, KEYFRAME_TOL_S), parallel);
    outs.set(r, kept.filter((o): o is OutSegment => o !== null));
  }
  // Audio: cut at the same instants (one clock per publish); its segments are found by their timestamps.
  const refPieceStart = (piece: number) => ref.tl.find((x) => x.piece === piece)!.startS;
  const endPts = kEnd ?? (e.index === ref.playlist.pieces[e.piece]!.length - 1 ? null : (await packets(segObject(ref, e))).points[0]! + e.durationS);
  for (const r of audio) {
    if (r.playlist.pieces.length !== ref.playlist.pieces.length) throw new ClipPlanError(`the audio playlist has ${r.playlist.pieces.length} publishes, the video ${ref.playlist.pieces.length}`);
    const locate = async (piece: number, approxRelS: number, pts: number) => {
      let seg = segmentInPiece(r.tl, piece, approxRelS);
      for (let i = 0; i < 8; i++) {
        const p = await packets(segObject(r, seg));
        const prev = r.tl[r.tl.indexOf(seg) - 1];
        const next = r.tl[r.tl.indexOf(seg) + 1];
        if (pts < p.pts[0]! - 0.0005 && prev?.piece === piece) seg = prev;
        else if (pts >= p.endPts && next?.piece === piece) seg = next;
        else break;
      }
      return seg;
    };
    const aStart = await locate(s.piece, actualStartS - refPieceStart(s.piece), kStart);
    const aEnd = endPts === null ? r.tl.filter((x) => x.piece === e.piece).at(-1)! : await locate(e.piece, actualEndS - refPieceStart(e.piece) - 0.001, endPts - 0.001);
    // Audio frames last ~21 ms: a packet within a millisecond of an instant is at it.
    const kept = await pMap(segmentsBetween(r.tl, aStart, aEnd), (seg) => keep(r, seg, seg === aStart ? kStart : null, seg === aEnd ? endPts : null, 0.001), parallel);
    outs.set(r, kept.filter((o): o is OutSegment => o !== null));
  }

  // Objects: segments (copies and re-cuts), poster, media playlists, then the top playlist.
  const metadata = { vodId: clip.id, clipOf: source.id };
  const target = targetDurationOf([...outs.values()].flat().map((o) => o.durationS));
  const unique = new Map<string, OutSegment>();
  for (const o of [...outs.values()].flat()) unique.set(o.rel, o);
  let copied = 0;
  let cut = 0;
  await pMap(
    [...unique.values()],
    async (o) => {
      const dest = `${destPrefix}${o.rel}`;
      if (o.copyFrom) {
        o.bytes = (await copyObject(store, o.copyFrom, dest, metadata)).size;
        copied++;
      } else {
        await store.upload({ localPath: o.localPath!, objectName: dest, contentType: contentTypeFor(dest), cacheControl: cacheControlFor(dest), customMetadata: metadata });
        cut++;
      }
    },
    { concurrency: config.gcs.uploadParallelism },
  );
  for (const list of outs.values()) for (const o of list) o.bytes = unique.get(o.rel)!.bytes;

  let posterObject: string | null = null;
  const firstOut = outs.get(ref)![0]!;
  if (refS.video) {
    try {
      const input = firstOut.localPath ?? (await fetch(firstOut.copyFrom!));
      const file = await segmentPoster(tools, input, path.join(work, 'poster.jpg'));
      if (file) {
        posterObject = `${destPrefix}poster.jpg`;
        await store.upload({ localPath: file, objectName: posterObject, contentType: contentTypeFor(file), cacheControl: cacheControlFor(file), customMetadata: metadata });
      } else log.warn('no frame for the poster; the clip has none');
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      posterObject = null;
      log.warn({ err: err.message }, 'poster extraction failed; the clip has none');
    }
  }

  const writeText = async (rel: string, text: string) => {
    const local = path.join(work, 'playlists', rel);
    await mkdir(path.dirname(local), { recursive: true });
    await writeFile(local, text);
    await store.upload({ localPath: local, objectName: `${destPrefix}${rel}`, contentType: contentTypeFor(rel), cacheControl: cacheControlFor(rel), customMetadata: metadata });
  };
  const playlistText = (r: Rendition) => {
    const list = outs.get(r)!;
    const pieces: { uri: string; durationS: number }[][] = [];
    list.forEach((o, i) => {
      const uri = path.posix.relative(path.posix.dirname(relOf(r.object)), o.rel);
      // A new publish starts a new piece: EXT-X-DISCONTINUITY before it, as in the source.
      if (i > 0 && list[i - 1]!.piece === o.piece) pieces.at(-1)!.push({ uri, durationS: o.durationS });
      else pieces.push([{ uri, durationS: o.durationS }]);
    });
    return vodMediaPlaylist(pieces, target);
  };
  for (const r of renditions) if (r.object !== top) await writeText(relOf(r.object), playlistText(r));
  let clipBandwidths = new Map<string, { peak: number; average: number }>();
  const sized = (r: Rendition | undefined) => (r ? outs.get(r)!.map((o) => ({ bytes: o.bytes, durationS: o.durationS })) : []);
  if (master) {
    const audioOf = (uri: string) => {
      const v = master.variants.find((x) => x.uri === uri)!;
      const a = master.media.find((m) => m.type === 'AUDIO' && m.groupId === v.audioGroup && m.uri);
      return a ? renditions.find((r) => r.object === child(top, a.uri!)) : undefined;
    };
    const byUri = new Map(master.variants.map((v) => {
      const r = renditions.find((x) => x.object === child(top, v.uri))!;
      const a = audioOf(v.uri);
      return [v.uri, a && a !== r ? bandwidths(sized(r), sized(a)) : bandwidths(sized(r), [])] as const;
    }));
    clipBandwidths = byUri;
    await writeText(relOf(top), withBandwidths(topText, byUri));
  } else {
    await writeText(relOf(top), playlistText(ref));
  }

  const actualStartMs = Math.round(actualStartS * 1000);
  const actualEndMs = Math.round(actualEndS * 1000);
  const srcRenditions = (source.renditions ?? {}) as Record<string, unknown>;
  // The source's description of its renditions (the API lists them), with the clip's own bit rates.
  const variants = Array.isArray(srcRenditions.variants)
    ? (srcRenditions.variants as Record<string, unknown>[]).map((v) => {
        const b = clipBandwidths.get(String(v.playlist));
        return b ? { ...v, bandwidth: Math.ceil(b.peak), averageBandwidth: Math.ceil(b.average) } : v;
      })
    : undefined;
  const renditionsJson = {
    ...Object.fromEntries(['format', 'bitrateBps', 'tracks', 'layout', 'audio'].filter((k) => k in srcRenditions).map((k) => [k, srcRenditions[k]])),
    ...(variants ? { variants } : {}),
    hls: { segments: unique.size, targetDurationSeconds: target },
    clip: { sourceId: source.id, startMs: clip.clipStartMs, endMs: clip.clipEndMs, actualStartMs, actualEndMs, copiedSegments: copied, recutSegments: cut },
  };
  const mediaBytes = [...unique.values()].reduce((a, o) => a + o.bytes, 0);
  const marked = await deps.repo.markClipReady(
    clip.id,
    {
      durationMs: actualEndMs - actualStartMs,
      sizeBytes: mediaBytes,
      renditions: renditionsJson,
      objectPrefix: destPrefix,
      playlistObject: `${destPrefix}${relOf(top)}`,
      posterObject,
      originalObject: null,
      storageBytes: await storedBytes(store, destPrefix, log),
    },
    { actualStartMs, actualEndMs },
    (tx, v) => deps.events.record(tx, 'vod.ready', v),
  );
  if (!marked) return { outcome: 'settled' };
  try {
    await deps.events.queue(marked.event);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'vod.ready recorded but not queued; the outbox repair queues it');
  }
  log.info({ actualStartMs, actualEndMs, copied, cut }, 'clip ready');
  return { outcome: 'ready', clipId: clip.id, actualStartMs, actualEndMs, copied, cut };
}
