// Viewer beacons, the use cases: judge a beacon (is it about a broadcast on air now, a VOD this
// viewer may play?), count it against the budgets, buffer it for the batched writers; and read a
// broadcast's latency percentiles back. One instance per process (AppContext.analytics); close()
// writes what is still buffered, on the backend's graceful shutdown.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { verifyVodPlaylistIssued } from '../auth/tokens.js';
import type { Config } from '../config/index.js';
import type { Db } from '../db/client.js';
import { asTickLeader } from '../db/tick-leader.js';
import { AppError, conflict, notFound, unauthorized } from '../http/errors.js';
import { SharedBudgets, type Budget, type BudgetVerdict } from '../http/rate-budget.js';
import type { StreamEventsHub } from '../streams/events.js';
import { readStreamFacts } from '../streams/facts.js';
import { BatchWriter } from './batch-writer.js';
import { FactCache } from './cache.js';
import { insertLatencySamples, latencyHistogram, latencyViewers, pruneLatencySamples, readVodFacts, upsertVodViews, type LatencyRow } from './repo.js';
import { foldVodBeacons, MAX_WATCHED_PER_BEACON_MS, summarizeLatency, vodTokenUsable, type ProtocolLatency, type ViewerProtocol, type VodBeacon } from './rules.js';
import type { LatencyBeacon, VodBeaconInput } from './schemas.js';

export type BeaconKind = 'latency' | 'vod';

const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 10_000;
/** Facts are re-read at most this often per stream or VOD (and at once on a status change). */
const FACT_TTL_MS = 10_000;
/** A beacon for another session than the cached one re-reads the stream if the entry is older than this. */
const RECHECK_AFTER_MS = 1_000;

interface StreamFacts {
  visibility: 'public' | 'private';
  /** The broadcast on air (live or reconnecting); null otherwise. */
  sessionId: string | null;
}
interface VodFacts {
  ready: boolean;
  durationMs: number | null;
}

export interface AnalyticsDeps {
  config: Config;
  db: Db;
  /** Rate budgets; a connection of its own, so a beacon flood never queues behind BullMQ. */
  redis: Redis;
  hub: StreamEventsHub;
  logger: Logger;
  registry: Registry;
}

type BeaconResult = 'accepted' | 'refused' | 'rate_limited' | 'invalid';

function beaconMetrics(registry: Registry) {
  const beacons = new Counter({ name: 'viewer_beacons_total', help: 'Viewer beacons by kind and outcome', labelNames: ['kind', 'result'], registers: [registry] });
  // The children, looked up once: labels hashed on every beacon were a measurable share of its cost.
  const children = new Map<string, { inc(): void }>();
  return {
    beacons,
    count(kind: BeaconKind, result: BeaconResult): void {
      const id = `${kind}:${result}`;
      let c = children.get(id);
      if (!c) children.set(id, (c = beacons.labels(kind, result)));
      c.inc();
    },
    rowsWritten: new Counter({ name: 'viewer_beacon_rows_written_total', help: 'Beacons written to the database', labelNames: ['kind'], registers: [registry] }),
    batches: new Counter({ name: 'viewer_beacon_batches_total', help: 'Batch statements that wrote beacons', labelNames: ['kind'], registers: [registry] }),
    dropped: new Counter({ name: 'viewer_beacon_rows_dropped_total', help: 'Beacons dropped (buffer full during a database outage, or unwritten at shutdown)', labelNames: ['kind'], registers: [registry] }),
    writeSeconds: new Histogram({ name: 'viewer_beacon_batch_write_seconds', help: 'Time to write one batch', labelNames: ['kind'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
  };
}

export class Analytics {
  readonly latency: BatchWriter<LatencyRow>;
  readonly vods: BatchWriter<VodBeacon>;
  readonly metrics: ReturnType<typeof beaconMetrics>;
  private readonly streams: FactCache<StreamFacts | null>;
  private readonly vodFacts: FactCache<VodFacts | null>;
  private readonly budgets: SharedBudgets;
  private readonly perIp: Budget;
  /** Per kind, so the table is keyed by the player id itself (same Redis keys: `…-viewer:<kind>:<id>`). */
  private readonly perViewer: Record<BeaconKind, Budget>;
  private readonly unlisten: () => void;
  private readonly pruneTimer: NodeJS.Timeout | null;

  constructor(private readonly deps: AnalyticsDeps) {
    const { config, db, logger } = deps;
    const b = config.beacons;
    const m = (this.metrics = beaconMetrics(deps.registry));
    const writer = <T>(kind: BeaconKind, write: (rows: T[]) => Promise<unknown>) =>
      new BatchWriter<T>({
        write: async (rows) => void (await retried(() => write(rows))),
        flushIntervalMs: b.flushIntervalMs,
        maxBatch: b.batchMaxRows,
        maxBuffered: b.bufferMaxRows,
        onWritten: (n, ms) => {
          m.rowsWritten.inc({ kind }, n);
          m.batches.inc({ kind });
          m.writeSeconds.observe({ kind }, ms / 1000);
        },
        onDropped: (n) => {
          m.dropped.inc({ kind }, n);
          logger.warn({ domain: 'analytics', kind, dropped: n }, 'viewer beacons dropped');
        },
        onError: (err, n) => logger.warn({ domain: 'analytics', kind, rows: n, err: (err as Error).message }, 'could not write viewer beacons; retried on the next flush'),
      });
    this.latency = writer<LatencyRow>('latency', (rows) => insertLatencySamples(db, rows));
    this.vods = writer<VodBeacon>('vod', (rows) => upsertVodViews(db, foldVodBeacons(rows), MAX_WATCHED_PER_BEACON_MS));

    this.streams = new FactCache(async (id) => {
      const s = await readStreamFacts(db, id);
      if (!s) return null;
      const onAir = (s.status === 'live' || s.status === 'reconnecting') && !s.ownerDisabled;
      return { visibility: s.visibility, sessionId: onAir ? s.openSessionId : null };
    }, FACT_TTL_MS);
    this.vodFacts = new FactCache(async (id) => {
      const v = await readVodFacts(db, id);
      return v ? { ready: v.status === 'ready' && v.playlistObject !== null, durationMs: v.durationMs } : null;
    }, FACT_TTL_MS);
    // A broadcast starting or ending (on any replica) changes which session beacons may name.
    this.unlisten = deps.hub.listen((msg) => {
      if (msg.kind === 'status' || msg.kind === 'changed') this.streamChanged(msg.streamId);
    });

    const prefix = `${config.redisPrefix}:rl:beacon`;
    this.budgets = new SharedBudgets(deps.redis, { logger });
    this.perIp = { prefix: `${prefix}-ip:`, limit: b.ratePerIpPerMinute };
    const perViewer = (kind: BeaconKind): Budget => ({ prefix: `${prefix}-viewer:${kind}:`, limit: b.ratePerViewerPerMinute });
    this.perViewer = { latency: perViewer('latency'), vod: perViewer('vod') };

    this.pruneTimer = b.latencyRetentionDays > 0 ? setInterval(() => void this.prune().catch((err: unknown) => logger.warn({ err, domain: 'analytics' }, 'latency sample pruning failed')), PRUNE_EVERY_MS) : null;
    this.pruneTimer?.unref();
  }

  /** A stream's status or settings changed (this replica's lifecycle; others' arrive over the hub). */
  streamChanged(streamId: string): void {
    this.streams.invalidate(streamId);
  }

  /** Counts a beacon against its client address's and its player's budgets (shared by the replicas through Redis). */
  budget(kind: BeaconKind, ip: string, viewerId: string): void {
    const [ip_, viewer] = this.budgets.take([{ budget: this.perIp, key: ip }, { budget: this.perViewer[kind], key: viewerId }]) as [BudgetVerdict, BudgetVerdict];
    const refuse = (v: BudgetVerdict, message: string) => {
      this.metrics.count(kind, 'rate_limited');
      throw Object.assign(new AppError(429, 'rate_limited', message), { retryAfterSeconds: v.retryAfterSeconds });
    };
    if (!ip_.allowed) refuse(ip_, `Too many beacons from this address; try again in ${ip_.retryAfterSeconds} s`);
    if (!viewer.allowed) refuse(viewer, `Too many beacons from this player (it should send one every 10 s); try again in ${viewer.retryAfterSeconds} s`);
  }

  /**
   * A latency beacon is about the stream's broadcast on air now. An unknown stream, or a private
   * one whose current broadcast is not the one named, is 404 alike (a private stream's session id
   * is only known to its viewers); a public stream named with another session is 409.
   */
  acceptLatency(b: LatencyBeacon, now = Date.now()): void | Promise<void> {
    // The common case (a fresh cache entry naming this session) stays synchronous: no promise per beacon.
    const cached = this.streams.peek(b.streamId, now);
    if (cached && cached.sessionId === b.sessionId) return this.keepLatency(b, now);
    return this.acceptLatencySlow(b, now);
  }

  private keepLatency(b: LatencyBeacon, now: number): void {
    this.latency.push({ sessionId: b.sessionId, at: now, viewerId: b.viewerId, protocol: b.protocol, rendition: b.rendition ?? null, latencyMs: b.latencyMs });
    this.metrics.count('latency', 'accepted');
  }

  private async acceptLatencySlow(b: LatencyBeacon, now: number): Promise<void> {
    let facts = await this.streams.get(b.streamId);
    if (facts?.sessionId !== b.sessionId) facts = await this.streams.get(b.streamId, RECHECK_AFTER_MS);
    if (!facts || (facts.sessionId !== b.sessionId && facts.visibility === 'private')) {
      this.metrics.count('latency', 'refused');
      throw notFound('Stream');
    }
    if (facts.sessionId !== b.sessionId) {
      this.metrics.count('latency', 'refused');
      throw conflict('session_not_live', facts.sessionId ? 'sessionId is not the broadcast on air now (it ended); read the current one from GET /api/public/streams/:id' : 'This stream is not on air');
    }
    this.keepLatency(b, now);
  }

  /**
   * A VOD beacon carries the VOD's playlist token (only the owner's dashboard hands one out). The
   * token is judged before the VOD is looked up, so without one the answer is the same whether
   * the VOD exists or not.
   */
  async acceptVod(b: VodBeaconInput, now = Date.now()): Promise<void> {
    const refuse = (err: AppError) => {
      this.metrics.count('vod', 'refused');
      return err;
    };
    let issuedAt: number;
    try {
      const claims = verifyVodPlaylistIssued(b.token, this.deps.config.auth.playbackSecret);
      if (claims.vodId !== b.vodId) throw new Error('another VOD');
      issuedAt = claims.iat;
    } catch {
      throw refuse(unauthorized('Missing or invalid playback token for this VOD', 'invalid_token'));
    }
    const v = await this.vodFacts.get(b.vodId);
    if (!v || !v.ready) throw refuse(notFound('VOD'));
    if (!vodTokenUsable(issuedAt, now, this.deps.config.gcs.signedUrlTtlSeconds, v.durationMs)) {
      throw refuse(unauthorized('The playback token has expired; reload the VOD page', 'token_expired'));
    }
    this.vods.push({ vodId: b.vodId, viewerId: b.viewerId, at: now, watchedMs: b.watchedMs, positionMs: b.positionMs });
    this.metrics.count('vod', 'accepted');
  }

  /** p50/p95 per protocol of a session, over its last `windowMinutes` (the whole of it when null). */
  async sessionLatency(sessionId: string, windowMinutes: number | null, now = Date.now()): Promise<Record<ViewerProtocol, ProtocolLatency>> {
    const from = windowMinutes ? new Date(now - windowMinutes * 60_000) : null;
    const [bins, viewers] = await Promise.all([latencyHistogram(this.deps.db, sessionId, from), latencyViewers(this.deps.db, sessionId, from)]);
    return summarizeLatency(bins, viewers);
  }

  /** Writes every buffered beacon now (tests; the writers flush on their own otherwise). */
  async flush(): Promise<void> {
    await Promise.all([this.latency.flush(), this.vods.flush()]);
  }

  /** Latency samples past LATENCY_SAMPLE_RETENTION_DAYS, in batches, by one replica at a time. */
  async prune(): Promise<number> {
    const days = this.deps.config.beacons.latencyRetentionDays;
    if (days <= 0) return 0;
    const n = await asTickLeader(this.deps.db, 'latencyRetention', async () => {
      let total = 0;
      for (let i = 0; i < 100; i++) {
        const deleted = await pruneLatencySamples(this.deps.db, days, PRUNE_BATCH);
        total += deleted;
        if (deleted < PRUNE_BATCH) break;
      }
      return total;
    }, { timeout: 5 * 60_000 });
    return n ?? 0;
  }

  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.unlisten();
    await Promise.all([this.latency.close(), this.vods.close(), this.budgets.close()]);
  }
}

/**
 * A batch statement can meet a concurrent one (another replica's batch on the same VodView rows:
 * deadlock 40P01) or a row deleted under it (its VOD or session deleted: FK violation 23503, which
 * the next attempt's EXISTS filter skips): both are tried once more before the batch waits for the
 * next flush.
 */
async function retried<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!/40P01|23503|deadlock|foreign key/i.test(errorText(err))) throw err;
    return write();
  }
}

function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    parts.push(String(e.code ?? ''), String(e.message ?? ''));
  }
  return parts.join(' ');
}
