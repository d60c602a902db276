// The one writer of stream status. Every transition is a single conditional SQL statement built
// from the state table, so concurrent webhooks can never produce an illegal state. The outgoing
// webhook it causes is written in the same transaction (the outbox: one delivery row per subscribed
// endpoint), so a crash can lose neither the change nor its event; queueing the deliveries and the
// SSE fan-out follow the commit, and anything recorded but not queued is queued by requeuePending.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { WebhookEventType } from '../webhooks/events.js';
import type { StreamEventsHub } from './events.js';
import { END_REASONS, transition, type StreamStatus } from './state.js';

export type Tx = Prisma.TransactionClient;

/** The webhook outbox: record inside the transition's transaction, queue after its commit. */
export interface Outbox {
  record(tx: Tx, event: { type: WebhookEventType; ownerId: string; data: Record<string, unknown>; eventId?: string }): Promise<string | null>;
  queue(eventId: string, type: WebhookEventType): Promise<unknown>;
}

/** What a committed transition does next: SSE, caches, and the queueing of its recorded event. */
interface Effect {
  streamId: string;
  ownerId: string;
  status: StreamStatus;
  at: Date;
  deadline: Date | null;
  event: { type: WebhookEventType; data: Record<string, unknown>; eventId?: string } | null;
  recorded?: string | null;
}

/** The database's clock, in UTC like every timestamp Prisma writes: all replicas share one clock. */
const DB_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
/** Most streams one expiry sweep ends (the next tick takes the rest). */
export const EXPIRY_BATCH = 500;

/**
 * A webhook event id fixed by what happened (event type, session, and the n-th drop/return), so
 * that if a transition's side effects ever ran twice, the outbox's unique (eventId, endpointId)
 * would still record one delivery per endpoint.
 */
export function sessionEventId(type: WebhookEventType, sessionId: string, n = 0): string {
  const h = createHash('sha256').update(`${type}|${sessionId}|${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface EndedByWindow {
  streamId: string;
  ownerId: string;
  sessionId: string | null;
  reconnects: number;
  /** When the publisher left for the last time (the session's endedAt). */
  endedAt: Date;
  /** When the transition was written. */
  at: Date;
  deadline: Date | null;
}

export interface LifecycleDeps {
  db: Db;
  hub: StreamEventsHub;
  outbox: Outbox;
  logger: Logger;
  onStatus?: (streamId: string, status: StreamStatus) => void;
  /**
   * Test-only fault injection (config `TEST_FAULT_POINT`, refused outside NODE_ENV=test):
   * `kill-after-commit:<event type>` SIGKILLs the process between a transition's commit and the
   * queueing of its event, which is the crash the outbox exists for.
   */
  faultPoint?: string;
}

export interface PublishStart {
  streamId: string;
  keyVersion: number;
  protocol: 'rtmp' | 'srt' | 'webrtc';
  clientAddress: string;
  clientPort: number;
}

export type StartResult = { ok: true; sessionId: string; ownerId: string; resumed: boolean } | { ok: false; reason: string };

export class StreamLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /**
   * A publish with a valid key: a new session from idle/ended (one statement, the fast path), or,
   * while the stream is reconnecting and its deadline has not passed, the SAME session continued.
   * A reconnecting stream whose deadline passed but which no sweep has ended yet is ended here
   * first (as the sweep would), and the publish then starts a new session.
   */
  async startPublish(p: PublishStart): Promise<StartResult> {
    const fresh = await this.startSession(p);
    if (fresh) return fresh;
    const resumed = await this.resumeSession(p);
    if (resumed) return resumed;
    const s = await this.deps.db.stream.findUnique({ where: { id: p.streamId }, select: { status: true, keyVersion: true } });
    if (s?.status === 'reconnecting' && s.keyVersion === p.keyVersion) {
      await this.expireDue({ streamId: p.streamId });
      const after = await this.startSession(p);
      if (after) return after;
    }
    return { ok: false, reason: await this.whyNotStarted(p) };
  }

  private async startSession(p: PublishStart): Promise<StartResult | null> {
    const t = transition('publish_started');
    return this.atomically(async (tx, fx) => {
      const rows = await tx.$queryRaw<{ sessionId: string; ownerId: string; at: Date }[]>`
        WITH s AS (
          UPDATE "Stream" SET status = ${t.to}::"StreamStatus", "lastStartedAt" = now(), "updatedAt" = now()
          WHERE id = ${p.streamId}::uuid AND "keyVersion" = ${p.keyVersion}
            AND status = ANY(${t.from as StreamStatus[]}::text[]::"StreamStatus"[])
          RETURNING id, "ownerId", "lastStartedAt"
        ), sess AS (
          INSERT INTO "StreamSession" (id, "streamId", protocol, "clientAddress", "clientPort", "startedAt")
          SELECT gen_random_uuid(), s.id, ${p.protocol}::"IngestProtocol", ${p.clientAddress}, ${p.clientPort}, s."lastStartedAt" FROM s
          RETURNING id, "streamId"
        )
        SELECT sess.id AS "sessionId", s."ownerId" AS "ownerId", s."lastStartedAt" AS at FROM sess JOIN s ON s.id = sess."streamId"`;
      const row = rows[0];
      if (!row) return null;
      this.after(fx, p.streamId, row.ownerId, 'live', row.at, { sessionId: row.sessionId, protocol: p.protocol }, { type: 'stream.live', sessionId: row.sessionId });
      return { ok: true as const, sessionId: row.sessionId, ownerId: row.ownerId, resumed: false };
    });
  }

  /**
   * reconnecting → live inside the window: the open session takes the new connection's address and
   * port (its closing call is the one that counts from now on), counts the reconnect, and its open
   * gap gets its end. Conditional on the key version and on the deadline not having passed.
   */
  private async resumeSession(p: PublishStart): Promise<StartResult | null> {
    const t = transition('publisher_returned');
    return this.atomically(async (tx, fx) => {
      const rows = await tx.$queryRaw<{ sessionId: string; ownerId: string; at: Date; reconnects: number; gapStartedAt: Date | null }[]>`
        WITH s AS (
          UPDATE "Stream" SET status = ${t.to}::"StreamStatus", "reconnectDeadline" = NULL, "updatedAt" = ${DB_NOW}
          WHERE id = ${p.streamId}::uuid AND "keyVersion" = ${p.keyVersion}
            AND status = ANY(${t.from as StreamStatus[]}::text[]::"StreamStatus"[])
            AND "reconnectDeadline" > ${DB_NOW}
            AND EXISTS (SELECT 1 FROM "StreamSession" o WHERE o."streamId" = ${p.streamId}::uuid AND o."endedAt" IS NULL)
          RETURNING id, "ownerId", "updatedAt"
        ), sess AS (
          UPDATE "StreamSession" SET "clientAddress" = ${p.clientAddress}, "clientPort" = ${p.clientPort}, "reconnectCount" = "reconnectCount" + 1
          WHERE "streamId" IN (SELECT id FROM s) AND "endedAt" IS NULL
          RETURNING id, "streamId", "reconnectCount"
        ), gap AS (
          UPDATE "StreamSessionGap" SET "endedAt" = (SELECT "updatedAt" FROM s)
          WHERE "sessionId" IN (SELECT id FROM sess) AND "endedAt" IS NULL
          RETURNING "startedAt"
        )
        SELECT sess.id AS "sessionId", s."ownerId" AS "ownerId", s."updatedAt" AS at, sess."reconnectCount" AS reconnects,
               (SELECT max("startedAt") FROM gap) AS "gapStartedAt"
        FROM sess JOIN s ON s.id = sess."streamId"`;
      const row = rows[0];
      if (!row) return null;
      this.after(
        fx, p.streamId, row.ownerId, 'live', row.at,
        { sessionId: row.sessionId, protocol: p.protocol, reconnects: row.reconnects, gapStartedAt: row.gapStartedAt?.toISOString() ?? null },
        { type: 'stream.reconnected', sessionId: row.sessionId, n: row.reconnects },
      );
      return { ok: true as const, sessionId: row.sessionId, ownerId: row.ownerId, resumed: true };
    });
  }

  private async whyNotStarted(p: PublishStart): Promise<string> {
    const s = await this.deps.db.stream.findUnique({ where: { id: p.streamId }, select: { status: true, keyVersion: true } });
    if (!s) return 'unknown stream';
    if (s.keyVersion !== p.keyVersion) return 'stream key was revoked';
    if (s.status === 'disabled') return 'stream disabled';
    if (s.status === 'live') return 'stream already live';
    if (s.status === 'reconnecting') return 'stream unavailable';
    return 'stream unavailable';
  }

  /**
   * A publisher's closing call, matched to its open session by client address + port. A closing
   * that matches no open session (e.g. the closing OME sends after a denied publish, or the old
   * connection's closing after a reconnect took the session over) changes nothing, so a refused
   * intruder can never end, or open a reconnect window on, someone else's broadcast.
   *
   * With a reconnect window (> 0 s) a live stream goes to `reconnecting` with a deadline and the
   * session stays open (`stream.disconnected`); with 0 it ends at once (`stream.ended`), as before.
   */
  async endPublish(p: { streamId: string; clientAddress: string; clientPort: number; reason: string; at?: Date }): Promise<'reconnecting' | 'ended' | false> {
    const at = p.at ?? new Date();
    if (await this.losePublisher(p.streamId, p.clientAddress, p.clientPort, at)) return 'reconnecting';
    const t = transition('publish_ended');
    return this.atomically(async (tx, fx) => {
      const rows = await tx.$queryRaw<{ id: string; ownerId: string; at: Date; sessionId: string }[]>`
        WITH ended AS (
          UPDATE "StreamSession" SET "endedAt" = ${at}, "endReason" = ${p.reason}
          WHERE "streamId" = ${p.streamId}::uuid AND "clientAddress" = ${p.clientAddress} AND "clientPort" = ${p.clientPort} AND "endedAt" IS NULL
            -- A reconnecting stream's session is ended only by its window (expiry, rotation, disable):
            -- a repeated closing (the retry queue) must not close it under the window.
            AND NOT EXISTS (SELECT 1 FROM "Stream" r WHERE r.id = ${p.streamId}::uuid AND r.status = 'reconnecting')
          RETURNING id, "streamId"
        ), st AS (
          UPDATE "Stream" SET status = ${t.to}::"StreamStatus", "lastEndedAt" = ${at}, "updatedAt" = now()
          WHERE id IN (SELECT "streamId" FROM ended)
            AND status = ANY(${t.from as StreamStatus[]}::text[]::"StreamStatus"[])
            AND NOT EXISTS (
              SELECT 1 FROM "StreamSession" o WHERE o."streamId" = ${p.streamId}::uuid AND o."endedAt" IS NULL
                AND o.id NOT IN (SELECT id FROM ended))
          RETURNING id, "ownerId", "lastEndedAt"
        )
        SELECT st.id, st."ownerId", st."lastEndedAt" AS at, (SELECT id FROM ended LIMIT 1) AS "sessionId" FROM st`;
      const row = rows[0];
      if (!row) return false as const;
      this.after(fx, p.streamId, row.ownerId, 'ended', row.at, { sessionId: row.sessionId, reason: p.reason }, { type: 'stream.ended', sessionId: row.sessionId });
      return 'ended' as const;
    });
  }

  /**
   * live → reconnecting for a stream with a window: the deadline is the closing time + the window,
   * the session stays open and gets a gap starting at the closing time. One conditional statement.
   */
  private async losePublisher(streamId: string, clientAddress: string, clientPort: number, at: Date): Promise<boolean> {
    const t = transition('publisher_lost');
    return this.atomically(async (tx, fx) => {
      const rows = await tx.$queryRaw<{ ownerId: string; deadline: Date; sessionId: string; drops: number }[]>`
        WITH sess AS (
          SELECT id, "reconnectCount" FROM "StreamSession"
          WHERE "streamId" = ${streamId}::uuid AND "clientAddress" = ${clientAddress} AND "clientPort" = ${clientPort} AND "endedAt" IS NULL
          LIMIT 1
        ), st AS (
          UPDATE "Stream"
          SET status = ${t.to}::"StreamStatus", "updatedAt" = ${DB_NOW},
              "reconnectDeadline" = ${at}::timestamp + make_interval(secs => "reconnectWindowSeconds")
          WHERE id = ${streamId}::uuid AND "reconnectWindowSeconds" > 0
            AND status = ANY(${t.from as StreamStatus[]}::text[]::"StreamStatus"[])
            AND EXISTS (SELECT 1 FROM sess)
          RETURNING id, "ownerId", "reconnectDeadline"
        ), gap AS (
          INSERT INTO "StreamSessionGap" (id, "sessionId", "startedAt")
          SELECT gen_random_uuid(), sess.id, ${at}::timestamp FROM sess WHERE EXISTS (SELECT 1 FROM st)
          RETURNING id
        )
        SELECT st."ownerId", st."reconnectDeadline" AS deadline, sess.id AS "sessionId",
               sess."reconnectCount" + 1 AS drops, (SELECT count(*) FROM gap) AS gaps
        FROM st, sess`;
      const row = rows[0];
      if (!row) return false;
      this.after(
        fx, streamId, row.ownerId, 'reconnecting', at,
        { sessionId: row.sessionId, reason: END_REASONS.publisherDisconnected, reconnectDeadline: row.deadline.toISOString() },
        { type: 'stream.disconnected', sessionId: row.sessionId, n: Number(row.drops) },
        row.deadline,
      );
      return true;
    });
  }

  /**
   * reconnecting → ended for every stream whose deadline has passed (or, with `streamId`, that one
   * stream if its deadline has passed). The statement's own WHERE (status = 'reconnecting' AND
   * deadline <= now) makes it the guard: two sweeps (two replicas, or a sweep and a late publish)
   * may both run it, only one gets the row back, and only that one sends `stream.ended`.
   */
  async expireDue(opts: { streamId?: string } = {}): Promise<EndedByWindow[]> {
    const t = transition('window_expired');
    const due = opts.streamId
      ? Prisma.sql`s.id = ${opts.streamId}::uuid`
      : Prisma.sql`s.id IN (SELECT d.id FROM "Stream" d WHERE d.status = 'reconnecting' AND d."reconnectDeadline" <= ${DB_NOW}
                     ORDER BY d."reconnectDeadline" LIMIT ${EXPIRY_BATCH} FOR UPDATE SKIP LOCKED)`;
    return this.closeWindows(t.from, t.to, due, Prisma.sql`AND s."reconnectDeadline" <= ${DB_NOW}`, END_REASONS.windowExpired);
  }

  /**
   * Cuts a stream's reconnect window short (key rotated, stream disabled): reconnecting → ended at
   * once with `reason`. Does nothing to a stream that is not reconnecting.
   */
  async cancelWindow(streamId: string, reason: string): Promise<boolean> {
    const t = transition('window_cancelled');
    const ended = await this.closeWindows(t.from, t.to, Prisma.sql`s.id = ${streamId}::uuid`, Prisma.empty, reason);
    return ended.length > 0;
  }

  private async closeWindows(from: readonly StreamStatus[], to: StreamStatus, which: Prisma.Sql, extra: Prisma.Sql, reason: string): Promise<EndedByWindow[]> {
    // The session ends when its publisher left for the last time (the start of its open gap).
    return this.atomically(async (tx, fx) => {
      const rows = await tx.$queryRaw<{ streamId: string; ownerId: string; endedAt: Date; at: Date; deadline: Date | null; sessionId: string | null; reconnects: number | null }[]>`
        WITH st AS (
          UPDATE "Stream" s
          SET status = ${to}::"StreamStatus", "reconnectDeadline" = NULL, "updatedAt" = ${DB_NOW},
              "lastEndedAt" = COALESCE((
                SELECT max(g."startedAt") FROM "StreamSessionGap" g JOIN "StreamSession" o ON o.id = g."sessionId"
                WHERE o."streamId" = s.id AND o."endedAt" IS NULL AND g."endedAt" IS NULL), ${DB_NOW})
          WHERE ${which}
            AND s.status = ANY(${from as StreamStatus[]}::text[]::"StreamStatus"[]) ${extra}
          RETURNING s.id, s."ownerId", s."lastEndedAt", s."updatedAt",
            (SELECT r."reconnectDeadline" FROM "Stream" r WHERE r.id = s.id) AS deadline
        ), sess AS (
          UPDATE "StreamSession" o SET "endedAt" = st."lastEndedAt", "endReason" = ${reason}
          FROM st WHERE o."streamId" = st.id AND o."endedAt" IS NULL
          RETURNING o.id, o."streamId", o."reconnectCount"
        )
        SELECT st.id AS "streamId", st."ownerId", st."lastEndedAt" AS "endedAt", st."updatedAt" AS at, st.deadline,
               sess.id AS "sessionId", sess."reconnectCount" AS reconnects
        FROM st LEFT JOIN sess ON sess."streamId" = st.id`;
      const out = rows.map((r) => ({ ...r, reconnects: r.reconnects ?? 0 }));
      for (const r of out) {
        this.after(
          fx, r.streamId, r.ownerId, 'ended', r.at,
          { sessionId: r.sessionId, reason, endedAt: r.endedAt.toISOString(), reconnects: r.reconnects },
          r.sessionId ? { type: 'stream.ended', sessionId: r.sessionId } : undefined,
        );
      }
      return out;
    });
  }

  /**
   * Ends a stream the database says is live but OME no longer has (a closing webhook lost while the
   * backend was down): closes every open session with `reason` and moves live → ended. Only streams
   * that went live before `startedBefore` qualify, so a publish admitted while OME was being asked
   * (OME creates the stream just after admission) is never ended by mistake.
   */
  async reconcileEnded(p: { streamId: string; reason: string; startedBefore: Date }): Promise<boolean> {
    const t = transition('publish_ended');
    return this.atomically(async (tx, fx) => {
      const rows = await tx.$queryRaw<{ id: string; ownerId: string; at: Date; sessionId: string | null }[]>`
        WITH st AS (
          UPDATE "Stream" SET status = ${t.to}::"StreamStatus", "lastEndedAt" = now(), "updatedAt" = now()
          WHERE id = ${p.streamId}::uuid
            AND status = ANY(${t.from as StreamStatus[]}::text[]::"StreamStatus"[])
            AND ("lastStartedAt" IS NULL OR "lastStartedAt" < ${p.startedBefore})
          RETURNING id, "ownerId", "lastEndedAt"
        ), ended AS (
          UPDATE "StreamSession" SET "endedAt" = now(), "endReason" = ${p.reason}
          WHERE "streamId" IN (SELECT id FROM st) AND "endedAt" IS NULL
          RETURNING id
        )
        SELECT st.id, st."ownerId", st."lastEndedAt" AS at, (SELECT id FROM ended LIMIT 1) AS "sessionId" FROM st`;
      const row = rows[0];
      if (!row) return false;
      this.after(fx, p.streamId, row.ownerId, 'ended', row.at, { sessionId: row.sessionId, reason: p.reason }, row.sessionId ? { type: 'stream.ended', sessionId: row.sessionId } : undefined);
      return true;
    });
  }

  async setDisabled(streamId: string, disabled: boolean): Promise<boolean> {
    const t = transition(disabled ? 'disable' : 'enable');
    return this.atomically(async (tx, fx) => {
      const res = await tx.stream.updateMany({
        where: { id: streamId, status: { in: [...t.from] } },
        data: { status: t.to },
      });
      if (res.count === 0) return false;
      const s = await tx.stream.findUnique({ where: { id: streamId }, select: { ownerId: true, updatedAt: true } });
      if (s) this.after(fx, streamId, s.ownerId, t.to, s.updatedAt, {});
      return true;
    });
  }

  /**
   * Runs a transition and the outbox writes of the events it causes in one transaction; after the
   * commit, queues those events and fans the change out. Queueing that fails (Redis away) is only
   * logged: the rows are pending and requeuePending queues them.
   */
  private async atomically<T>(work: (tx: Tx, fx: Effect[]) => Promise<T>): Promise<T> {
    const fx: Effect[] = [];
    const result = await this.deps.db.$transaction(async (tx) => {
      fx.length = 0; // a retried callback starts over
      const r = await work(tx, fx);
      for (const e of fx) if (e.event) e.recorded = await this.deps.outbox.record(tx, { ...e.event, ownerId: e.ownerId });
      return r;
    }, { maxWait: 2_500, timeout: 10_000 });
    for (const e of fx) {
      if (e.event && this.deps.faultPoint === `kill-after-commit:${e.event.type}`) process.kill(process.pid, 'SIGKILL');
      this.published(e);
    }
    return result;
  }

  /**
   * Side effects of a committed transition: SSE fan-out (with the reconnect deadline while
   * reconnecting) and the outgoing webhook. `hook` names the event and the session it belongs to
   * (its id is then fixed by them); without it the event type follows the status, as before.
   */
  private after(
    fx: Effect[], streamId: string, ownerId: string, status: StreamStatus, at: Date, extra: Record<string, unknown>,
    hook?: { type: WebhookEventType; sessionId: string; n?: number }, deadline: Date | null = null,
  ): void {
    const type: WebhookEventType | null = hook?.type ?? (status === 'live' ? 'stream.live' : status === 'ended' ? 'stream.ended' : null);
    const eventId = type && hook ? sessionEventId(type, hook.sessionId, hook.n ?? 0) : undefined;
    fx.push({
      streamId, ownerId, status, at, deadline,
      event: type ? { type, data: { streamId, status, at: at.toISOString(), ...extra }, ...(eventId ? { eventId } : {}) } : null,
    });
  }

  private published(e: Effect): void {
    this.deps.onStatus?.(e.streamId, e.status);
    void this.deps.hub.publish({ kind: 'status', streamId: e.streamId, ownerId: e.ownerId, status: e.status, at: e.at.toISOString(), reconnectDeadline: e.deadline?.toISOString() ?? null });
    if (e.event && e.recorded) {
      const type = e.event.type;
      this.deps.outbox.queue(e.recorded, type).catch((err: unknown) => this.deps.logger.warn({ err, streamId: e.streamId, type }, 'could not queue outgoing webhook; requeued later'));
    }
  }
}
