// VOD use cases: listing, detail with playback URLs, the signed playlist, deletion.
import type { SessionClaims } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import type { Vod as VodRow } from '../generated/prisma/client.js';
import { AppError, notFound, unauthorized } from '../http/errors.js';
import { afterCursor, containsText, newestFirst, toPage, type CursorKey } from '../http/pagination.js';
import { isUuid } from '../streams/ids.js';
import { rewritePlaylist, safeRelativeUri } from './playlist.js';
import { isMasterPlaylist, mediaPlaylistNames, vodRenditions } from './renditions.js';
import { deletable, objectDir, segmentUrlTtlSeconds } from './rules.js';
import type { VodStorage } from './storage.js';
import { signVodPlaylistToken, verifyVodPlaylistToken } from './token.js';

export interface VodListFilter {
  limit: number;
  cursor?: CursorKey;
  streamId?: string;
  q?: string;
  status?: 'pending' | 'processing' | 'ready' | 'failed';
  clipOf?: string;
}

/** The columns a VOD's API shape is made of (lists read only these: no renditions JSON, no object paths). */
export const DTO_FIELDS = {
  id: true, streamId: true, sessionId: true, title: true, status: true, error: true, durationMs: true, sizeBytes: true,
  storageBytes: true, posterObject: true, createdAt: true, readyAt: true, views: true, watchMs: true,
  clipOfId: true, clipStartMs: true, clipEndMs: true, clipActualStartMs: true, clipActualEndMs: true,
  downloadStatus: true, downloadError: true, downloadBytes: true,
  clipOf: { select: { title: true } },
} as const;
type DtoRow = Pick<VodRow, Exclude<keyof typeof DTO_FIELDS, 'clipOf'>> & { clipOf?: { title: string } | null };

export class VodService {
  constructor(
    private readonly ctx: AppContext,
    readonly storage: VodStorage,
  ) {}

  private get ttl(): number {
    return this.ctx.config.gcs.signedUrlTtlSeconds;
  }

  /** Without GCS_BUCKET the API still lists VODs, but cannot play or delete their objects. */
  private get storageConfigured(): boolean {
    return this.ctx.config.gcs.bucket !== '';
  }

  private requireStorage(): void {
    if (!this.storageConfigured) throw new AppError(503, 'storage_unavailable', 'VOD storage is not configured (GCS_BUCKET)');
  }

  /** One page of the caller's VODs (admins: everybody's), newest first. */
  async list(user: SessionClaims, query: VodListFilter) {
    const rows = await this.ctx.db.vod.findMany({
      where: {
        AND: [
          user.role === 'admin' ? {} : { ownerId: user.userId },
          query.streamId ? { streamId: query.streamId } : {},
          query.q ? { title: containsText(query.q) } : {},
          query.status ? { status: query.status } : {},
          query.clipOf ? { clipOfId: query.clipOf } : {},
          afterCursor('createdAt', query.cursor),
        ],
      },
      orderBy: newestFirst('createdAt'),
      take: query.limit + 1,
      select: DTO_FIELDS,
    });
    const page = toPage(rows, query.limit, (r) => r.createdAt);
    return { vods: await Promise.all(page.rows.map((v) => this.toDto(v))), nextCursor: page.nextCursor };
  }

  async owned(user: SessionClaims, id: string): Promise<VodRow & { clipOf: { title: string } | null }> {
    const v = isUuid(id) ? await this.ctx.db.vod.findUnique({ where: { id }, include: { clipOf: { select: { title: true } } } }) : null;
    if (!v || (v.ownerId !== user.userId && user.role !== 'admin')) throw notFound('VOD');
    return v;
  }

  async detail(user: SessionClaims, id: string) {
    const v = await this.owned(user, id);
    let playback: { hls: string; expiresAt: string } | null = null;
    if (v.status === 'ready' && v.playlistObject && this.storageConfigured) {
      const { token, expiresAt } = signVodPlaylistToken(v.id, this.ctx.config.auth.playbackSecret, this.ttl);
      playback = { hls: `/api/vods/${v.id}/playlist.m3u8?token=${encodeURIComponent(token)}`, expiresAt: expiresAt.toISOString() };
    }
    return { vod: { ...(await this.toDto(v)), renditions: v.status === 'ready' ? vodRenditions(v.renditions) : [] }, playback };
  }

  /** Storage the caller's VODs use: the sum of each ready VOD's stored bytes (the base for quotas). */
  async usage(user: SessionClaims) {
    const where = { ownerId: user.userId };
    const [sum, vods, unmeasured] = await Promise.all([
      this.ctx.db.vod.aggregate({ where, _sum: { storageBytes: true } }),
      this.ctx.db.vod.count({ where }),
      this.ctx.db.vod.count({ where: { ...where, status: 'ready', storageBytes: null } }),
    ]);
    return { usage: { storageBytes: Number(sum._sum.storageBytes ?? 0n), vods, unmeasuredVods: unmeasured } };
  }

  /** A ready VOD for a playlist request: the token names this very VOD and has not expired. */
  private async playable(id: string, token: string): Promise<VodRow & { playlistObject: string }> {
    if (!isUuid(id) || !verifyVodPlaylistToken(token, id, this.ctx.config.auth.playbackSecret)) {
      throw unauthorized('Invalid or expired playback token', 'invalid_token');
    }
    const v = await this.ctx.db.vod.findUnique({ where: { id } });
    if (!v || v.status !== 'ready' || !v.playlistObject) throw notFound('VOD');
    this.requireStorage();
    return v as VodRow & { playlistObject: string };
  }

  /**
   * The VOD's playlist. A media playlist (single rendition) comes back with every segment URI
   * replaced by a signed GCS URL. A master playlist (ABR) comes back with each variant and the audio
   * rendition pointing at this backend's variant route (relative: `playlists/<name>?token=`), with a
   * token that lasts as long as the segment URLs do, since players fetch a variant when they switch to it.
   */
  async signedPlaylist(id: string, token: string): Promise<string> {
    const v = await this.playable(id, token);
    const text = (await this.storage.read(v.playlistObject)).toString('utf8');
    const ttl = segmentUrlTtlSeconds(this.ttl, v.durationMs);
    if (!isMasterPlaylist(text)) return this.signMedia(text, objectDir(v.playlistObject), ttl);
    const names = mediaPlaylistNames(v.renditions);
    const variantToken = encodeURIComponent(signVodPlaylistToken(v.id, this.ctx.config.auth.playbackSecret, ttl).token);
    return rewritePlaylist(text, (u) => {
      if (!names.has(u)) throw new AppError(502, 'bad_playlist', 'The stored master playlist names a playlist this VOD does not list');
      return `playlists/${encodeURIComponent(u)}?token=${variantToken}`;
    });
  }

  /** One media playlist of a multi-variant VOD (a name its master lists), segment URIs signed. */
  async signedVariantPlaylist(id: string, name: string, token: string): Promise<string> {
    const v = await this.playable(id, token);
    if (!mediaPlaylistNames(v.renditions).has(name)) throw notFound('Playlist');
    const dir = objectDir(v.playlistObject);
    const text = (await this.storage.read(`${dir}${name}`)).toString('utf8');
    return this.signMedia(text, dir, segmentUrlTtlSeconds(this.ttl, v.durationMs));
  }

  /** A stored media playlist with every segment URI replaced by a signed GCS URL. */
  private async signMedia(text: string, dir: string, ttl: number): Promise<string> {
    const signed = new Map<string, string>();
    // Sign first (async), then rewrite (pure).
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      const uris = t.startsWith('#') ? [...t.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]!) : t ? [t] : [];
      for (const u of uris) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(u) || signed.has(u)) continue;
        if (!safeRelativeUri(u)) throw new AppError(502, 'bad_playlist', 'The stored playlist references objects outside its VOD');
        signed.set(u, await this.storage.signedReadUrl(`${dir}${u}`, ttl));
      }
    }
    return rewritePlaylist(text, (u) => signed.get(u)!);
  }

  /** A signed URL of a stored object that storage serves as an attachment (MP4 downloads). */
  async signedDownloadUrl(objectName: string, ttlSeconds: number, disposition: string): Promise<string> {
    this.requireStorage();
    return this.storage.signedReadUrl(objectName, ttlSeconds, { responseDisposition: disposition });
  }

  async remove(user: SessionClaims, id: string): Promise<void> {
    const v = await this.owned(user, id);
    if (!deletable(v.status)) throw new AppError(409, 'vod_processing', 'This VOD is still being processed; delete it once it is ready or failed');
    // A clip being cut copies this VOD's objects: they must stay until it is done (a finished clip owns its own).
    if (await this.ctx.db.vod.count({ where: { clipOfId: v.id, status: { in: ['pending', 'processing'] } } })) {
      throw new AppError(409, 'vod_clips_processing', 'A clip of this VOD is still being cut; delete it once the clip is ready or failed');
    }
    // The worker would store the MP4 under a prefix that is being emptied.
    if (v.downloadStatus === 'preparing') throw new AppError(409, 'vod_download_preparing', 'The MP4 download of this VOD is being built; delete it once that is done');
    this.requireStorage();
    // Objects first: a row without objects is harmless, objects without a row would be orphans.
    await this.storage.deletePrefix(v.objectPrefix ?? `${this.ctx.config.gcs.prefix}${v.id}/`);
    await this.ctx.db.vod.delete({ where: { id: v.id } });
  }

  private async posterUrl(v: DtoRow): Promise<string | null> {
    if (v.status !== 'ready' || !v.posterObject || !this.storageConfigured) return null;
    try {
      return await this.storage.signedReadUrl(v.posterObject, this.ttl);
    } catch (err) {
      // A signer outage (IAM signBlob) must not break listing: the dashboard shows a placeholder.
      this.ctx.logger.warn({ err: (err as Error).message, vodId: v.id }, 'could not sign poster URL');
      return null;
    }
  }

  async toDto(v: DtoRow) {
    return {
      id: v.id,
      streamId: v.streamId,
      sessionId: v.sessionId,
      title: v.title,
      status: v.status,
      error: v.error,
      durationMs: v.durationMs,
      sizeBytes: v.sizeBytes === null ? null : Number(v.sizeBytes),
      storageBytes: v.storageBytes === null ? null : Number(v.storageBytes),
      posterUrl: await this.posterUrl(v),
      createdAt: v.createdAt.toISOString(),
      readyAt: v.readyAt?.toISOString() ?? null,
      views: v.views,
      watchTimeSeconds: Number(v.watchMs / 1000n),
      clip:
        v.clipStartMs === null || v.clipEndMs === null
          ? null
          : {
              sourceId: v.clipOfId,
              sourceTitle: v.clipOf?.title ?? null,
              startMs: v.clipStartMs,
              endMs: v.clipEndMs,
              actualStartMs: v.clipActualStartMs,
              actualEndMs: v.clipActualEndMs,
            },
      download: {
        status: v.downloadStatus ?? ('none' as const),
        error: v.downloadError,
        sizeBytes: v.downloadBytes === null ? null : Number(v.downloadBytes),
      },
    };
  }
}
