// Handler of one `vod-upload` job: recording file → HLS VOD + original + poster on GCS → Vod ready.
// A recording inside a StreamSession is instead registered as a piece of that broadcast, whose one
// Vod the session's join job makes (session-join-handler.ts). Idempotent: reloads by recording id,
// returns quietly when done, skips objects already stored.
import { rm } from 'node:fs/promises';
import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { recordingExtension } from '../recordings/info-xml.js';
import { findRecording, type FoundRecording } from '../recordings/locate.js';
import type { GcsStore } from '../storage/gcs.js';
import { vodObjectLayout } from '../storage/objects.js';
import type { RecordedVodEvent, VodEventSink } from '../vods/events.js';
import type { StreamRow, VodRepo, VodRow } from '../vods/repo.js';
import { sessionVodKey } from '../vods/pieces.js';
import { isUuid, vodTitle } from '../vods/session-match.js';
import { SOURCE_RENDITION } from '../vods/ladder.js';
import { retryPolicy } from './policy.js';
import { SESSION_JOIN_JOB, sessionJoinJobId, type SessionJoinPayload } from './session-join.js';
import type { Metrics } from '../metrics.js';
import type { VodUploadPayload } from './vod-upload.js';
import {
  checkSource, finishRemux, parsePayload, probeSource, readyDetails, remuxSource, storedBytes, uploadObjects, uploadPlan, verifyStored, withWorkDir,
} from './vod-upload-steps.js';

export interface HandlerDeps {
  config: Readonly<Config>;
  repo: VodRepo;
  store: GcsStore;
  events: VodEventSink;
  logger: Logger;
  metrics?: Metrics;
  /** The vod-upload queue itself: a broadcast's pieces enqueue their session's join job on it. */
  queue: Pick<Queue, 'add'>;
}

export type VodUploadOutcome =
  | { outcome: 'ready'; vodId: string; uploadedBytes: number; skippedObjects: number }
  | { outcome: 'already_ready'; vodId: string }
  | { outcome: 'discarded'; reason: 'record_disabled' }
  | { outcome: 'unknown_stream'; stream: string }
  /** A piece of a broadcast: its session's join job makes the one Vod (session-join-handler.ts). */
  | { outcome: 'piece_registered'; vodId: string; sessionId: string }
  /** A piece that arrived after its session's Vod was made: kept on disk, not joined (docs/vod.md). */
  | { outcome: 'late_piece'; vodId: string; sessionId: string }
  /** A ladder rendition (not the source) of a recording no session covers: kept on disk, no Vod (docs/vod.md). */
  | { outcome: 'rendition_without_session'; rendition: string };

/** The stream a recording belongs to, or the outcome that ends the job before any work. */
type Admission =
  | { go: false; outcome: VodUploadOutcome }
  | { go: true; stream: StreamRow; existing: VodRow | null; found: FoundRecording };

/**
 * Reload by recording id: nothing to do when its Vod is ready; never touch media of a stream we
 * cannot attribute; a stream with recording disabled gets its local file deleted and no Vod.
 */
async function admit(p: VodUploadPayload, repo: VodRepo, log: Logger): Promise<Admission> {
  const existing = await repo.findByRecording(p.recordingId);
  if (existing?.status === 'ready') {
    log.info({ vodId: existing.id }, 'recording already published; nothing to do');
    return { go: false, outcome: { outcome: 'already_ready', vodId: existing.id } };
  }
  const stream = isUuid(p.stream) ? await repo.findStream(p.stream) : null;
  if (!stream) {
    // Not ours (or deleted): never destroy media we cannot attribute.
    log.warn({ filePath: p.filePath }, 'recording of an unknown stream: file kept, no VOD created');
    return { go: false, outcome: { outcome: 'unknown_stream', stream: p.stream } };
  }
  const found = await findRecording(p.filePath, p.infoPath);
  if (!stream.record && !existing) {
    if (found.kind === 'file') await rm(found.path, { force: true });
    log.info('stream has recording disabled: local recording deleted, no VOD');
    return { go: false, outcome: { outcome: 'discarded', reason: 'record_disabled' } };
  }
  return { go: true, stream, existing, found };
}

export async function handleVodUpload(job: Job, deps: HandlerDeps): Promise<VodUploadOutcome> {
  const { config, repo } = deps;
  const p = parsePayload(job.data);
  const log = deps.logger.child({ jobId: job.id, recordingId: p.recordingId, streamId: p.stream, attempt: job.attemptsMade + 1 });

  const admitted = await admit(p, repo, log);
  if (!admitted.go) return admitted.outcome;
  const { stream, existing, found } = admitted;
  const start = p.startTime ? new Date(p.startTime) : null;

  // A recording inside a session's time is one piece of that broadcast; a Vod made for this
  // recording alone before (an older worker) keeps being handled on its own.
  const broadcast = existing ? null : await repo.findCoveringSession(stream.id, start, config.sessionSlackMs);
  if (broadcast) return addToBroadcast(p, stream, broadcast, found, deps, log);

  // Without a session there is nothing to group a publish's rendition files by: the source makes a
  // single-rendition Vod on its own (below), the other renditions are kept and not published.
  const rendition = p.rendition ?? null;
  if (rendition !== null && rendition !== SOURCE_RENDITION) {
    log.warn({ rendition, filePath: p.filePath }, 'ladder rendition of a recording no session covers: file kept, not published (its source makes the Vod)');
    return { outcome: 'rendition_without_session', rendition };
  }

  // The row exists before any check can fail, so a failure is recorded on it with the reason.
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

  const source = await checkSource(found, p.filePath); // locate
  const media = await probeSource(config.media, source.path); // probe
  const layout = vodObjectLayout(config.gcs.prefix, vod.id, recordingExtension(source.path));

  return withWorkDir(config.workDir, vod.id, async (work) => {
    const hls = await remuxSource(config.media, source.path, work, config.media.hlsSegmentSeconds); // remux
    const out = await finishRemux(config.media, hls, { path: source.path, media }, work, vlog);

    const plan = uploadPlan(layout, [{ localPath: source.path, objectName: layout.original }], out); // upload
    const stored = await uploadObjects(job, p, plan, { vodId: vod.id, recordingId: p.recordingId }, {
      store: deps.store, parallelism: config.gcs.uploadParallelism, metrics: deps.metrics, log: vlog,
    });
    const totals = verifyStored(plan, stored); // verify

    const { vod: ready, event } = await repo.markReady( // record, with its vod.ready (the outbox)
      vod.id,
      readyDetails({
        media, durationMs: media.durationMs, sizeBytes: source.size, out, layout, segmentSeconds: config.media.hlsSegmentSeconds, originalObject: layout.original,
        storageBytes: await storedBytes(deps.store, layout.prefix, vlog),
      }),
      (tx, v) => deps.events.record(tx, 'vod.ready', v),
    );
    vlog.info({ durationMs: media.durationMs, sizeBytes: source.size, segments: hls.segments.length }, 'VOD ready');
    await afterReady(deps, ready, event, [source.path], vlog);
    return { outcome: 'ready', vodId: vod.id, ...totals };
  });
}

/**
 * Registers the recording as a piece of its session and makes sure the session's join job exists.
 * The session's one Vod is created `pending` at once, so the dashboard shows it while the broadcast
 * goes on. A piece registered after the join made the Vod is marked late (the join marks those it
 * did not take the same way; whichever of the two runs last sees the other's write).
 */
async function addToBroadcast(
  p: VodUploadPayload,
  stream: StreamRow,
  sessionId: string,
  found: FoundRecording,
  deps: HandlerDeps,
  log: Logger,
): Promise<VodUploadOutcome> {
  const { repo, config } = deps;
  const start = p.startTime ? new Date(p.startTime) : null;
  const vodKey = sessionVodKey(sessionId);
  await repo.ensureSessionVod({ recordingId: vodKey, ownerId: stream.ownerId, streamId: stream.id, sessionId, title: vodTitle(stream.name, start) });
  const piece = await repo.registerPiece({
    recordingId: p.recordingId,
    sessionId,
    filePath: p.filePath,
    infoPath: p.infoPath,
    sourcePath: found.kind === 'file' ? found.path : null,
    startedAt: start,
    transactionId: p.transactionId,
    sequence: p.sequence,
    rendition: p.rendition ?? null,
  });
  const vod = (await repo.findByRecording(vodKey))!;
  const plog = log.child({ sessionId, vodId: vod.id });
  if (piece.status === 'waiting' && (vod.status === 'ready' || vod.status === 'failed')) {
    await repo.markPieceLate(piece.id);
    plog.warn({ filePath: p.filePath }, "recording arrived after its broadcast's VOD was made: kept on disk, not joined");
    return { outcome: 'late_piece', vodId: vod.id, sessionId };
  }
  if (piece.status === 'late') return { outcome: 'late_piece', vodId: vod.id, sessionId };
  await deps.queue.add(SESSION_JOIN_JOB, { sessionId } satisfies SessionJoinPayload, {
    jobId: sessionJoinJobId(sessionId),
    ...retryPolicy(config.queue.attempts, config.queue.backoffMs),
  });
  plog.info('recording registered as a piece of its broadcast; joined once the session is final');
  return { outcome: 'piece_registered', vodId: vod.id, sessionId };
}

/**
 * Once ready: vod.ready was written with the ready status (the outbox); it is queued now. A queue
 * failure loses nothing: the delivery rows are pending and the backend's outbox repair queues them.
 * Every object was verified against GCS, so the sources may go when nothing is to be kept.
 */
export async function afterReady(deps: Pick<HandlerDeps, 'config' | 'repo' | 'events'>, ready: VodRow, event: RecordedVodEvent, sources: string[], log: Logger): Promise<void> {
  if (deps.config.faultPoint === 'kill-after-commit:vod.ready') process.kill(process.pid, 'SIGKILL');
  try {
    await deps.events.queue(event);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'vod.ready recorded but not queued; the outbox repair queues it');
  }
  if (deps.config.retention.keepOriginalsHours === 0) {
    for (const f of sources) await rm(f, { force: true });
    await deps.repo.clearSourcePath(ready.id);
  }
}
