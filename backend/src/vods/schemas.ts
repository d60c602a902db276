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
  storageBytes: z.number().int().nullable().describe('Bytes this VOD keeps in storage over all its objects (originals, every rendition, playlists, poster); null until measured'),
  posterUrl: z.string().nullable().describe('Signed, short-lived URL of the poster image'),
  createdAt: z.iso.datetime(),
  readyAt: z.iso.datetime().nullable(),
  views: z.number().int().describe('Replays: distinct players that played it (viewer beacons, POST /api/beacons/vod)'),
  watchTimeSeconds: z.number().int().describe('Time those players spent playing it, summed'),
  clip: z
    .object({
      sourceId: z.uuid().nullable().describe('The VOD it was cut from; null once that one was deleted (the clip keeps playing)'),
      sourceTitle: z.string().nullable(),
      startMs: z.number().int().describe('Start asked for, on the source timeline'),
      endMs: z.number().int().describe('End asked for, on the source timeline'),
      actualStartMs: z.number().int().nullable().describe('Where the clip really starts: the keyframe at or before startMs (set once ready)'),
      actualEndMs: z.number().int().nullable().describe('Where it really ends: the keyframe at or after endMs, or the end of the source (set once ready)'),
    })
    .nullable()
    .describe('Set when this VOD is a clip of another'),
  download: z
    .object({
      status: z.enum(['none', 'preparing', 'ready', 'failed']).describe('none: never asked for; preparing: the worker builds it; failed: see error (asking again retries)'),
      error: z.string().nullable(),
      sizeBytes: z.number().int().nullable(),
    })
    .describe('The MP4 download (POST /api/vods/:id/download)'),
});

export const VodRendition = z.object({
  name: z.string().describe('source, a ladder rung (1080p, 720p, …) or audio (an audio-only VOD)'),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  bandwidth: z.number().int().nullable().describe('Peak segment bit rate with the audio, bits/s (the master playlist BANDWIDTH)'),
  averageBandwidth: z.number().int().nullable().describe('Average bit rate with the audio, bits/s (AVERAGE-BANDWIDTH)'),
  codecs: z.string().nullable().describe('RFC 6381 codecs (CODECS), e.g. avc1.64001F,mp4a.40.2; null when unknown (older VODs)'),
  frameRate: z.number().nullable(),
});
export const VodDetail = Vod.extend({
  renditions: z.array(VodRendition).describe('The variants a player can pick, tallest first; one for a single-rendition VOD; empty until ready'),
});

export const VodIdParams = z.object({ id: text() });
export const VodVariantParams = z.object({
  id: text(),
  name: text().regex(/^[A-Za-z0-9_-]{1,32}\.m3u8$/, 'name must be a playlist the master lists (e.g. 720p.m3u8)'),
});
export const VodListQuery = PageQuery.extend({
  streamId: z.uuid({ error: 'streamId must be a stream id' }).optional(),
  q: SearchParam,
  status: Vod.shape.status.optional().describe('Only VODs in this status'),
  clipOf: z.uuid({ error: 'clipOf must be a VOD id' }).optional().describe('Only the clips cut from this VOD'),
});
export const VodPlaylistQuery = z.object({ token: text().min(1, 'token is required').max(2048) });

export const VodListResponse = pageResponse('vods', Vod);
export const VodResponse = z.object({
  vod: VodDetail,
  playback: z
    .object({
      hls: z.string().describe('Backend URL of the HLS playlist, valid until expiresAt; segment URLs inside are signed GCS URLs'),
      expiresAt: z.iso.datetime(),
    })
    .nullable()
    .describe('null until the VOD is ready'),
});
export const HlsPlaylist = z
  .string()
  .describe('HLS playlist: a media playlist (#EXT-X-PLAYLIST-TYPE:VOD) with signed segment URLs, or for a multi-variant VOD a master playlist whose variants point at GET /api/vods/{id}/playlists/{name}');
export const HlsMediaPlaylist = z.string().describe('HLS media playlist (#EXT-X-PLAYLIST-TYPE:VOD) of one variant or of the audio, with signed segment URLs');
export const UsageResponse = z.object({
  usage: z.object({
    storageBytes: z.number().int().describe('Sum of storageBytes over your VODs'),
    vods: z.number().int(),
    unmeasuredVods: z.number().int().describe('Ready VODs whose stored bytes are not measured yet (not in storageBytes; the worker fills them in)'),
  }),
});

const ms = (what: string) =>
  z.number({ error: `${what} must be a whole number of milliseconds` }).int(`${what} must be a whole number of milliseconds`).min(0, `${what} must be 0 or more`).max(2 ** 31 - 1, `${what} is too large`);

export const CreateClipBody = z.strictObject({
  startMs: ms('startMs').describe('Start on the source timeline (the player position)'),
  endMs: ms('endMs').describe('End on the source timeline; at most the VOD duration'),
  title: text({ error: 'title is required' }).trim().min(1, 'title is required').max(200, 'title must be at most 200 characters'),
});
export const ClipResponse = z.object({ vod: Vod.describe('The new clip, status processing until the worker has cut it') });

export const DownloadReady = z.object({
  url: z.string().describe('Signed storage URL of the MP4 (Content-Disposition: attachment), valid until expiresAt'),
  expiresAt: z.iso.datetime(),
  filename: z.string().describe('The file name the download is saved as (from the title)'),
});
export const DownloadPreparing = z.object({ status: z.literal('preparing').describe('The worker is building the MP4: ask again in a few seconds') });
