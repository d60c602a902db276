import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { ErrorResponse } from '../http/schemas.js';
import { HlsMediaPlaylist, HlsPlaylist, UsageResponse, VodIdParams, VodListQuery, VodListResponse, VodPlaylistQuery, VodResponse, VodVariantParams } from './schemas.js';
import { VodService } from './service.js';
import { createVodStorage } from './storage.js';
import { vodEditRoutes } from './edit-routes.js';

const err = (description: string) => ({ description, schema: ErrorResponse });

export function vodRoutes(api: ApiRouter, ctx: AppContext): VodService {
  const vods = new VodService(ctx, createVodStorage(ctx.config.gcs));
  const session = requireSession(ctx);
  const tag = 'vods';
  const std = { 401: err('No session'), 404: err('Not found') };

  api.route(
    { method: 'get', path: '/api/vods', summary: 'Your VODs (admins: all), newest first, one page at a time', tag, security: 'session', scope: 'vods:read', query: VodListQuery,
      responses: { 200: { description: 'A page of VODs', schema: VodListResponse }, 400: err('Invalid query'), 401: err('No session') } },
    session,
    async (_req, res) => void res.json(await vods.list(auth(res), res.locals.query)),
  );
  api.route(
    { method: 'get', path: '/api/vods/:id', summary: 'A VOD, with its HLS playback URL once ready', tag, security: 'session', scope: 'vods:read', params: VodIdParams,
      responses: { 200: { description: 'VOD', schema: VodResponse }, ...std } },
    session,
    async (_req, res) => void res.json(await vods.detail(auth(res), res.locals.params.id)),
  );
  api.route(
    { method: 'get', path: '/api/vods/:id/playlist.m3u8', summary: 'HLS playlist of a VOD with signed segment URLs (token from GET /api/vods/:id)', tag, security: 'none',
      params: VodIdParams, query: VodPlaylistQuery,
      responses: { 200: { description: 'Playlist', schema: HlsPlaylist, contentType: 'application/vnd.apple.mpegurl' }, 400: err('Missing token'), 401: err('Invalid or expired token'), 404: err('Not found'), 503: err('Storage not configured') } },
    async (_req, res) => {
      const text = await vods.signedPlaylist(res.locals.params.id, res.locals.query.token);
      // Holds signed URLs: never cached by shared caches, and not reused after they expire.
      res.set({ 'content-type': 'application/vnd.apple.mpegurl', 'cache-control': 'private, no-store' }).send(text);
    },
  );
  api.route(
    { method: 'get', path: '/api/vods/:id/playlists/:name', summary: 'One variant (or the audio) playlist of a multi-variant VOD, segment URLs signed (the master links here)', tag, security: 'none',
      params: VodVariantParams, query: VodPlaylistQuery,
      responses: { 200: { description: 'Media playlist', schema: HlsMediaPlaylist, contentType: 'application/vnd.apple.mpegurl' }, 400: err('Missing token or bad name'), 401: err('Invalid or expired token'), 404: err('Not found'), 503: err('Storage not configured') } },
    async (_req, res) => {
      const text = await vods.signedVariantPlaylist(res.locals.params.id, res.locals.params.name, res.locals.query.token);
      res.set({ 'content-type': 'application/vnd.apple.mpegurl', 'cache-control': 'private, no-store' }).send(text);
    },
  );
  api.route(
    { method: 'get', path: '/api/usage', summary: 'Storage your VODs use (the sum of their stored bytes)', tag, security: 'session', scope: 'vods:read',
      responses: { 200: { description: 'Usage', schema: UsageResponse }, 401: err('No session') } },
    session,
    async (_req, res) => void res.json(await vods.usage(auth(res))),
  );
  api.route(
    { method: 'delete', path: '/api/vods/:id', summary: 'Delete a VOD and its stored objects', tag, security: 'session', scope: 'vods:write', params: VodIdParams,
      responses: { 204: { description: 'Deleted' }, ...std, 409: err('`vod_processing`: still processing; `vod_clips_processing`: a clip of it is being cut; `vod_download_preparing`: its MP4 is being built'), 503: err('Storage not configured') } },
    session,
    async (_req, res) => {
      await vods.remove(auth(res), res.locals.params.id);
      res.status(204).end();
    },
  );
  vodEditRoutes(api, ctx, vods);
  return vods;
}
