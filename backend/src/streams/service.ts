// Stream use cases. Handlers call these; only these (and lifecycle.ts) touch the stream tables.
import type { SessionClaims } from '../auth/tokens.js';
import { signPlayback, signPublish, verifyPlayback } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { conflict, notFound } from '../http/errors.js';
import { afterCursor, containsText, newestFirst, toPage, type CursorKey } from '../http/pagination.js';
import { isUuid } from './ids.js';
import { toStreamDto, type StreamStatus } from './schemas.js';
import { END_REASONS } from './state.js';
import { ingestUrls, playbackUrls, type OmePublic } from './urls.js';

export interface StreamListFilter {
  limit: number;
  cursor?: CursorKey;
  q?: string;
  status?: StreamStatus;
}

export class StreamService {
  private readonly ome: OmePublic;

  constructor(private readonly ctx: AppContext) {
    this.ome = ctx.config.ome;
  }

  /** Loads a stream the caller may manage; anybody else's stream does not exist for them. */
  async owned(auth: SessionClaims, id: string) {
    if (!isUuid(id)) throw notFound('Stream');
    const s = await this.ctx.db.stream.findUnique({ where: { id } });
    if (!s || (s.ownerId !== auth.userId && auth.role !== 'admin')) throw notFound('Stream');
    return s;
  }

  async create(auth: SessionClaims, body: { name: string; description?: string; visibility?: 'public' | 'private'; record?: boolean; reconnectWindowSeconds?: number }) {
    const s = await this.ctx.db.stream.create({ data: { ownerId: auth.userId, ...body } });
    return { stream: toStreamDto(s), ingest: this.ingestFor(s) };
  }

  /** One page of the caller's streams (admins: everybody's), newest first. */
  async list(auth: SessionClaims, query: StreamListFilter) {
    const rows = await this.ctx.db.stream.findMany({
      where: {
        AND: [
          auth.role === 'admin' ? {} : { ownerId: auth.userId },
          query.q ? { name: containsText(query.q) } : {},
          query.status ? { status: query.status } : {},
          afterCursor('createdAt', query.cursor),
        ],
      },
      orderBy: newestFirst('createdAt'),
      take: query.limit + 1,
    });
    const page = toPage(rows, query.limit, (r) => r.createdAt);
    return { streams: page.rows.map(toStreamDto), nextCursor: page.nextCursor };
  }

  /** Current status of (at most 500 of) the caller's streams: the first message of /api/events. */
  async statusSnapshot(auth: SessionClaims) {
    return this.ctx.db.stream.findMany({
      where: auth.role === 'admin' ? {} : { ownerId: auth.userId },
      select: { id: true, status: true, updatedAt: true, reconnectDeadline: true },
      orderBy: newestFirst('createdAt'),
      take: 500,
    });
  }

  /**
   * A new reconnectWindowSeconds applies from the next drop: a window already open keeps its deadline.
   */
  async update(auth: SessionClaims, id: string, body: Partial<{ name: string; description: string; visibility: 'public' | 'private'; record: boolean; reconnectWindowSeconds: number }>) {
    await this.owned(auth, id);
    const s = await this.ctx.db.stream.update({ where: { id }, data: body });
    await this.changed(id);
    return toStreamDto(s);
  }

  async remove(auth: SessionClaims, id: string) {
    await this.owned(auth, id);
    // Conditional delete: a publish that starts between a check and the delete cannot slip through.
    // A reconnecting stream is still on air (its session is open): disable it first.
    const res = await this.ctx.db.stream.deleteMany({ where: { id, status: { notIn: ['live', 'reconnecting'] } } });
    if (res.count === 0) throw conflict('stream_live', 'Stop the broadcast before deleting this stream');
    await this.changed(id);
  }

  ingestFor(s: { id: string; keyVersion: number }) {
    return ingestUrls(this.ome, s.id, signPublish({ streamId: s.id, keyVersion: s.keyVersion }, this.ctx.config.auth.publishSecret));
  }

  async ingest(auth: SessionClaims, id: string) {
    return this.ingestFor(await this.owned(auth, id));
  }

  async rotateKey(auth: SessionClaims, id: string) {
    await this.owned(auth, id);
    const s = await this.ctx.db.stream.update({ where: { id }, data: { keyVersion: { increment: 1 } } });
    // The old key is refused from now on (admission checks the version), so the publisher using it
    // is disconnected and cannot come back; a reconnect window in progress ends.
    await this.ctx.broadcasts.stop(id, END_REASONS.keyRotated);
    await this.changed(id);
    return this.ingestFor(s);
  }

  async setDisabled(auth: SessionClaims, id: string, disabled: boolean) {
    await this.owned(auth, id);
    // Live: the session ends (disabled) and the publisher is kicked; reconnecting: the window ends.
    if (disabled) await this.ctx.broadcasts.stop(id, END_REASONS.disabled, 'disabled');
    await this.ctx.lifecycle.setDisabled(id, disabled);
    return toStreamDto((await this.ctx.db.stream.findUnique({ where: { id } }))!);
  }

  playbackFor(s: { id: string; visibility: 'public' | 'private' }, givenToken?: { token: string; exp: number }) {
    if (s.visibility === 'public') return { ...playbackUrls(this.ome, s.id, null), token: null, expiresAt: null };
    const t = givenToken ?? signPlayback(s.id, this.ctx.config.auth.playbackSecret, this.ctx.config.auth.playbackTtlSeconds);
    return { ...playbackUrls(this.ome, s.id, t.token), token: t.token, expiresAt: new Date(t.exp * 1000).toISOString() };
  }

  async playback(auth: SessionClaims, id: string) {
    return this.playbackFor(await this.owned(auth, id));
  }

  /** One page of a stream's broadcasts, newest first. */
  async sessions(auth: SessionClaims, id: string, query: { limit: number; cursor?: CursorKey }) {
    await this.owned(auth, id);
    const rows = await this.ctx.db.streamSession.findMany({
      where: { AND: [{ streamId: id }, afterCursor('startedAt', query.cursor)] },
      orderBy: newestFirst('startedAt'),
      take: query.limit + 1,
      include: {
        gaps: { orderBy: { startedAt: 'asc' }, take: 100 },
        // The joined Vod (`session-<id>`) first; a session from before joins may have one per piece.
        vods: { select: { id: true, status: true, recordingId: true, createdAt: true }, orderBy: { createdAt: 'desc' }, take: 20 },
      },
    });
    const page = toPage(rows, query.limit, (r) => r.startedAt);
    return {
      sessions: page.rows.map((r) => ({
        id: r.id,
        protocol: r.protocol,
        clientAddress: r.clientAddress,
        startedAt: r.startedAt.toISOString(),
        endedAt: r.endedAt?.toISOString() ?? null,
        endReason: r.endReason,
        reconnectCount: r.reconnectCount,
        gaps: r.gaps.map((g) => ({ startedAt: g.startedAt.toISOString(), endedAt: g.endedAt?.toISOString() ?? null })),
        vod: sessionVod(r.id, r.vods),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** For viewers: public streams, or private ones with a valid playback token for that stream. */
  async publicView(id: string, token: string | undefined) {
    if (!isUuid(id)) throw notFound('Stream');
    const s = await this.ctx.db.stream.findUnique({
      where: { id },
      include: { owner: { select: { disabledAt: true } }, sessions: { where: { endedAt: null }, orderBy: { startedAt: 'desc' }, take: 1, select: { id: true } } },
    });
    if (!s || s.status === 'disabled' || s.owner.disabledAt) throw notFound('Stream');
    let given: { token: string; exp: number } | undefined;
    if (s.visibility === 'private') {
      try {
        const claims = verifyPlayback(token ?? '', this.ctx.config.auth.playbackSecret);
        if (claims.streamId !== s.id) throw new Error('other stream');
        given = { token: token!, exp: claims.exp };
      } catch {
        throw notFound('Stream');
      }
    }
    return {
      stream: {
        id: s.id, name: s.name, description: s.description, status: s.status, reconnectDeadline: s.reconnectDeadline?.toISOString() ?? null,
        sessionId: s.status === 'live' || s.status === 'reconnecting' ? (s.sessions[0]?.id ?? null) : null,
      },
      playback: this.playbackFor(s, given),
    };
  }

  private async changed(streamId: string) {
    this.ctx.accessCache.invalidate(streamId);
    await this.ctx.hub.publish({ kind: 'changed', streamId });
  }
}

/** The Vod a session links to: its joined broadcast Vod, else the newest one made from its recordings. */
function sessionVod(sessionId: string, vods: { id: string; status: 'pending' | 'processing' | 'ready' | 'failed'; recordingId: string }[]) {
  const v = vods.find((x) => x.recordingId === `session-${sessionId}`) ?? vods[0];
  return v ? { id: v.id, status: v.status } : null;
}
