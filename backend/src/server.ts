// Starts the whole backend (HTTP + webhook delivery worker) from a config; used by main.ts and by
// tests that need a real server on a real port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { createContext, type AppContext } from './context.js';
import { createRequestListener } from './http/app.js';
import { startReconciler, type Reconciler } from './ome/reconcile.js';
import { OmeRestClient } from './ome/rest-client.js';
import { OmePushClient } from './ome/push-client.js';
import { startOutputSupervisor, type OutputSupervisor } from './outputs/supervisor.js';
import { startCloseWorker } from './streams/close-retry.js';
import { startKickWorker } from './streams/kick.js';
import { startReconnectSweeper, type ReconnectSweeper } from './streams/reconnect-expiry.js';
import { startDeliveryWorker } from './webhooks/delivery.js';
import { startHealthSampler, type HealthSampler } from './health/sampler.js';
import type { Resolver } from './net/guarded-agent.js';
import { queueEvent, recordEvent, requeuePending } from './webhooks/emit.js';

export interface RunningBackend {
  ctx: AppContext;
  server: Server;
  url: string;
  worker: Worker | null;
  closeWorker: Worker;
  kickWorker: Worker;
  reconciler: Reconciler;
  reconnectSweeper: ReconnectSweeper;
  healthSampler: HealthSampler;
  outputSupervisor: OutputSupervisor;
  stop(): Promise<void>;
}


function omeRestClient(config: Config): OmeRestClient {
  const o = config.ome;
  return new OmeRestClient({ apiUrl: o.apiUrl, accessToken: o.apiAccessToken, timeoutMs: o.apiTimeoutMs, vhost: o.vhost, app: o.app });
}

/** How often (and how old a never-queued delivery must be before) the outbox repair queues it. */
const OUTBOX_REPAIR_MS = 30_000;

export interface BackendHooks {
  /** DNS for outgoing webhook receivers (tests stand in for it); the system resolver otherwise. */
  resolve?: Resolver;
}

export async function startBackend(config: Config, logger: Logger, hooks: BackendHooks = {}): Promise<RunningBackend> {
  const ctx = createContext(config, logger);
  await ctx.hub.start();
  const closeWorker = startCloseWorker(ctx.lifecycle, ctx.redis.duplicate(), ctx.bullPrefix, logger.child({ domain: 'lifecycle' }));
  const ome = omeRestClient(config);
  const kickWorker = startKickWorker({ db: ctx.db, ome, logger: logger.child({ domain: 'kick' }) }, ctx.redis.duplicate(), ctx.bullPrefix);
  let worker: Worker | null = null;
  if (config.webhooks.runWorker) {
    worker = startDeliveryWorker({ db: ctx.db, logger: logger.child({ domain: 'webhooks' }), timeoutMs: config.webhooks.timeoutMs, metrics: ctx.metrics, policy: config.outbound, autoDisableMs: config.webhooks.autoDisableDays * 86_400_000, ...(hooks.resolve ? { resolve: hooks.resolve } : {}) }, ctx.redis.duplicate(), ctx.bullPrefix);
    const n = await requeuePending(ctx.emitDeps).catch((err: unknown) => {
      logger.warn({ err }, 'could not requeue pending webhook deliveries');
      return 0;
    });
    if (n) logger.info({ count: n }, 'requeued pending webhook deliveries');
  }
  const server = createServer(createRequestListener(ctx));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // OME keeps admission connections alive; keep idle sockets a little longer than typical proxies.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
  logger.info({ url }, 'backend listening');
  // Streams left "live" by closings lost while we were down are ended once OME confirms it lacks them.
  const reconciler = startReconciler(
    { db: ctx.db, lifecycle: ctx.lifecycle, ome, broadcasts: ctx.broadcasts, logger: logger.child({ domain: 'reconcile' }) },
    config.ome.reconcileIntervalSeconds * 1000,
  );
  // Reconnect windows that passed (also while this replica was down) end on the first sweep.
  // Health over time while live: one replica samples per tick (health/sampler.ts).
  const healthSampler = startHealthSampler({ db: ctx.db, ome, logger: logger.child({ domain: 'health' }), retentionDays: config.healthSamples.retentionDays }, config.healthSamples.intervalMs);
  const reconnectSweeper = startReconnectSweeper({ db: ctx.db, lifecycle: ctx.lifecycle, logger: logger.child({ domain: 'lifecycle' }) }, config.reconnectSweepIntervalMs);
  // Restream outputs: OME's pushes follow the streams on air; ticks on every status change (any replica) and output change.
  const o = config.ome;
  const outputSupervisor = startOutputSupervisor(
    {
      db: ctx.db,
      ome: new OmePushClient({ apiUrl: o.apiUrl, accessToken: o.apiAccessToken, timeoutMs: o.apiTimeoutMs, vhost: o.vhost, app: o.app }),
      outbox: { record: recordEvent, queue: (eventId, type) => queueEvent(ctx.emitDeps, eventId, type) },
      logger: logger.child({ domain: 'outputs' }),
      keyRing: config.outputs.keyRing,
      policy: config.outbound,
      retryBaseMs: config.outputs.retryBaseMs,
      retryMaxMs: config.outputs.retryMaxMs,
      // The same resolver as webhook deliveries (tests stand in for DNS through hooks.resolve).
      ...(hooks.resolve ? { resolveHost: async (h: string) => (await hooks.resolve!(h)).map((a) => a.address) } : {}),
    },
    config.outputs.pollIntervalMs,
  );
  ctx.outputTrigger.fire = () => outputSupervisor.trigger();
  const unlisten = ctx.hub.listen((msg) => {
    if (msg.kind === 'status') outputSupervisor.trigger();
  });

  // Outbox repair: deliveries recorded but never queued (this or another process died between a
  // commit and its queueing, or Redis was away) are queued here; a row's job id is its natural key,
  // so one that is queued already is not queued twice.
  const repair = setInterval(() => {
    requeuePending(ctx.emitDeps, OUTBOX_REPAIR_MS)
      .then((n) => n && logger.info({ count: n }, 'queued webhook deliveries that were recorded but not queued'))
      .catch((err: unknown) => logger.warn({ err }, 'outbox repair failed'));
  }, OUTBOX_REPAIR_MS);
  repair.unref();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting connections; in-flight requests run to completion (up to 10 s), event streams
      // end now (the dashboard reconnects to another replica), keep-alive sockets close once idle.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Only event streams are tracked (streams/sse.ts): a set touched by every request was a
      // measurable share of what thousands of beacons a second promote to the old generation.
      for (const res of ctx.eventStreams) res.end();
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      force.unref();
      await closed;
      clearInterval(idle);
      clearTimeout(force);
      clearInterval(repair);
      await reconciler.stop();
      await reconnectSweeper.stop();
      await healthSampler.stop();
      unlisten();
      ctx.outputTrigger.fire = () => undefined;
      await outputSupervisor.stop();
      if (worker) await worker.close();
      await closeWorker.close();
      await kickWorker.close();
      await ctx.close();
    })());
  return { ctx, server, url, worker, closeWorker, kickWorker, reconciler, reconnectSweeper, healthSampler, outputSupervisor, stop };
}
