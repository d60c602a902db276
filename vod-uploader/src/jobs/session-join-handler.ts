// Handler of one `join-session` job: all recordings (pieces) of a broadcast → its one HLS Vod.
// Waits (as a delayed job, so it survives restarts) until the session is final and settled, then:
// locate + probe each piece → remux each run of equal parameters with the concat demuxer (no
// re-encode) → one playlist, EXT-X-DISCONTINUITY between runs → upload → verify → record.
// Idempotent: the Vod is the row with recordingId `session-<id>` (unique), objects already stored
// are skipped, and pieces are marked joined in the same transaction that makes the Vod ready.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { joinPlaylists, PlaylistError } from '../media/hls-join.js';
import type { HlsOutput, ProbeResult } from '../media/ffmpeg.js';
import { remuxToHls } from '../media/ffmpeg.js';
import { recordingExtension } from '../recordings/info-xml.js';
import { findRecording } from '../recordings/locate.js';
import { vodObjectLayout } from '../storage/objects.js';
import { joinReadiness, joinRuns, orderPieces, sessionVodKey } from '../vods/pieces.js';
import type { PieceRow } from '../vods/repo.js';
import { vodTitle } from '../vods/session-match.js';
import { SessionJoinPayload } from './session-join.js';
import { afterReady, type HandlerDeps } from './vod-upload-handler.js';
import { joinAbr } from './abr-join.js';
import {
  checkSource, finishRemux, probeSource, readyDetails, remuxFailure, storedBytes, uploadObjects, uploadPlan, verifyStored, withWorkDir,
  type PlannedObject, type SourceFile,
} from './vod-upload-steps.js';

export type SessionJoinOutcome =
  | { outcome: 'ready'; vodId: string; pieces: number; runs: number; uploadedBytes: number; skippedObjects: number }
  | { outcome: 'already_ready'; vodId: string }
  | { outcome: 'session_gone'; sessionId: string };

interface LocatedPiece {
  piece: PieceRow;
  source: SourceFile;
  media: ProbeResult;
}

export async function handleSessionJoin(job: Job, token: string | undefined, deps: HandlerDeps, now = () => new Date()): Promise<SessionJoinOutcome> {
  const { config, repo } = deps;
  const parsed = SessionJoinPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const p = parsed.data;
  const log = deps.logger.child({ jobId: job.id, sessionId: p.sessionId, attempt: job.attemptsMade + 1 });

  const session = await repo.findSession(p.sessionId);
  if (!session) {
    // Deleted with its stream (its pieces cascade away): nothing left to make.
    log.warn('session no longer exists; nothing to join');
    return { outcome: 'session_gone', sessionId: p.sessionId };
  }
  const key = sessionVodKey(session.id);
  const existing = await repo.findByRecording(key);
  if (existing?.status === 'ready') return { outcome: 'already_ready', vodId: existing.id };

  // Wait for the broadcast to be over, then for OME to finish writing its last files.
  const listed = await repo.piecesToJoin(session.id);
  const newestPieceAt = listed.reduce<Date | null>((m, x) => (m && m >= x.createdAt ? m : x.createdAt), null);
  const readiness = joinReadiness(session.endedAt, now(), config.sessionJoin.settleMs, config.sessionJoin.pollMs, newestPieceAt);
  if (readiness.state !== 'final') {
    log.debug({ state: readiness.state, retryAt: readiness.retryAt.toISOString() }, 'session not final yet; join postponed');
    await job.moveToDelayed(readiness.retryAt.getTime(), token);
    throw new DelayedError();
  }

  const pieces = orderPieces(listed);
  const start = pieces[0]?.startedAt ?? session.startedAt;
  const vod = await repo.startProcessing({
    recordingId: key,
    ownerId: session.stream.ownerId,
    streamId: session.streamId,
    sessionId: session.id,
    title: existing?.title || vodTitle(session.stream.name, start),
    sourcePath: null,
  });
  const vlog = log.child({ vodId: vod.id });

  // Recorded as the ABR ladder (one file per rendition): the multi-variant join (abr-join.ts).
  if (pieces.some((piece) => piece.rendition !== null)) {
    return joinAbr({ job, payload: p, deps, sessionId: session.id, vod, pieces, log: vlog });
  }

  // locate + probe each piece; a missing one is left out (and named), all missing is final.
  const located: LocatedPiece[] = [];
  const missing: string[] = [];
  const missingIds: string[] = [];
  for (const piece of pieces) {
    const found = await findRecording(piece.filePath, piece.infoPath);
    if (found.kind === 'missing') {
      missing.push(path.basename(piece.filePath));
      missingIds.push(piece.id);
      continue;
    }
    const source = await checkSource(found, piece.filePath);
    located.push({ piece, source, media: await probeSource(config.media, source.path) });
  }
  if (located.length === 0) {
    throw new UnrecoverableError(
      pieces.length === 0
        ? 'no recording of this broadcast was found'
        : `all ${pieces.length} recordings of this broadcast are missing (removed before they were joined): ${missing.join(', ')}`,
    );
  }
  if (missing.length > 0) vlog.warn({ missing }, 'some recordings of the broadcast are missing; joining the others');

  const runs = joinRuns(located);
  const ext = recordingExtension(located[0]!.source.path);
  const layout = vodObjectLayout(config.gcs.prefix, vod.id, ext);
  const single = located.length === 1;
  const originals: PlannedObject[] = located.map((l, i) => ({
    localPath: l.source.path,
    // One piece: the same layout as a single recording's Vod.
    objectName: single ? layout.original : `${layout.prefix}original-${i + 1}.${recordingExtension(l.source.path)}`,
  }));

  return withWorkDir(config.workDir, vod.id, async (work) => {
    const hls = await remuxRuns(deps, runs, work); // remux (concat per run, discontinuity between runs)
    const withVideo = located.find((l) => l.media.renditions.some((r) => r.type === 'video'));
    const out = await finishRemux(config.media, hls, withVideo ? { path: withVideo.source.path, media: withVideo.media } : null, work, vlog);

    const plan = uploadPlan(layout, originals, out); // upload
    const stored = await uploadObjects(job, p, plan, { vodId: vod.id, sessionId: session.id }, {
      store: deps.store, parallelism: config.gcs.uploadParallelism, metrics: deps.metrics, log: vlog,
    });
    const totals = verifyStored(plan, stored); // verify

    const durationMs = located.reduce((a, l) => a + l.media.durationMs, 0);
    const sizeBytes = located.reduce((a, l) => a + l.source.size, 0);
    const first = located[0]!.media;
    const details = readyDetails({
      media: first,
      durationMs,
      sizeBytes,
      out,
      layout,
      segmentSeconds: config.media.hlsSegmentSeconds,
      originalObject: originals[0]!.objectName,
      storageBytes: await storedBytes(deps.store, layout.prefix, vlog),
      extra: {
        pieces: located.map((l, i) => ({
          recordingId: l.piece.recordingId,
          startedAt: l.piece.startedAt?.toISOString() ?? null,
          durationMs: l.media.durationMs,
          sizeBytes: l.source.size,
          originalObject: originals[i]!.objectName,
          tracks: l.media.renditions,
          run: runs.findIndex((r) => r.includes(l)),
        })),
        discontinuities: runs.length - 1,
        missingPieces: missing,
      },
    });
    // record — only if no piece arrived meanwhile; otherwise the job runs again (retry) with it.
    const marked = await repo.markSessionReady(vod.id, session.id, details, { joined: located.map((l) => l.piece.id), missing: missingIds }, (tx, v) => deps.events.record(tx, 'vod.ready', v));
    if (!marked) throw new Error('new recordings of this broadcast arrived during the join; joining again with them');
    const late = await repo.markLatePieces(session.id);
    if (late.length > 0) vlog.warn({ recordingIds: late.map((l) => l.recordingId) }, 'recordings registered during the join are kept on disk, not joined');
    vlog.info({ durationMs, sizeBytes, pieces: located.length, runs: runs.length, segments: hls.segments.length }, 'broadcast VOD ready');
    const ready = marked.vod;
    await afterReady(deps, ready, marked.event, located.map((l) => l.source.path), vlog);
    if (config.retention.keepOriginalsHours === 0) await repo.clearPieceSource(located.map((l) => l.piece.id));
    return { outcome: 'ready', vodId: vod.id, pieces: located.length, runs: runs.length, ...totals };
  });
}

/**
 * One HLS output for all runs: a single run is the whole playlist; several are remuxed each into
 * its own segments (`r<n>_…`) and joined into index.m3u8 with a discontinuity before each new run.
 */
async function remuxRuns(deps: HandlerDeps, runs: LocatedPiece[][], work: string): Promise<HlsOutput> {
  const media = deps.config.media;
  const hlsSegmentSeconds = media.hlsSegmentSeconds;
  const dir = path.join(work, 'hls');
  const outputs: HlsOutput[] = [];
  try {
    for (const [i, run] of runs.entries()) {
      const inputs = run.map((l) => l.source.path);
      outputs.push(
        runs.length === 1
          ? await remuxToHls(media, inputs, dir, hlsSegmentSeconds)
          : await remuxToHls(media, inputs, dir, hlsSegmentSeconds, { playlist: `run-${i + 1}.m3u8`, segmentPrefix: `r${i + 1}` }),
      );
    }
  } catch (err) {
    throw await remuxFailure(work, err);
  }
  if (outputs.length === 1) return outputs[0]!;
  const playlist = path.join(dir, 'index.m3u8');
  try {
    const texts = await Promise.all(outputs.map(async (o) => ({ text: await readFile(o.playlist, 'utf8') })));
    await writeFile(playlist, joinPlaylists(texts));
  } catch (err) {
    if (err instanceof PlaylistError) throw new UnrecoverableError(`HLS join failed: ${err.message}`);
    throw err;
  }
  return { dir, playlist, segments: outputs.flatMap((o) => o.segments) };
}
