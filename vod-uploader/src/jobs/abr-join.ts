// The join of a broadcast recorded as the ABR ladder (record_map.xml writes one file per rendition
// into <stream>/<rendition>/): its pieces are grouped into publishes (the files of one publish start
// together), each publish is cut into aligned segments per variant (abr-publish.ts), and the VOD is
// one master playlist over every variant and one audio playlist, with EXT-X-DISCONTINUITY between
// publishes. Called by session-join-handler.ts once the session is final and settled.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { bandwidths, HlsAbrError, masterPlaylist, targetDurationOf, vodMediaPlaylist, type MasterVariant } from '../media/hls-abr.js';
import { MediaError, type HlsOutput } from '../media/ffmpeg.js';
import { recordingExtension } from '../recordings/info-xml.js';
import { findRecording } from '../recordings/locate.js';
import { vodObjectLayout } from '../storage/objects.js';
import { alignVariants, groupPublishes, SOURCE_RENDITION, type PieceVariant } from '../vods/ladder.js';
import type { PieceRow, VodRow } from '../vods/repo.js';
import { processPublish, silenceFor, type AbrSettings, type OutSegment, type PublishOut } from './abr-publish.js';
import type { SessionJoinPayload } from './session-join.js';
import { afterReady, type HandlerDeps } from './vod-upload-handler.js';
import {
  checkSource, finishRemux, readyDetails, remuxFailure, storedBytes, uploadObjects, uploadPlan, verifyStored, withWorkDir, type PlannedObject, type SourceFile,
} from './vod-upload-steps.js';

export interface AbrJoinInput {
  job: Job;
  payload: SessionJoinPayload;
  deps: HandlerDeps;
  sessionId: string;
  vod: VodRow;
  pieces: PieceRow[];
  log: Logger;
}

export type AbrJoinOutcome = { outcome: 'ready'; vodId: string; pieces: number; runs: number; uploadedBytes: number; skippedObjects: number };

interface LocatedPublish {
  source: { piece: PieceRow; file: SourceFile };
  rungs: Map<string, { piece: PieceRow; path: string }>;
  members: PieceRow[];
}

/** What the Vod's renditions JSON says about each variant (the backend's API reads it: vods/renditions.ts). */
export interface StoredVariant {
  name: string;
  playlist: string;
  width: number | null;
  height: number | null;
  frameRate: number | null;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string | null;
  transcoded: string | null;
}

const nameOf = (p: PieceRow) => p.rendition ?? SOURCE_RENDITION;

/** Locates every file of each publish. A publish whose source file is gone is left out (its audio and picture are there). */
async function locate(groups: PieceRow[][], log: Logger): Promise<{ publishes: LocatedPublish[]; missing: PieceRow[] }> {
  const publishes: LocatedPublish[] = [];
  const missing: PieceRow[] = [];
  for (const members of groups) {
    const src = members.find((m) => nameOf(m) === SOURCE_RENDITION);
    const srcFound = src ? await findRecording(src.filePath, src.infoPath) : { kind: 'missing' as const };
    if (!src || srcFound.kind === 'missing') {
      log.warn({ files: members.map((m) => path.basename(m.filePath)), renditions: members.map(nameOf) }, 'a publish without its source recording is left out');
      missing.push(...members);
      continue;
    }
    const rungs = new Map<string, { piece: PieceRow; path: string }>();
    for (const m of members) {
      if (m === src) continue;
      const found = await findRecording(m.filePath, m.infoPath);
      if (found.kind !== 'file') {
        log.warn({ rendition: nameOf(m), filePath: m.filePath }, 'rendition file missing; the source stands in');
        missing.push(m);
        continue;
      }
      try {
        rungs.set(nameOf(m), { piece: m, path: (await checkSource(found, m.filePath)).path });
      } catch (err) {
        log.warn({ rendition: nameOf(m), err: (err as Error).message }, 'rendition file unusable; the source stands in');
        missing.push(m);
      }
    }
    publishes.push({ source: { piece: src, file: await checkSource(srcFound, src.filePath) }, rungs, members });
  }
  return { publishes, missing };
}

export async function joinAbr(input: AbrJoinInput): Promise<AbrJoinOutcome> {
  const { job, payload, deps, sessionId, vod, pieces, log } = input;
  const { config, repo } = deps;
  const settings: AbrSettings = {
    tools: config.media,
    ladder: config.abr.ladder,
    transcodeMissing: config.abr.transcodeMissing,
    transcodePreset: config.abr.transcodePreset,
    segmentSeconds: config.media.hlsSegmentSeconds,
    parallelism: 2,
  };
  const groups = groupPublishes(pieces, config.abr.groupToleranceMs);
  const { publishes, missing } = await locate(groups, log);
  if (publishes.length === 0) {
    throw new UnrecoverableError(
      `all ${groups.length} recordings of this broadcast are missing (removed before they were joined): ${missing.map((m) => `${nameOf(m)}/${path.basename(m.filePath)}`).join(', ')}`,
    );
  }

  const layout0 = vodObjectLayout(config.gcs.prefix, vod.id, recordingExtension(publishes[0]!.source.file.path));
  const layout = { ...layout0, playlist: `${layout0.hlsDir}master.m3u8` };
  const single = publishes.length === 1;
  const originals: PlannedObject[] = publishes.map((p, i) => ({
    localPath: p.source.file.path,
    objectName: single ? layout.original : `${layout.prefix}original-${i + 1}.${recordingExtension(p.source.file.path)}`,
  }));

  return withWorkDir(config.workDir, vod.id, async (work) => {
    const hlsDir = path.join(work, 'hls');
    // cut: each publish on its own timeline (a reconnect restarts the encoder and its timestamps).
    let outs: PublishOut[] = [];
    try {
      for (const [i, p] of publishes.entries()) {
        outs.push(await processPublish({ index: i + 1, source: p.source.file.path, rungs: new Map([...p.rungs].map(([n, r]) => [n, r.path])) }, settings, hlsDir, work, log));
      }
    } catch (err) {
      if (err instanceof MediaError) throw await remuxFailure(work, err);
      throw err;
    }
    const withVideo = outs.filter((o) => o.variants.size > 0);
    const skipped: number[] = [];
    if (withVideo.length > 0 && withVideo.length < outs.length) {
      // A publish with audio only in a broadcast with video: the video variants would have a hole.
      for (const o of outs) if (o.variants.size === 0) skipped.push(o.index);
      log.warn({ publishes: skipped }, 'publishes without video are left out of a VOD with video');
      outs = withVideo;
    }
    const audioLike = outs.find((o) => o.audio)?.audio;
    if (audioLike && withVideo.length > 0) {
      for (const o of outs) {
        if (o.audio) continue;
        o.audio = await silenceFor(o, { sampleRate: audioLike.sampleRate ?? 48_000, channels: audioLike.channels ?? 2 }, settings, hlsDir, work);
      }
    }

    // playlists: one per variant (a publish without that variant plays its nearest one), one for the audio.
    const written = await writePlaylists(outs, hlsDir);
    const posterFrom = outs.find((o) => o.variants.size > 0);
    const hls: HlsOutput = { dir: hlsDir, playlist: written.master, segments: written.segments };
    const out = await finishRemux(config.media, hls, posterFrom ? { path: publishes[posterFrom.index - 1]!.source.file.path, media: posterFrom.source } : null, work, log);

    const plan = { ...uploadPlan(layout, originals, out), playlists: written.mediaPlaylists.map((f) => ({ localPath: f, objectName: `${layout.hlsDir}${path.basename(f)}` })) }; // upload
    const stored = await uploadObjects(job, payload, plan, { vodId: vod.id, sessionId }, {
      store: deps.store, parallelism: config.gcs.uploadParallelism, metrics: deps.metrics, log,
    });
    const totals = verifyStored(plan, stored); // verify

    const durationMs = Math.round(outs.reduce((a, o) => a + (o.endS - o.startS), 0) * 1000);
    const used = outs.map((o) => publishes[o.index - 1]!);
    const sizeBytes = used.reduce((a, p) => a + p.source.file.size, 0);
    const details = readyDetails({
      media: outs[0]!.source,
      durationMs,
      sizeBytes,
      out,
      layout,
      segmentSeconds: config.media.hlsSegmentSeconds,
      originalObject: originals[0]!.objectName,
      storageBytes: await storedBytes(deps.store, layout.prefix, log),
      extra: {
        layout: 'abr',
        variants: written.variants,
        audio: written.audio,
        pieces: outs.map((o) => ({
          publish: o.index,
          recordingIds: publishes[o.index - 1]!.members.map((m) => m.recordingId),
          startedAt: publishes[o.index - 1]!.source.piece.startedAt?.toISOString() ?? null,
          durationMs: Math.round((o.endS - o.startS) * 1000),
          sizeBytes: publishes[o.index - 1]!.source.file.size,
          originalObject: originals[o.index - 1]!.objectName,
          tracks: o.source.renditions,
          renditions: Object.fromEntries(o.rungs.map((r) => [r.name, r.action])),
          transcoded: [...o.variants.values()].filter((v) => v.transcoded).map((v) => ({ name: v.name, reason: v.transcoded })),
          dropped: o.dropped,
          silence: o.audio?.silence ?? false,
        })),
        discontinuities: outs.length - 1,
        missingPieces: missing.map((m) => `${nameOf(m)}/${path.basename(m.filePath)}`),
        skippedPublishes: skipped,
      },
    });
    const joined = pieces.filter((p) => !missing.includes(p)).map((p) => p.id);
    const marked = await repo.markSessionReady(vod.id, sessionId, details, { joined, missing: missing.map((m) => m.id) }, (tx, v) => deps.events.record(tx, 'vod.ready', v));
    if (!marked) throw new Error('new recordings of this broadcast arrived during the join; joining again with them');
    const late = await repo.markLatePieces(sessionId);
    if (late.length > 0) log.warn({ recordingIds: late.map((l) => l.recordingId) }, 'recordings registered during the join are kept on disk, not joined');
    log.info({ durationMs, sizeBytes, publishes: outs.length, variants: written.variants.map((v) => v.name), segments: written.segments.length }, 'broadcast VOD ready (ABR)');
    const localFiles = publishes.flatMap((p) => [p.source.file.path, ...[...p.rungs.values()].map((r) => r.path)]);
    await afterReady(deps, marked.vod, marked.event, localFiles, log);
    if (config.retention.keepOriginalsHours === 0) await repo.clearPieceSource(joined);
    return { outcome: 'ready', vodId: vod.id, pieces: outs.length, runs: outs.length, ...totals };
  });
}

export interface WrittenPlaylists {
  master: string;
  mediaPlaylists: string[];
  segments: string[];
  variants: StoredVariant[];
  audio: { playlist: string; codecs: string | null; channels: number | null; sampleRate: number | null; averageBandwidth: number } | null;
}

/** Writes the variant, audio and master playlists into hlsDir; pure decisions in hls-abr.ts and ladder.ts. */
export async function writePlaylists(outs: PublishOut[], hlsDir: string): Promise<WrittenPlaylists> {
  const hasVideo = outs.some((o) => o.variants.size > 0);
  const hasAudio = outs.some((o) => o.audio);
  const uri = (file: string) => path.basename(file);
  const allDurations = outs.flatMap((o) => [...[...o.variants.values()].flatMap((v) => v.segments), ...(o.audio?.segments ?? [])].map((s) => s.durationS));
  const target = targetDurationOf(allDurations);
  const media: string[] = [];
  const segments = new Set<string>();
  const write = async (name: string, pieces: OutSegment[][]) => {
    const file = path.join(hlsDir, `${name}.m3u8`);
    try {
      await writeFile(file, vodMediaPlaylist(pieces.map((segs) => segs.map((s) => ({ uri: uri(s.file), durationS: s.durationS }))), target));
    } catch (err) {
      if (err instanceof HlsAbrError) throw new UnrecoverableError(`HLS playlist for ${name} failed: ${err.message}`);
      throw err;
    }
    for (const p of pieces) for (const s of p) segments.add(s.file);
    media.push(file);
    return `${name}.m3u8`;
  };

  const audioPieces = outs.map((o) => o.audio?.segments ?? []);
  let audio: WrittenPlaylists['audio'] = null;
  let audioPlaylist: string | null = null;
  if (hasAudio) {
    audioPlaylist = await write('audio', audioPieces);
    const first = outs.find((o) => o.audio)!.audio!;
    audio = { playlist: audioPlaylist, codecs: first.codecString, channels: first.channels, sampleRate: first.sampleRate, averageBandwidth: bandwidths([], audioPieces.flat()).average };
  }

  const variants: StoredVariant[] = [];
  const masterVariants: MasterVariant[] = [];
  if (hasVideo) {
    const maps = outs.map((o) => new Map([...o.variants].map(([n, v]) => [n, { height: v.height, segments: v.segments } satisfies PieceVariant<OutSegment>])));
    const { names, pick } = alignVariants(maps);
    const seen = new Map<string, string>();
    for (const name of names) {
      const picked = outs.map((o, i) => o.variants.get(pick(name, i))!);
      // A name that plays exactly what another already does (in every publish) is no new variant.
      const key = picked.map((v) => v.segments[0]!.file).join('|');
      if (seen.has(key)) continue;
      seen.set(key, name);
      const playlist = await write(name, picked.map((v) => v.segments));
      let peak = 0;
      let bits = 0;
      let seconds = 0;
      picked.forEach((v, i) => {
        const b = bandwidths(v.segments, audioPieces[i]!);
        peak = Math.max(peak, b.peak);
        const dur = v.segments.reduce((a, s) => a + s.durationS, 0);
        bits += b.average * dur;
        seconds += dur;
      });
      const tallest = picked.reduce((a, v) => (v.height > a.height ? v : a));
      const codecs = [tallest.codecString, hasAudio ? audio!.codecs : null].filter((c): c is string => Boolean(c));
      const average = seconds > 0 ? Math.ceil(bits / seconds) : 0;
      const frameRate = Math.max(...picked.map((v) => v.frameRate ?? 0)) || null;
      masterVariants.push({ uri: playlist, bandwidth: peak, averageBandwidth: average, codecs, width: tallest.width, height: tallest.height, frameRate: frameRate ?? undefined });
      variants.push({
        name, playlist, width: tallest.width, height: tallest.height, frameRate, bandwidth: peak, averageBandwidth: average,
        codecs: codecs.length ? codecs.join(',') : null,
        transcoded: picked.find((v) => v.transcoded)?.transcoded ?? null,
      });
    }
  } else if (audioPlaylist) {
    const b = bandwidths([], audioPieces.flat());
    masterVariants.push({ uri: audioPlaylist, bandwidth: b.peak, averageBandwidth: b.average, codecs: audio!.codecs ? [audio!.codecs] : [] });
    variants.push({ name: 'audio', playlist: audioPlaylist, width: null, height: null, frameRate: null, bandwidth: b.peak, averageBandwidth: b.average, codecs: audio!.codecs, transcoded: null });
  }
  // Tallest first (then the higher bandwidth): players that start with the first listed variant begin
  // with the best picture; hls.js measures the bandwidth and picks for itself.
  const order = masterVariants
    .map((_, i) => i)
    .sort((a, b) => (masterVariants[b]!.height ?? 0) - (masterVariants[a]!.height ?? 0) || masterVariants[b]!.bandwidth - masterVariants[a]!.bandwidth);
  const master = path.join(hlsDir, 'master.m3u8');
  await writeFile(master, masterPlaylist(order.map((i) => masterVariants[i]!), hasVideo && audioPlaylist ? { uri: audioPlaylist, name: 'default', channels: audio!.channels ?? undefined } : null));
  return { master, mediaPlaylists: media, segments: [...segments].sort(), variants: order.map((i) => variants[i]!), audio };
}
