// Assembles the worker service from its config: reconcile → watch → work, plus health/metrics
// and the retention sweep. main.ts only adds process signals; tests start it the same way.
import http from 'node:http';
import { Queue, Worker } from 'bullmq';
import { OBJECT_DELETION_QUEUE } from '@ocp/backend/deletions';
import { VOD_EDIT_QUEUE } from '@ocp/backend/vod-edits';
import type { FSWatcher } from 'chokidar';
import { pino, type Logger } from 'pino';
import { createDb, type Db } from '@ocp/backend/db';
import type { Config } from './config/index.js';
import { VOD_UPLOAD_QUEUE } from './jobs/vod-upload.js';
import { handleObjectDeletion, requeueObjectDeletions } from './jobs/object-deletion-handler.js';
import { createEditsWorker, requeueEdits } from './jobs/edits-worker.js';
import { VodEditsRepo } from './vods/edits-repo.js';
import { createMetrics, type Metrics } from './metrics.js';
import { reconcile, watchRecordings, type DiscoveryDeps } from './recordings/discovery.js';
import { sweepOriginals } from './recordings/retention.js';
import { backfillStorageBytes } from './vods/storage-accounting.js';
import { createRedis } from './redis.js';
import { GcsStore } from './storage/gcs.js';
import type { VodEventSink } from './vods/events.js';
import { VodRepo } from './vods/repo.js';
import { createVodWorker, type VodWorker } from './worker.js';

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'vod-uploader' },
    redact: { paths: ['*.authorization', '*.token', '*.uri', 'uploadSessions', '*.signedUrl'], censor: '[redacted]' },
  });
}

export interface VodService {
  config: Readonly<Config>;
  db: Db;
  queue: Queue;
  worker: VodWorker;
  metrics: Metrics;
  http: http.Server;
  port: number;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  logger?: Logger;
  /** Where vod.ready / vod.failed go. Production passes the backend webhook outbox. */
  events: VodEventSink;
  db?: Db;
}

export async function startVodService(config: Readonly<Config>, opts: ServiceOptions): Promise<VodService> {
  const logger = opts.logger ?? createLogger(config);
  const db = opts.db ?? createDb(config.databaseUrl, { poolSize: config.queue.concurrency + 3 });
  const repo = new VodRepo(db);
  const store = new GcsStore(config.gcs);
  const metrics = createMetrics();
  let lastRedisError = '';
  const onRedisError = (err: Error) => {
    if (err.message !== lastRedisError) logger.warn({ err: err.message }, 'redis connection problem; reconnecting');
    lastRedisError = err.message;
  };
  const workerConn = createRedis(config.redisUrl, {}, onRedisError);
  const queueConn = createRedis(config.redisUrl, {}, onRedisError);
  const queue = new Queue(VOD_UPLOAD_QUEUE, { connection: queueConn, prefix: config.bullPrefix });
  queue.on('error', (err) => onRedisError(err));
  const discovery: DiscoveryDeps = { queue, repo, logger, attempts: config.queue.attempts, backoffMs: config.queue.backoffMs };
  const worker = createVodWorker({ config, repo, store, events: opts.events, logger, metrics, queue }, workerConn);
  // A deleted user's VOD objects (backend: admin user delete → ObjectDeletion rows + jobs).
  const deletionConn = createRedis(config.redisUrl, {}, onRedisError);
  const deletionQueue = new Queue(OBJECT_DELETION_QUEUE, { connection: queueConn, prefix: config.bullPrefix });
  deletionQueue.on('error', (err) => onRedisError(err));
  const deletionWorker = new Worker(OBJECT_DELETION_QUEUE, (job) => handleObjectDeletion(job, { db, store, logger }), {
    connection: deletionConn,
    prefix: config.bullPrefix,
    concurrency: 2,
    autorun: false,
  });
  deletionWorker.on('failed', (job, err) => logger.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'object deletion failed; will retry'));
  deletionWorker.on('error', (err) => logger.error({ err: err.message }, 'object-deletion worker error'));
  // Clips and MP4 downloads of stored VODs (backend: POST /api/vods/:id/clips, /download).
  const editsRepo = new VodEditsRepo(db);
  const editsConn = createRedis(config.redisUrl, {}, onRedisError);
  const editsQueue = new Queue(VOD_EDIT_QUEUE, { connection: queueConn, prefix: config.bullPrefix });
  editsQueue.on('error', (err) => onRedisError(err));
  const edits = createEditsWorker({ config, store, repo: editsRepo, events: opts.events, logger }, editsConn);

  let ready = false;
  const server = healthServer(metrics, () => ready, async () => {
    await queueConn.ping();
    await db.$queryRaw`SELECT 1`;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metrics.port, config.metrics.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  // Reconcile before taking new work: whatever finished while we were down gets its job.
  const first = await reconcile(config.recordingsDir, discovery);
  logger.info({ enqueued: first.enqueued.length, settled: first.settled, missingFiles: first.missingFiles }, 'start-up reconcile done');
  let watcher: FSWatcher | null = null;
  if (config.watch) watcher = await watchRecordings(config.recordingsDir, discovery);
  const requeued = await requeueObjectDeletions(db, deletionQueue);
  if (requeued) logger.info({ requeued }, 'object deletions left from before requeued');
  const requeuedEdits = await requeueEdits(editsRepo, editsQueue);
  if (requeuedEdits) logger.info({ requeued: requeuedEdits }, 'clips and downloads left from before requeued');
  void worker.worker.run();
  void deletionWorker.run();
  void edits.worker.run();
  await worker.worker.waitUntilReady();
  ready = true;

  // Periodic passes: local retention, and a reconcile in case a filesystem event was lost
  // (inotify drops events under load, and network volumes may deliver none at all).
  const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
    let running = false;
    const t = setInterval(() => {
      if (running) return;
      running = true;
      fn()
        .catch((err: Error) => logger.error({ err: err.message }, `${what} failed`))
        .finally(() => {
          running = false;
        });
    }, ms);
    t.unref();
    return t;
  };
  const timers = [
    every(config.retention.sweepIntervalMs, 'retention sweep', () => sweepOriginals(repo, config.retention.keepOriginalsHours, logger)),
    every(config.reconcileIntervalMs, 'periodic reconcile', () => reconcile(config.recordingsDir, discovery)),
    every(config.reconcileIntervalMs, 'object deletion requeue', () => requeueObjectDeletions(db, deletionQueue)),
    every(config.reconcileIntervalMs, 'storage accounting backfill', () => backfillStorageBytes(repo, store, logger)),
    every(config.reconcileIntervalMs, 'clip and download requeue', () => requeueEdits(editsRepo, editsQueue)),
  ];

  logger.info({ concurrency: config.queue.concurrency, bucket: config.gcs.bucket, recordingsDir: config.recordingsDir }, 'vod-uploader running');

  return {
    config,
    db,
    queue,
    worker,
    metrics,
    http: server,
    port,
    async stop() {
      ready = false;
      timers.forEach(clearInterval);
      await watcher?.close();
      await worker.close();
      await deletionWorker.close();
      await deletionQueue.close();
      await edits.close();
      await editsQueue.close();
      await queue.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      workerConn.disconnect();
      deletionConn.disconnect();
      editsConn.disconnect();
      queueConn.disconnect();
      if (!opts.db) await db.$disconnect();
    },
  };
}

function healthServer(metrics: Metrics, isReady: () => boolean, check: () => Promise<void>): http.Server {
  return http.createServer((req, res) => {
    const send = (code: number, body: string, type = 'application/json') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (req.url === '/healthz') return send(200, '{"status":"ok"}');
    if (req.url === '/readyz') {
      if (!isReady()) return send(503, '{"status":"starting"}');
      check().then(
        () => send(200, '{"status":"ready"}'),
        (err: Error) => send(503, JSON.stringify({ status: 'unavailable', reason: err.message })),
      );
      return;
    }
    if (req.url === '/metrics') {
      metrics.registry.metrics().then((m) => send(200, m, metrics.registry.contentType), () => send(500, ''));
      return;
    }
    send(404, '{"error":{"code":"not_found","message":"not found"}}');
  });
}
