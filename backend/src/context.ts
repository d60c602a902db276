// Builds every long-lived dependency once; the HTTP app and the workers receive this object.
import type { ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Queue } from 'bullmq';
import { Analytics } from './analytics/service.js';
import { ApiKeyService } from './auth/api-keys/service.js';
import { SessionService } from './auth/sessions/service.js';
import { AuthVersions } from './auth/sessions/versions.js';
import type { Config } from './config/index.js';
import { createDb, type Db } from './db/client.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { AccessCache } from './streams/access-cache.js';
import { readStreamFacts } from './streams/facts.js';
import { StreamEventsHub } from './streams/events.js';
import { StreamLifecycle } from './streams/lifecycle.js';
import { createCloseQueue, type CloseJob } from './streams/close-retry.js';
import { Broadcasts, createKickQueue, type KickJob } from './streams/kick.js';
import { createObjectDeletionQueue, type ObjectDeletionJob } from './vods/deletions.js';
import { createVodEditQueue, type VodEditJob } from './vods/edit-jobs.js';
import { queueEvent, recordEvent, type EmitDeps } from './webhooks/emit.js';
import type { WebhookJobData } from './webhooks/events.js';
import { createWebhookQueue } from './webhooks/queue.js';

export interface AppContext {
  config: Config;
  logger: Logger;
  db: Db;
  /** Commands (queues, pub). */
  redis: Redis;
  /** Subscriber connection (a subscribed ioredis client can do nothing else). */
  redisSub: Redis;
  bullPrefix: string;
  webhookQueue: Queue<WebhookJobData>;
  closeQueue: Queue<CloseJob>;
  /** Publisher kicks through OME's REST API (streams/kick.ts). */
  kickQueue: Queue<KickJob>;
  /** Ends a broadcast for a reason and kicks its publisher (rotate, disable, admin actions). */
  broadcasts: Broadcasts;
  /** VOD object deletions carried out by the VOD worker (vods/deletions.ts). */
  deletionQueue: Queue<ObjectDeletionJob>;
  /** Clips and MP4 downloads carried out by the VOD worker (vods/edit-jobs.ts). */
  vodEditQueue: Queue<VodEditJob>;
  emitDeps: EmitDeps;
  hub: StreamEventsHub;
  lifecycle: StreamLifecycle;
  accessCache: AccessCache;
  metrics: Metrics;
  /** Server-to-server API keys (`ocp_…`), checked by requireSession. */
  apiKeys: ApiKeyService;
  /** Dashboard sessions (the rows behind session JWTs), checked by requireSession. */
  sessions: SessionService;
  /** Viewer beacons: judged, rate-limited, buffered and written in batches (analytics/). */
  analytics: Analytics;
  /** Asks the restream output supervisor for a tick soon (set by server.ts once it runs; a no-op before). */
  outputTrigger: { fire(): void };
  /** Open Server-Sent Event responses (streams/sse.ts): shutdown ends them, as they never end on their own. */
  eventStreams: Set<ServerResponse>;
  close(): Promise<void>;
}

export function redisClient(url: string, name: string): Redis {
  // maxRetriesPerRequest null: BullMQ requires it, and commands wait for a reconnect instead of failing.
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: false });
}

export function createContext(config: Config, logger: Logger): AppContext {
  const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
  const redis = redisClient(config.redisUrl, 'ocp-backend');
  const redisSub = redisClient(config.redisUrl, 'ocp-backend-sub');
  for (const [c, n] of [[redis, 'redis'], [redisSub, 'redis-sub']] as const) {
    c.on('error', (err) => logger.warn({ err: { message: err.message } }, `${n} connection error`));
  }
  const bullPrefix = `${config.redisPrefix}:bull`;
  const webhookQueue = createWebhookQueue(redis, bullPrefix);
  const closeQueue = createCloseQueue(redis, bullPrefix);
  const kickQueue = createKickQueue(redis, bullPrefix, { attempts: config.ome.kickAttempts, backoffMs: config.ome.kickBackoffMs });
  const deletionQueue = createObjectDeletionQueue(redis, bullPrefix);
  const vodEditQueue = createVodEditQueue(redis, bullPrefix);
  // Without a listener BullMQ prints connection errors to stderr, bypassing the JSON log.
  for (const [q, n] of [[webhookQueue, 'webhooks'], [closeQueue, 'stream-closings'], [kickQueue, 'ome-kicks'], [deletionQueue, 'object-deletions'], [vodEditQueue, 'vod-edits']] as const) {
    q.on('error', (err) => logger.warn({ err: { message: err.message }, queue: n }, 'queue connection error'));
  }
  const emitDeps: EmitDeps = { db, queue: webhookQueue, attempts: config.webhooks.attempts, backoffMs: config.webhooks.backoffMs };
  const hub = new StreamEventsHub(redis, redisSub, config.redisPrefix, logger.child({ domain: 'streams' }));
  const accessCache = new AccessCache(async (id) => {
    const s = await readStreamFacts(db, id);
    return s ? { visibility: s.visibility, status: s.status, ownerDisabled: s.ownerDisabled } : null;
  });
  hub.listen((msg) => {
    if (msg.kind !== 'account') accessCache.invalidate(msg.streamId);
  });
  const metrics = createMetrics(() => db.stream.count({ where: { status: 'live' } }));
  // Its own Redis connection for the beacon budgets' syncs (http/rate-budget.ts), failing fast while
  // Redis is away (the hits are kept and sent later) instead of queueing behind BullMQ's commands.
  const beaconRedis = redis.duplicate({ connectionName: 'ocp-backend-beacons', enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  beaconRedis.on('error', (err) => logger.debug({ err: { message: err.message } }, 'beacon redis connection error'));
  const analytics = new Analytics({ config, db, redis: beaconRedis, hub, logger: logger.child({ domain: 'analytics' }), registry: metrics.registry });
  const lifecycle = new StreamLifecycle({
    db,
    hub,
    logger: logger.child({ domain: 'lifecycle' }),
    outbox: { record: recordEvent, queue: (eventId, type) => queueEvent(emitDeps, eventId, type) },
    ...(config.testFaultPoint ? { faultPoint: config.testFaultPoint } : {}),
    onStatus: (id) => {
      accessCache.invalidate(id);
      analytics.streamChanged(id);
    },
  });
  const broadcasts = new Broadcasts({ lifecycle, queue: kickQueue, logger: logger.child({ domain: 'kick' }) });
  return {
    config,
    logger,
    db,
    redis,
    redisSub,
    bullPrefix,
    webhookQueue,
    closeQueue,
    kickQueue,
    broadcasts,
    deletionQueue,
    vodEditQueue,
    emitDeps,
    hub,
    lifecycle,
    accessCache,
    metrics,
    analytics,
    apiKeys: new ApiKeyService(db),
    sessions: new SessionService(db, new AuthVersions(redis, config.redisPrefix, config.auth.sessionTtlSeconds + 60, logger.child({ domain: 'auth' })), config.auth.sessionSecret, config.auth.sessionTtlSeconds),
    outputTrigger: { fire: () => undefined },
    eventStreams: new Set(),
    async close() {
      // First: beacons still buffered are written while the database is still there.
      await analytics.close().catch((err: unknown) => logger.warn({ err }, 'could not write the last viewer beacons'));
      beaconRedis.disconnect();
      await webhookQueue.close().catch(() => undefined);
      await closeQueue.close().catch(() => undefined);
      await kickQueue.close().catch(() => undefined);
      await deletionQueue.close().catch(() => undefined);
      await vodEditQueue.close().catch(() => undefined);
      redisSub.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await db.$disconnect();
    },
  };
}
