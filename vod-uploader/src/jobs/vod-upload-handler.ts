// Handler of one `vod-upload` job: recording file → HLS VOD + original + poster on GCS → Vod ready.
// Idempotent: reloads by recording id, returns quietly when done, skips objects already stored.
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { freeBytes, MediaError, poster, probe, remuxToHls, type ProbeResult } from '../media/ffmpeg.js';
import { recordingExtension } from '../recordings/info-xml.js';
import { findRecording } from '../recordings/locate.js';
import type { GcsStore, UploadResult } from '../storage/gcs.js';
import { cacheControlFor, contentTypeFor, vodObjectLayout } from '../storage/objects.js';
import type { VodEventSink } from '../vods/events.js';
import type { VodRepo } from '../vods/repo.js';
import { isUuid, vodTitle } from '../vods/session-match.js';
import type { Metrics } from '../metrics.js';
import { VodUploadPayload } from './vod-upload.js';

export interface HandlerDeps {
  config: Readonly<Config>;
  repo: VodRepo;
  store: GcsStore;
  events: VodEventSink;
  logger: Logger;
  metrics?: Metrics;
}

export type VodUploadOutcome =
  | { outcome: 'ready'; vodId: string; uploadedBytes: number; skippedObjects: number }
  | { outcome: 'already_ready'; vodId: string }
  | { outcome: 'discarded'; reason: 'record_disabled' }
  | { outcome: 'unknown_stream'; stream: string };

// ffmpeg can exit 0 after its writes failed for lack of space (see media/ffmpeg.ts), leaving at most
// a page or so free; below this much free space its output is not trusted.
const NO_SPACE_MARGIN_BYTES = 64 * 1024;

/**
 * A full work directory, as a retryable error (space comes back when other jobs clean up or an
 * operator acts), or null when `cause` (if any) does not look like a space problem.
 */
async function noSpaceError(workDir: string, stage: string, cause?: unknown): Promise<Error | null> {
  const err = cause as (Error & { code?: string }) | undefined;
  const enospc = err?.code === 'ENOSPC' || /no space left on device/i.test(err?.message ?? '');
  const free = await freeBytes(workDir).catch(() => null);
  if (!enospc && (free === null || free >= NO_SPACE_MARGIN_BYTES)) return null;
  return new Error(
    `no space left on device in the work directory ${workDir} while ${stage} (${free ?? 'unknown'} bytes free)` +
      (err?.message ? `: ${err.message}` : ''),
  );
}

/** Reads one byte, so a file that exists but cannot be read fails here with its real reason. */
async function assertReadable(file: string): Promise<void> {
  let fh;
  try {
    fh = await open(file, 'r');
    await fh.read(Buffer.alloc(1), 0, 1, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnrecoverableError(`recording file missing: ${file} was removed before it was processed`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
      throw new UnrecoverableError(`unreadable recording: ${file}: ${(err as Error).message}`);
    }
    throw err; // EIO and the like may pass: retried
  } finally {
    await fh?.close();
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(runners);
  return results;
}

export async function handleVodUpload(job: Job, deps: HandlerDeps): Promise<VodUploadOutcome> {
  const { config, repo, store, events } = deps;
  const parsed = VodUploadPayload.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(`invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const p = parsed.data;
  const log = deps.logger.child({ jobId: job.id, recordingId: p.recordingId, streamId: p.stream, attempt: job.attemptsMade + 1 });

  const existing = await repo.findByRecording(p.recordingId);
  if (existing?.status === 'ready') {
    log.info({ vodId: existing.id }, 'recording already published; nothing to do');
    return { outcome: 'already_ready', vodId: existing.id };
  }

  const stream = isUuid(p.stream) ? await repo.findStream(p.stream) : null;
  if (!stream) {
    // Not ours (or deleted): never destroy media we cannot attribute.
    log.warn({ filePath: p.filePath }, 'recording of an unknown stream: file kept, no VOD created');
    return { outcome: 'unknown_stream', stream: p.stream };
  }

  const found = await findRecording(p.filePath, p.infoPath);
  if (!stream.record && !existing) {
    if (found.kind === 'file') await rm(found.path, { force: true });
    log.info('stream has recording disabled: local recording deleted, no VOD');
    return { outcome: 'discarded', reason: 'record_disabled' };
  }

  const start = p.startTime ? new Date(p.startTime) : null;
  const sessionId = await repo.findSessionId(stream.id, start, config.sessionSlackMs);
  const vod = await repo.startProcessing({
    recordingId: p.recordingId,
    ownerId: stream.ownerId,
    streamId: stream.id,
    sessionId,
    title: existing?.title || vodTitle(stream.name, start),
    sourcePath: found.kind === 'file' ? found.path : p.filePath,
  });
  const vlog = log.child({ vodId: vod.id });

  // Neither can go away by retrying: the Vod fails at once, with the reason.
  if (found.kind === 'missing') throw new UnrecoverableError(`recording file missing: ${p.filePath} was removed before it was processed`);
  if (found.kind === 'not_a_file') throw new UnrecoverableError(`unreadable recording: ${found.path} is not a regular file`);
  const localPath = found.path;
  await assertReadable(localPath);
  const { size } = await stat(localPath);
  if (size === 0) throw new UnrecoverableError(`corrupt recording: ${path.basename(localPath)} is empty`);

  let media: ProbeResult;
  try {
    media = await probe(config.media, localPath);
  } catch (err) {
    if (err instanceof MediaError) throw new UnrecoverableError(`corrupt recording: ${err.message}`);
    throw err;
  }

  const layout = vodObjectLayout(config.gcs.prefix, vod.id, recordingExtension(localPath));
  const work = path.join(config.workDir, vod.id);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    let hls;
    try {
      hls = await remuxToHls(config.media, localPath, path.join(work, 'hls'), config.media.hlsSegmentSeconds);
    } catch (err) {
      const full = await noSpaceError(work, 'writing the HLS remux', err);
      if (full) throw full;
      if (err instanceof MediaError) throw new UnrecoverableError(`corrupt recording: HLS remux failed: ${err.message}`);
      throw err;
    }
    let posterPath: string | null = null;
    if (media.renditions.some((r) => r.type === 'video')) {
      try {
        posterPath = await poster(config.media, localPath, path.join(work, 'poster.jpg'), media.durationMs);
      } catch (err) {
        // A full disk passes: retry rather than publish a VOD that lacks its poster for good.
        const full = await noSpaceError(work, 'writing the poster', err);
        if (full) throw full;
        // A VOD without a poster still plays; the dashboard shows a placeholder.
        vlog.warn({ err: (err as Error).message }, 'poster extraction failed; continuing without poster');
      }
    }

    // Nothing is uploaded from a work directory that filled up: some output may be silently cut short.
    const full = await noSpaceError(work, 'writing the HLS remux and poster');
    if (full) throw full;

    // Session URIs of resumable uploads live in the job data, so a re-run after a crash resumes them.
    const sessions: Record<string, string> = { ...(p.uploadSessions ?? {}) };
    const saveSession = (objectName: string) => async (uri: string | null) => {
      if (uri === null) delete sessions[objectName];
      else sessions[objectName] = uri;
      await job.updateData({ ...p, uploadSessions: { ...sessions } });
    };
    const upload = async (localFile: string, objectName: string): Promise<UploadResult> => {
      const r = await store.upload({
        localPath: localFile,
        objectName,
        contentType: contentTypeFor(objectName),
        cacheControl: cacheControlFor(objectName),
        resumeUri: sessions[objectName],
        onSessionUri: saveSession(objectName),
        customMetadata: { vodId: vod.id, recordingId: p.recordingId },
      });
      if (!r.skipped) deps.metrics?.uploadedBytes.inc(r.size);
      vlog.debug({ objectName, size: r.size, skipped: r.skipped }, 'object stored');
      return r;
    };

    // Media before the manifest that names it: a player can never see a playlist with missing segments.
    const results: UploadResult[] = [];
    results.push(await upload(localPath, layout.original));
    results.push(
      ...(await mapLimit(hls.segments, config.gcs.uploadParallelism, (seg) => upload(seg, `${layout.hlsDir}${path.basename(seg)}`))),
    );
    if (posterPath) results.push(await upload(posterPath, layout.poster));
    results.push(await upload(hls.playlist, layout.playlist));

    const ready = await repo.markReady(vod.id, {
      durationMs: media.durationMs,
      sizeBytes: size,
      renditions: {
        format: media.formatName,
        bitrateBps: media.bitrateBps,
        tracks: media.renditions,
        hls: { segments: hls.segments.length, targetDurationSeconds: config.media.hlsSegmentSeconds },
      },
      objectPrefix: layout.prefix,
      playlistObject: layout.playlist,
      posterObject: posterPath ? layout.poster : null,
      originalObject: layout.original,
    });
    vlog.info({ durationMs: media.durationMs, sizeBytes: size, segments: hls.segments.length }, 'VOD ready');

    // Every object was verified against GCS above, so the source may go now when nothing is to be kept.
    if (config.retention.keepOriginalsHours === 0) {
      await rm(localPath, { force: true });
      await repo.clearSourcePath(vod.id);
    }
    try {
      await events.emit('vod.ready', ready);
    } catch (err) {
      vlog.error({ err: (err as Error).message }, 'vod.ready event could not be emitted');
    }
    return {
      outcome: 'ready',
      vodId: vod.id,
      uploadedBytes: results.filter((r) => !r.skipped).reduce((a, r) => a + r.size, 0),
      skippedObjects: results.filter((r) => r.skipped).length,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
