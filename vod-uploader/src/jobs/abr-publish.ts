// One publish of a broadcast recorded as the ABR ladder (record_map.xml: one file per rendition)
// → aligned HLS segments per video variant plus the audio, ready to be listed in playlists.
//
// locate/probe each rendition file → decide per rung (use / same as the source / encode) → the
// publish's shared timeline (files carry the stream's own timestamps) → a cut plan at keyframes
// every video has → encode what OME did not record (keyframes forced at the cuts) → cut every video
// and the source's audio at the plan's instants (no re-encode) → check the cuts line up.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UnrecoverableError } from 'bullmq';
import pMap from 'p-map';
import type { Logger } from 'pino';
import {
  alignmentProblems, commonKeyframes, cutsAfter, dropLeadIn, missingCuts, planAcceptable, planCuts, planQuality, timingTolerance, type SegmentRow,
} from '../media/abr-plan.js';
import {
  MediaError, probeKeyframes, segmentFile, silentAudio, transcodeVideo, type MediaTools, type ProbeResult, type Rendition, type SegmentOutput,
} from '../media/ffmpeg.js';
import { planRungs, SOURCE_RENDITION, type LadderRung, type RungPlan, type VideoShape } from '../vods/ladder.js';
import { probeSource } from './vod-upload-steps.js';

export interface AbrSettings {
  tools: MediaTools;
  ladder: readonly LadderRung[];
  transcodeMissing: boolean;
  transcodePreset: string;
  segmentSeconds: number;
  /** Files segmented at once (remux: disk-bound); encodes always run one at a time. */
  parallelism: number;
}

export interface PublishFiles {
  /** 1-based position of the publish in the broadcast (names its segment files). */
  index: number;
  source: string;
  /** Rendition name → local file. */
  rungs: ReadonlyMap<string, string>;
}

export interface OutSegment {
  file: string;
  durationS: number;
  bytes: number;
}

export interface VariantOut {
  name: string;
  width: number;
  height: number;
  frameRate: number | null;
  codecString: string | null;
  segments: OutSegment[];
  /** Why the worker encoded this variant itself (null: OME recorded it). */
  transcoded: string | null;
}

export interface AudioOut {
  segments: OutSegment[];
  codecString: string | null;
  channels: number | null;
  sampleRate: number | null;
  /** True when the publish had no audio and this is generated silence (so the audio playlist covers it). */
  silence: boolean;
}

export interface PublishOut {
  index: number;
  source: ProbeResult;
  variants: Map<string, VariantOut>;
  audio: AudioOut | null;
  /** Where the plan starts and ends on the shared timeline (silence for a publish without audio covers it). */
  startS: number;
  endS: number;
  rungs: RungPlan[];
  dropped: { name: string; reason: string }[];
}

interface VideoInput {
  name: string;
  file: string;
  media: ProbeResult;
  video: Rendition;
  /** shared-timeline seconds = file timestamp + shiftS */
  shiftS: number;
  keyframes: number[];
  transcoded: string | null;
}

const videoOf = (m: ProbeResult) => m.renditions.find((r) => r.type === 'video');
const audioOf = (m: ProbeResult) => m.renditions.find((r) => r.type === 'audio');

function shapeOf(v: Rendition): VideoShape {
  return { codec: v.codec, width: v.width ?? 0, height: v.height ?? 0 };
}

/** Shared-timeline end of a video input: where its track starts plus how long the file plays. */
function endOf(v: VideoInput): number {
  return (v.video.startS ?? v.media.startS) + v.shiftS + v.media.durationMs / 1000;
}

export async function processPublish(files: PublishFiles, s: AbrSettings, hlsDir: string, work: string, log: Logger): Promise<PublishOut> {
  const source = await probeSource(s.tools, files.source);
  const srcVideo = videoOf(source);
  const srcAudio = audioOf(source);
  const prefix = (name: string) => `${name}_p${files.index}`;

  // Every rung file, probed; one ffprobe cannot read counts as not recorded (the source can stand in).
  const rungMedia = new Map<string, ProbeResult | null>();
  await pMap([...files.rungs], async ([name, file]) => {
    try {
      rungMedia.set(name, await probeSource(s.tools, file));
    } catch (err) {
      log.warn({ rendition: name, file, err: (err as Error).message }, 'rendition file unreadable; treated as not recorded');
      rungMedia.set(name, null);
    }
  }, { concurrency: s.parallelism });

  if (!srcVideo) return audioOnly(files, source, s, hlsDir, prefix);

  const shapes = new Map([...rungMedia].map(([n, m]) => [n, m && videoOf(m) ? shapeOf(videoOf(m)!) : null] as const));
  const rungs = planRungs(s.ladder, shapeOf(srcVideo), shapes, s.transcodeMissing);
  const used = rungs.filter((r) => r.action === 'use').map((r) => r.name);
  // The shared timeline starts at the earliest first packet of the files used (OME's files carry the
  // stream's timestamps, so one instant has one time in all of them).
  const zero = Math.min(source.startS, ...used.map((n) => rungMedia.get(n)!.startS));
  const recorded: VideoInput[] = await pMap(
    [{ name: SOURCE_RENDITION, file: files.source, media: source }, ...used.map((n) => ({ name: n, file: files.rungs.get(n)!, media: rungMedia.get(n)! }))],
    async (f) => ({ ...f, video: videoOf(f.media)!, shiftS: -zero, keyframes: (await probeKeyframes(s.tools, f.file)).map((k) => k - zero), transcoded: null }),
    { concurrency: s.parallelism },
  );
  const tol = timingTolerance(recorded.map((v) => v.video.fps));

  // The cut plan: keyframes every recorded video has; if the source's keyframes do not line up with
  // the rungs' (an encoder with an odd keyframe interval), the rungs' alone, the source re-encoded.
  const byName = (names: string[]) => recorded.filter((v) => names.includes(v.name));
  const candidates = [recorded.map((v) => v.name), used, [SOURCE_RENDITION]].filter((set, i, all) => set.length > 0 && all.findIndex((o) => o.join() === set.join()) === i);
  let plan: number[] = [];
  let endS = 0;
  for (const [i, names] of candidates.entries()) {
    const ref = byName(names);
    endS = Math.min(...ref.map(endOf));
    plan = planCuts(commonKeyframes(ref.map((v) => v.keyframes), tol), { segmentSeconds: s.segmentSeconds, endS, tolS: tol });
    const firstVideo = Math.min(...ref.map((v) => v.keyframes[0] ?? Infinity));
    if (plan.length > 0 && (planAcceptable(planQuality(plan, firstVideo, endS), s.segmentSeconds) || i === candidates.length - 1)) {
      if (i > 0) log.warn({ publish: files.index, reference: names }, 'keyframes of the renditions do not line up; segments follow the listed ones');
      break;
    }
  }
  if (plan.length === 0) throw new UnrecoverableError(`corrupt recording: ${path.basename(files.source)} has no video keyframe`);

  // Videos whose keyframes miss a cut of the plan are re-encoded (or left out).
  const dropped: { name: string; reason: string }[] = [];
  const inputs: VideoInput[] = [];
  const toEncode: { name: string; height: number | null; bitrateBps: number; reason: string }[] = [];
  for (const v of recorded) {
    const misses = missingCuts(v.keyframes, plan, tol);
    if (misses === 0) inputs.push(v);
    else if (s.transcodeMissing) toEncode.push({ name: v.name, height: v.name === SOURCE_RENDITION ? null : (v.video.height ?? null), bitrateBps: v.video.bitrateBps ?? source.bitrateBps ?? 4_500_000, reason: `keyframes off the common cuts at ${misses} of ${plan.length}` });
    else dropped.push({ name: v.name, reason: `keyframes off the common cuts at ${misses} of ${plan.length}` });
  }
  for (const r of rungs) if (r.action === 'transcode') toEncode.push({ name: r.name, height: r.height, bitrateBps: r.bitrateBps, reason: r.reason });
  for (const r of rungs) if (r.action === 'skip') dropped.push({ name: r.name, reason: r.reason });

  // The fallback encodes, one at a time (CPU-bound): from the source, keyframes at the plan's cuts.
  const srcShift = -zero; // shared = source timestamp + srcShift
  const srcFirstVideo = (srcVideo.startS ?? source.startS) + srcShift;
  for (const e of toEncode) {
    const out = path.join(work, 'encode', `${prefix(e.name)}.ts`);
    log.info({ publish: files.index, rendition: e.name, reason: e.reason }, 'encoding a rendition from the source');
    try {
      // ffmpeg's input timeline is the source's timestamps minus its start time.
      await transcodeVideo(s.tools, { input: files.source, output: out, height: e.height, bitrateBps: e.bitrateBps, preset: s.transcodePreset, keyframesAt: plan.map((c) => c - srcShift - source.startS) });
    } catch (err) {
      if (err instanceof MediaError) throw new UnrecoverableError(`corrupt recording: encoding ${e.name} from the source failed: ${err.message}`);
      throw err;
    }
    const media = await probeSource(s.tools, out);
    const video = videoOf(media);
    if (!video) throw new UnrecoverableError(`encoding ${e.name} produced no video`);
    // Its first frame is the source's first frame: that fixes where it sits on the shared timeline.
    const shiftS = srcFirstVideo - (video.startS ?? media.startS);
    inputs.push({ name: e.name, file: out, media, video, shiftS, keyframes: (await probeKeyframes(s.tools, out)).map((k) => k + shiftS), transcoded: e.reason });
  }

  // Cut every video (and the source's audio) at the plan's instants.
  const cutsFor = (firstS: number) => cutsAfter(plan, firstS, tol);
  const audioFirst = srcAudio ? (srcAudio.startS ?? source.startS) + srcShift : 0;
  const jobs: { file: string; itsoffset: number; outputs: SegmentOutput[]; input?: VideoInput }[] = [];
  for (const v of inputs) {
    const outputs: SegmentOutput[] = [{ kind: 'video', prefix: prefix(v.name), cuts: cutsFor((v.video.startS ?? v.media.startS) + v.shiftS) }];
    if (v.name === SOURCE_RENDITION && v.transcoded === null && srcAudio) outputs.push({ kind: 'audio', prefix: prefix('audio'), cuts: cutsFor(audioFirst) });
    jobs.push({ file: v.file, itsoffset: v.shiftS + v.media.startS, outputs, input: v });
  }
  if (srcAudio && !jobs.some((j) => j.outputs.some((o) => o.kind === 'audio'))) {
    jobs.push({ file: files.source, itsoffset: srcShift + source.startS, outputs: [{ kind: 'audio', prefix: prefix('audio'), cuts: cutsFor(audioFirst) }] });
  }
  const segmented = await pMap(jobs, async (j) => ({ j, tracks: await segmentFile(s.tools, j.file, j.itsoffset, j.outputs, hlsDir, tol) }), { concurrency: s.parallelism });

  const variants = new Map<string, VariantOut>();
  let audio: AudioOut | null = null;
  for (const { j, tracks } of segmented) {
    for (const t of tracks) {
      const rows = dropLeadIn(t.rows, plan[0]!, tol);
      if (t.kind === 'video') {
        const v = j.input!;
        const problems = alignmentProblems(rows, plan, tol);
        if (problems.length > 0) throw new Error(`segments of ${v.name} (publish ${files.index}) do not line up with the plan: ${problems.slice(0, 3).join('; ')}`);
        variants.set(v.name, {
          name: v.name,
          width: v.video.width ?? 0,
          height: v.video.height ?? 0,
          frameRate: v.video.fps ?? null,
          codecString: v.video.codecString ?? null,
          segments: await sized(rows, (i) => (i + 1 < plan.length ? plan[i + 1]! - plan[i]! : rows[i]!.endS - plan[i]!)),
          transcoded: v.transcoded,
        });
      } else {
        // The muxer does not report where its first segment starts: that is the track's first packet.
        const start0 = rows[0] === t.rows[0] ? audioFirst : rows[0]!.startS;
        audio = {
          segments: await sized(rows, (i) => rows[i]!.endS - (i === 0 ? start0 : rows[i]!.startS)),
          codecString: srcAudio!.codecString ?? null,
          channels: srcAudio!.channels ?? null,
          sampleRate: srcAudio!.sampleRate ?? null,
          silence: false,
        };
      }
    }
  }
  const lastEnd = Math.max(...[...variants.values()].map((v) => plan[v.segments.length - 1]! + v.segments[v.segments.length - 1]!.durationS));
  return { index: files.index, source, variants, audio, startS: plan[0]!, endS: lastEnd, rungs, dropped };
}

async function sized(rows: SegmentRow[], duration: (i: number) => number): Promise<OutSegment[]> {
  return Promise.all(rows.map(async (r, i) => ({ file: r.file, durationS: Math.max(0.001, duration(i)), bytes: (await stat(r.file)).size })));
}

/** A publish without video: its audio, cut every segmentSeconds. */
async function audioOnly(files: PublishFiles, source: ProbeResult, s: AbrSettings, hlsDir: string, prefix: (n: string) => string): Promise<PublishOut> {
  const a = audioOf(source)!;
  const first = (a.startS ?? source.startS) - source.startS;
  const end = first + source.durationMs / 1000;
  const cuts: number[] = [];
  for (let t = first + s.segmentSeconds; t < end - 0.5; t += s.segmentSeconds) cuts.push(t);
  const [track] = await segmentFile(s.tools, files.source, 0, [{ kind: 'audio', prefix: prefix('audio'), cuts }], hlsDir, 0.001);
  const rows = track!.rows;
  const segments = await sized(rows, (i) => rows[i]!.endS - (i === 0 ? first : rows[i]!.startS));
  return {
    index: files.index,
    source,
    variants: new Map(),
    audio: { segments, codecString: a.codecString ?? null, channels: a.channels ?? null, sampleRate: a.sampleRate ?? null, silence: false },
    startS: first,
    endS: end,
    rungs: [],
    dropped: [],
  };
}

/**
 * Silence for a publish recorded without audio, cut like its video, so the one audio playlist of
 * the VOD covers every publish (players take audio and video from separate playlists).
 */
export async function silenceFor(p: PublishOut, like: { sampleRate: number; channels: number }, s: AbrSettings, hlsDir: string, work: string): Promise<AudioOut> {
  const file = path.join(work, 'encode', `silence_p${p.index}.ts`);
  await silentAudio(s.tools, file, p.endS - p.startS, like.sampleRate, like.channels);
  const reference = p.variants.values().next().value!;
  const cuts: number[] = [];
  let t = p.startS;
  for (const seg of reference.segments.slice(0, -1)) cuts.push((t += seg.durationS));
  const [track] = await segmentFile(s.tools, file, p.startS, [{ kind: 'audio', prefix: `audio_p${p.index}`, cuts }], hlsDir, 0.001);
  const rows = track!.rows;
  return {
    segments: await sized(rows, (i) => rows[i]!.endS - (i === 0 ? p.startS : rows[i]!.startS)),
    codecString: 'mp4a.40.2',
    channels: like.channels,
    sampleRate: like.sampleRate,
    silence: true,
  };
}
