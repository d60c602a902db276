// The named steps of turning recordings into a ready Vod: locate → probe → remux → upload → verify
// → record. Each takes values (and the few dependencies it needs) and returns values, so it can be
// tested on its own; the job handlers (vod-upload-handler.ts, session-join-handler.ts) only put
// them in order. Errors that no retry can fix are UnrecoverableError, with the reason users see.
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import pMap from 'p-map';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { freeBytes, MediaError, poster, probe, remuxToHls, type HlsOutput, type MediaTools, type ProbeResult } from '../media/ffmpeg.js';
import type { FoundRecording } from '../recordings/locate.js';
import type { GcsStore, UploadResult } from '../storage/gcs.js';
import { cacheControlFor, contentTypeFor, type VodObjectLayout } from '../storage/objects.js';
import type { Metrics } from '../metrics.js';
import type { ReadyDetails } from '../vods/repo.js';
import { VodUploadPayload } from './vod-upload.js';

// ffmpeg can exit 0 after its writes failed for lack of space (see media/ffmpeg.ts), leaving at most
// a page or so free; below this much free space its output is not trusted.
export const NO_SPACE_MARGIN_BYTES = 64 * 1024;

/**
 * A full work directory, as a retryable error (space comes back when other jobs clean up or an
 * operator acts), or null when `cause` (if any) does not look like a space problem.
 */
export async function noSpaceError(workDir: string, stage: string, cause?: unknown): Promise<Error | null> {
  const err = cause as (Error & { code?: string }) | undefined;
  const enospc = err?.code === 'ENOSPC' || /no space left on device/i.test(err?.message ?? '');
  const free = await freeBytes(workDir).catch(() => null);
  if (!enospc && (free === null || free >= NO_SPACE_MARGIN_BYTES)) return null;
  return new Error(
    `no space left on device in the work directory ${workDir} while ${stage} (${free ?? 'unknown'} bytes free)` +
      (err?.message ? `: ${err.message}` : ''),
  );
}

/** The job's payload, or an UnrecoverableError naming every bad field. */
export function parsePayload(data: unknown): VodUploadPayload {
  const parsed = VodUploadPayload.safeParse(data);
  if (!parsed.success) {
    throw new UnrecoverableError(`invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// locate

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

export interface SourceFile {
  path: string;
  size: number;
}

/**
 * locate: the recording as a readable, non-empty regular file. Missing, not a file, unreadable or
 * empty cannot go away by retrying: UnrecoverableError with the reason.
 */
export async function checkSource(found: FoundRecording, listedPath: string): Promise<SourceFile> {
  if (found.kind === 'missing') throw new UnrecoverableError(`recording file missing: ${listedPath} was removed before it was processed`);
  if (found.kind === 'not_a_file') throw new UnrecoverableError(`unreadable recording: ${found.path} is not a regular file`);
  await assertReadable(found.path);
  const { size } = await stat(found.path);
  if (size === 0) throw new UnrecoverableError(`corrupt recording: ${path.basename(found.path)} is empty`);
  return { path: found.path, size };
}

// ---------------------------------------------------------------------------------------------
// probe

/** probe: what the recording holds; a file ffprobe cannot read is corrupt for good. */
export async function probeSource(tools: MediaTools, file: string): Promise<ProbeResult> {
  try {
    return await probe(tools, file);
  } catch (err) {
    if (err instanceof MediaError) throw new UnrecoverableError(`corrupt recording: ${err.message}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// remux

/** A clean work directory for one Vod, removed again whatever `fn` does. */
export async function withWorkDir<T>(workRoot: string, vodId: string, fn: (work: string) => Promise<T>): Promise<T> {
  const work = path.join(workRoot, vodId);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    return await fn(work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface RemuxOutput {
  hls: HlsOutput;
  posterPath: string | null;
}

/** The remux step for one source: HLS with no re-encode (ffmpeg's own remux, see media/ffmpeg.ts). */
export async function remuxSource(tools: Config['media'], source: string, work: string, segmentSeconds: number): Promise<HlsOutput> {
  try {
    return await remuxToHls(tools, source, path.join(work, 'hls'), segmentSeconds);
  } catch (err) {
    throw await remuxFailure(work, err);
  }
}

/** A remux error as the job should see it: a full disk is retried, bad media is final. */
export async function remuxFailure(work: string, err: unknown): Promise<Error> {
  const full = await noSpaceError(work, 'writing the HLS remux', err);
  if (full) return full;
  if (err instanceof MediaError) return new UnrecoverableError(`corrupt recording: HLS remux failed: ${err.message}`);
  return err as Error;
}

/**
 * The poster frame (when there is video) and the check that the work directory did not fill up
 * meanwhile: nothing is uploaded from a directory whose output may have been silently cut short.
 */
export async function finishRemux(
  tools: Config['media'],
  hls: HlsOutput,
  posterSource: { path: string; media: ProbeResult } | null,
  work: string,
  log: Logger,
): Promise<RemuxOutput> {
  let posterPath: string | null = null;
  if (posterSource && posterSource.media.renditions.some((r) => r.type === 'video')) {
    try {
      posterPath = await poster(tools, posterSource.path, path.join(work, 'poster.jpg'), posterSource.media.durationMs);
    } catch (err) {
      // A full disk passes: retry rather than publish a VOD that lacks its poster for good.
      const full = await noSpaceError(work, 'writing the poster', err);
      if (full) throw full;
      // A VOD without a poster still plays; the dashboard shows a placeholder.
      log.warn({ err: (err as Error).message }, 'poster extraction failed; continuing without poster');
    }
  }
  const full = await noSpaceError(work, 'writing the HLS remux and poster');
  if (full) throw full;
  return { hls, posterPath };
}

// ---------------------------------------------------------------------------------------------
// upload

export interface PlannedObject {
  localPath: string;
  objectName: string;
}

/** What is uploaded, in this order: all media before the manifest that names it. */
export interface UploadPlan {
  /** The recordings as OME wrote them, one at a time (big, streamed). */
  originals: PlannedObject[];
  /** HLS segments, with bounded parallelism. */
  segments: PlannedObject[];
  poster: PlannedObject | null;
  /** Media playlists a master playlist names (multi-variant VODs), after every segment. */
  playlists: PlannedObject[];
  /** Last: a player can never see a playlist naming a segment that is not stored yet. */
  playlist: PlannedObject;
}

/** Pure: the objects of a Vod and their names. */
export function uploadPlan(layout: VodObjectLayout, originals: PlannedObject[], out: RemuxOutput): UploadPlan {
  return {
    originals,
    segments: out.hls.segments.map((seg) => ({ localPath: seg, objectName: `${layout.hlsDir}${path.relative(out.hls.dir, seg).split(path.sep).join('/')}` })),
    poster: out.posterPath ? { localPath: out.posterPath, objectName: layout.poster } : null,
    playlists: [],
    playlist: { localPath: out.hls.playlist, objectName: layout.playlist },
  };
}

/** Pure: the plan as the order objects are stored in. */
export function planOrder(plan: UploadPlan): PlannedObject[] {
  return [...plan.originals, ...plan.segments, ...(plan.poster ? [plan.poster] : []), ...plan.playlists, plan.playlist];
}

export interface UploadDeps {
  store: GcsStore;
  parallelism: number;
  metrics?: Metrics;
  log: Logger;
}

/**
 * upload: every planned object, streamed; the store checks each stored object's checksum against
 * the local bytes (GcsStore.upload) and skips objects already stored with the same bytes. Session
 * URIs of resumable uploads are kept in the job's data, so a re-run after a crash resumes them.
 */
export async function uploadObjects(
  job: Pick<Job, 'updateData'>,
  data: { uploadSessions?: Record<string, string> } & Record<string, unknown>,
  plan: UploadPlan,
  metadata: Record<string, string>,
  deps: UploadDeps,
): Promise<UploadResult[]> {
  const sessions: Record<string, string> = { ...(data.uploadSessions ?? {}) };
  const saveSession = (objectName: string) => async (uri: string | null) => {
    if (uri === null) delete sessions[objectName];
    else sessions[objectName] = uri;
    await job.updateData({ ...data, uploadSessions: { ...sessions } });
  };
  const upload = async (o: PlannedObject): Promise<UploadResult> => {
    const r = await deps.store.upload({
      localPath: o.localPath,
      objectName: o.objectName,
      contentType: contentTypeFor(o.objectName),
      cacheControl: cacheControlFor(o.objectName),
      resumeUri: sessions[o.objectName],
      onSessionUri: saveSession(o.objectName),
      customMetadata: metadata,
    });
    if (!r.skipped) deps.metrics?.uploadedBytes.inc(r.size);
    deps.log.debug({ objectName: o.objectName, size: r.size, skipped: r.skipped }, 'object stored');
    return r;
  };
  const results: UploadResult[] = [];
  for (const o of plan.originals) results.push(await upload(o));
  results.push(...(await pMap(plan.segments, upload, { concurrency: deps.parallelism })));
  if (plan.poster) results.push(await upload(plan.poster));
  for (const o of plan.playlists) results.push(await upload(o));
  results.push(await upload(plan.playlist));
  return results;
}

// ---------------------------------------------------------------------------------------------
// verify

export interface UploadTotals {
  uploadedBytes: number;
  skippedObjects: number;
}

/**
 * verify (pure): the stored objects are exactly the planned ones, each confirmed by the store with
 * a checksum, the playlist last. Only after this may the Vod become ready and local files go.
 */
export function verifyStored(plan: UploadPlan, results: UploadResult[]): UploadTotals {
  const expected = planOrder(plan).map((o) => o.objectName);
  const got = results.map((r) => r.objectName);
  if (got.length !== expected.length || got.some((name, i) => name !== expected[i])) {
    throw new Error(`stored objects differ from the plan: expected ${expected.length} (${expected.at(-1)} last), stored ${got.length} (${got.at(-1) ?? 'none'} last)`);
  }
  const unchecked = results.filter((r) => !r.crc32c);
  if (unchecked.length > 0) throw new Error(`stored objects without a verified checksum: ${unchecked.map((r) => r.objectName).join(', ')}`);
  return {
    uploadedBytes: results.filter((r) => !r.skipped).reduce((a, r) => a + r.size, 0),
    skippedObjects: results.filter((r) => r.skipped).length,
  };
}

// ---------------------------------------------------------------------------------------------
// record

/** Pure: the row's ready details from what was probed, remuxed and stored. */
export function readyDetails(input: {
  media: Pick<ProbeResult, 'formatName' | 'bitrateBps' | 'renditions'>;
  durationMs: number;
  sizeBytes: number;
  out: RemuxOutput;
  layout: VodObjectLayout;
  segmentSeconds: number;
  originalObject: string | null;
  storageBytes: number | null;
  extra?: Record<string, unknown>;
}): ReadyDetails {
  return {
    durationMs: input.durationMs,
    sizeBytes: input.sizeBytes,
    renditions: {
      format: input.media.formatName,
      bitrateBps: input.media.bitrateBps,
      tracks: input.media.renditions,
      hls: { segments: input.out.hls.segments.length, targetDurationSeconds: input.segmentSeconds },
      ...input.extra,
    },
    objectPrefix: input.layout.prefix,
    playlistObject: input.layout.playlist,
    posterObject: input.out.posterPath ? input.layout.poster : null,
    originalObject: input.originalObject,
    storageBytes: input.storageBytes,
  };
}

/**
 * What the Vod keeps in storage: every object under its prefix as the store lists it (so objects
 * an earlier, redone attempt left there count too: they are stored and paid for). A listing that
 * fails does not hold the Vod back: null, and the worker's backfill (storage-accounting.ts) fills it in.
 */
export async function storedBytes(store: Pick<GcsStore, 'prefixBytes'>, prefix: string, log: Logger): Promise<number | null> {
  try {
    return await store.prefixBytes(prefix);
  } catch (err) {
    log.warn({ err: (err as Error).message, prefix }, 'could not list the stored objects; storage bytes filled in later');
    return null;
  }
}
