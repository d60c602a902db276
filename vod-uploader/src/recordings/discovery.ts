// Turns finished recordings (entries of OME info files) into vod-upload jobs: once at start-up
// over the whole recordings tree, then on every info-file change. Enqueuing twice is harmless:
// the job id comes from OME's transactionId + sequence.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from 'pino';
import { retryPolicy } from '../jobs/policy.js';
import { SESSION_JOIN_JOB, sessionJoinJobId, type SessionJoinPayload } from '../jobs/session-join.js';
import { vodUploadJobId, type VodUploadPayload } from '../jobs/vod-upload.js';
import { renditionOfPath } from '../vods/ladder.js';
import type { VodRepo } from '../vods/repo.js';
import { InfoXmlError, parseRecordingInfo } from './info-xml.js';
import { findRecording } from './locate.js';

/** OME's InfoPath names: `info.xml` from the record map, `<id>_info.xml` style for API records. */
export function isInfoFile(fileName: string): boolean {
  return /(^|[_.-])info\.xml$/i.test(fileName);
}

export async function findInfoFiles(root: string, maxDepth = 8): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < maxDepth) await walk(p, depth + 1);
      else if (e.isFile() && isInfoFile(e.name)) found.push(p);
    }
  }
  await walk(root, 0);
  return found.sort();
}

export interface DiscoveryDeps {
  queue: Queue;
  repo: VodRepo;
  logger: Logger;
  attempts: number;
  backoffMs: number;
}

export interface DiscoveryResult {
  enqueued: string[];
  settled: number;
  missingFiles: number;
}

/** Enqueues every finished, not yet settled recording listed in one info file. */
export async function enqueueFromInfoFile(infoPath: string, deps: DiscoveryDeps): Promise<DiscoveryResult> {
  const log = deps.logger.child({ infoPath });
  let xml: string;
  try {
    xml = await readFile(infoPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { enqueued: [], settled: 0, missingFiles: 0 };
    throw err;
  }
  let parsed;
  try {
    parsed = parseRecordingInfo(xml);
  } catch (err) {
    // Possibly caught mid-rewrite; the next change event or reconcile pass reads it again.
    if (err instanceof InfoXmlError) {
      log.warn({ err: err.message }, 'info file unreadable; will retry on next change or reconcile');
      return { enqueued: [], settled: 0, missingFiles: 0 };
    }
    throw err;
  }
  for (const r of parsed.rejected) log.warn(r, 'info file entry skipped');

  const settled = await deps.repo.settledRecordingIds(parsed.recordings.map((r) => r.recordingId));
  const result: DiscoveryResult = { enqueued: [], settled: settled.size, missingFiles: 0 };
  const policy = retryPolicy(deps.attempts, deps.backoffMs);
  for (const r of parsed.recordings) {
    if (settled.has(r.recordingId)) continue;
    // Listed but gone: already handled (retention, record=false) or removed by someone; nothing to upload.
    // Something that is not a file is still queued, so the worker fails its Vod with the reason.
    if ((await findRecording(r.filePath, infoPath)).kind === 'missing') {
      result.missingFiles++;
      log.debug({ recordingId: r.recordingId, filePath: r.filePath }, 'listed recording file is absent; skipped');
      continue;
    }
    const payload: VodUploadPayload = {
      recordingId: r.recordingId,
      transactionId: r.transactionId,
      sequence: r.sequence,
      vhost: r.vhost,
      app: r.app,
      stream: r.stream,
      filePath: r.filePath,
      infoPath,
      rendition: renditionOfPath(r.filePath, r.stream),
      recordBytes: r.recordBytes,
      recordTimeMs: r.recordTimeMs,
      startTime: r.startTime,
      finishTime: r.finishTime,
    };
    await deps.queue.add('upload', payload, { jobId: vodUploadJobId(r.transactionId, r.sequence), ...policy });
    result.enqueued.push(r.recordingId);
  }
  if (result.enqueued.length) log.info({ recordingIds: result.enqueued }, 'recordings enqueued');
  return result;
}

/**
 * Start-up (and periodic) pass over the whole recordings tree: nothing finished while we were away is
 * missed. Then every broadcast with pieces still waiting gets its join job (a no-op while it exists).
 */
export async function reconcile(root: string, deps: DiscoveryDeps): Promise<DiscoveryResult> {
  const total: DiscoveryResult = { enqueued: [], settled: 0, missingFiles: 0 };
  for (const info of await findInfoFiles(root)) {
    const r = await enqueueFromInfoFile(info, deps);
    total.enqueued.push(...r.enqueued);
    total.settled += r.settled;
    total.missingFiles += r.missingFiles;
  }
  const policy = retryPolicy(deps.attempts, deps.backoffMs);
  for (const sessionId of await deps.repo.sessionsAwaitingJoin(root)) {
    await deps.queue.add(SESSION_JOIN_JOB, { sessionId } satisfies SessionJoinPayload, { jobId: sessionJoinJobId(sessionId), ...policy });
  }
  return total;
}

/** Watches for info files being written or rewritten by OME's FILE publisher; resolves once watching. */
export async function watchRecordings(root: string, deps: DiscoveryDeps): Promise<FSWatcher> {
  const watcher = watch(root, {
    ignoreInitial: true,
    depth: 8,
    // OME rewrites info files in place; wait until the size settles before reading.
    awaitWriteFinish: { stabilityThreshold: 300, pollInterval: 100 },
    ignored: (p, stats) => Boolean(stats?.isFile() && !isInfoFile(path.basename(p))),
  });
  const onInfo = (p: string) => {
    if (!isInfoFile(path.basename(p))) return;
    enqueueFromInfoFile(p, deps).catch((err: Error) => deps.logger.error({ err: err.message, infoPath: p }, 'enqueue from info file failed'));
  };
  watcher.on('add', onInfo).on('change', onInfo);
  // Files created in a directory before its own watch is in place raise no event (a new stream's
  // directory and an info file appearing together); scan each new directory once it is watched.
  watcher.on('addDir', (dir) => {
    setTimeout(() => {
      findInfoFiles(dir)
        .then((files) => Promise.all(files.map((f) => enqueueFromInfoFile(f, deps))))
        .catch((err: Error) => deps.logger.error({ err: err.message, dir }, 'scan of new recordings directory failed'));
    }, 250).unref();
  });
  watcher.on('error', (err) => deps.logger.error({ err: (err as Error).message }, 'recordings watcher error'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return watcher;
}
