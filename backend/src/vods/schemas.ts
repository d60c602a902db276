import { z } from 'zod';
import { PageQuery, SearchParam, pageResponse } from '../http/pagination.js';
import { text } from '../http/strings.js';

export const Vod = z.object({
  id: z.uuid(),
  streamId: z.uuid().nullable(),
  sessionId: z.uuid().nullable(),
  title: z.string(),
  status: z.enum(['pending', 'processing', 'ready', 'failed']),
  error: z.string().nullable().describe('Why processing failed (status failed)'),
  durationMs: z.number().int().nullable(),
  sizeBytes: z.number().int().nullable().describe('Size of the original recording'),
  posterUrl: z.string().nullable().describe('Signed, short-lived URL of the poster image'),
  createdAt: z.iso.datetime(),
  readyAt: z.iso.datetime().nullable(),
  views: z.number().int().describe('Replays: distinct players that played it (viewer beacons, POST /api/beacons/vod)'),
  watchTimeSeconds: z.number().int().describe('Time those players spent playing it, summed'),
});

export const VodIdParams = z.object({ id: text() });
export const VodListQuery = PageQuery.extend({
  streamId: z.uuid({ error: 'streamId must be a stream id' }).optional(),
  q: SearchParam,
  status: Vod.shape.status.optional().describe('Only VODs in this status'),
});
export const VodPlaylistQuery = z.object({ token: text().min(1, 'token is required').max(2048) });

export const VodListResponse = pageResponse('vods', Vod);
export const VodResponse = z.object({
  vod: Vod,
  playback: z
    .object({
      hls: z.string().describe('Backend URL of the HLS playlist, valid until expiresAt; segment URLs inside are signed GCS URLs'),
      expiresAt: z.iso.datetime(),
    })
    .nullable()
    .describe('null until the VOD is ready'),
});
export const HlsPlaylist = z.string().describe('HLS media playlist (#EXT-X-PLAYLIST-TYPE:VOD) with signed segment URLs');
