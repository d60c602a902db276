// The one writer of stream status. Every transition is a single conditional SQL statement built
// from the state table, so concurrent webhooks can never produce an illegal state; side effects
// (SSE fan-out, outgoing webhooks) run only after the statement committed.
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { WebhookEventType } from '../webhooks/events.js';
import type { StreamEventsHub } from './events.js';
import { transition, type StreamStatus } from './state.js';

export type Emit = (event: { type: WebhookEventType; ownerId: string; data: Record<string, unknown> }) => Promise<unknown>;

export interface LifecycleDeps {
  db: Db;
  hub: StreamEventsHub;
  emit: Emit;
  logger: Logger;
  onStatus?: (streamId: string, status: StreamStatus) => void;
}

export interface PublishStart {
  streamId: string;
  keyVersion: number;
  protocol: 'rtmp' | 'srt' | 'webrtc';
  clientAddress: string;
  clientPort: number;
}

export type StartResult = { ok: true; sessionId: string; ownerId: string } | { ok: false; reason: string };

export class StreamLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  async startPublish(p: PublishStart): Promise<StartResult> {
    const t = transition('publish_started');
    const rows = await this.deps.db.$queryRaw<{ sessionId: string; ownerId: string; at: Date }[]>`
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
    if (row) {
      this.after(p.streamId, row.ownerId, 'live', row.at, { sessionId: row.sessionId, protocol: p.protocol });
      return { ok: true, sessionId: row.sessionId, ownerId: row.ownerId };
    }
    return { ok: false, reason: await this.whyNotStarted(p) };
  }

  private async whyNotStarted(p: PublishStart): Promise<string> {
    const s = await this.deps.db.stream.findUnique({ where: { id: p.streamId }, select: { status: true, keyVersion: true } });
    if (!s) return 'unknown stream';
    if (s.keyVersion !== p.keyVersion) return 'stream key was revoked';
    if (s.status === 'disabled') return 'stream disabled';
    if (s.status === 'live') return 'stream already live';
    return 'stream unavailable';
  }

  /**
   * Ends the publisher session that OME identifies by client address + port. A closing call that
   * matches no open session (e.g. the closing OME sends after a denied publish) changes nothing,
   * so a refused intruder can never end someone else's live stream.
   */
  async endPublish(p: { streamId: string; clientAddress: string; clientPort: number; reason: string; at?: Date }): Promise<boolean> {
    const t = transition('publish_ended');
    const at = p.at ?? new Date();
    const rows = await this.deps.db.$queryRaw<{ id: string; ownerId: string; at: Date; sessionId: string }[]>`
      WITH ended AS (
        UPDATE "StreamSession" SET "endedAt" = ${at}, "endReason" = ${p.reason}
        WHERE "streamId" = ${p.streamId}::uuid AND "clientAddress" = ${p.clientAddress} AND "clientPort" = ${p.clientPort} AND "endedAt" IS NULL
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
    if (!row) return false;
    this.after(p.streamId, row.ownerId, 'ended', row.at, { sessionId: row.sessionId, reason: p.reason });
    return true;
  }

  /**
   * Ends a stream the database says is live but OME no longer has (a closing webhook lost while the
   * backend was down): closes every open session with `reason` and moves live → ended. Only streams
   * that went live before `startedBefore` qualify, so a publish admitted while OME was being asked
   * (OME creates the stream just after admission) is never ended by mistake.
   */
  async reconcileEnded(p: { streamId: string; reason: string; startedBefore: Date }): Promise<boolean> {
    const t = transition('publish_ended');
    const rows = await this.deps.db.$queryRaw<{ id: string; ownerId: string; at: Date; sessionId: string | null }[]>`
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
    this.after(p.streamId, row.ownerId, 'ended', row.at, { sessionId: row.sessionId, reason: p.reason });
    return true;
  }

  async setDisabled(streamId: string, disabled: boolean): Promise<boolean> {
    const t = transition(disabled ? 'disable' : 'enable');
    const res = await this.deps.db.stream.updateMany({
      where: { id: streamId, status: { in: [...t.from] } },
      data: { status: t.to },
    });
    if (res.count === 0) return false;
    const s = await this.deps.db.stream.findUnique({ where: { id: streamId }, select: { ownerId: true, updatedAt: true } });
    if (s) this.after(streamId, s.ownerId, t.to, s.updatedAt, {});
    return true;
  }

  private after(streamId: string, ownerId: string, status: StreamStatus, at: Date, extra: Record<string, unknown>): void {
    this.deps.onStatus?.(streamId, status);
    const iso = at.toISOString();
    void this.deps.hub.publish({ kind: 'status', streamId, ownerId, status, at: iso });
    const type: WebhookEventType | null = status === 'live' ? 'stream.live' : status === 'ended' ? 'stream.ended' : null;
    if (type) {
      this.deps
        .emit({ type, ownerId, data: { streamId, status, at: iso, ...extra } })
        .catch((err: unknown) => this.deps.logger.error({ err, streamId, type }, 'could not record outgoing webhook'));
    }
  }
}
