// Pure mapping of OME REST responses to the platform's stream stats (no I/O).
// Shapes follow OME 0.20 as captured in test/fixtures/ome/rest-api: stream info gives the input tracks,
// current stats give connections per publisher.
import { z } from 'zod';

const VideoInfo = z.looseObject({
  codec: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  framerate: z.number().optional(),
  framerateLatest: z.number().optional(),
  bitrate: z.coerce.number().optional(),
  bitrateLatest: z.coerce.number().optional(),
});
const AudioInfo = z.looseObject({
  codec: z.string().optional(),
  bitrate: z.coerce.number().optional(),
  bitrateLatest: z.coerce.number().optional(),
});
const Track = z.looseObject({
  type: z.string(),
  video: VideoInfo.optional(),
  audio: AudioInfo.optional(),
});

/** `GET /v1/vhosts/{vhost}/apps/{app}/streams/{stream}` (200). */
export const OmeStreamInfoResponse = z.looseObject({
  statusCode: z.number(),
  response: z.looseObject({
    name: z.string(),
    input: z.looseObject({ tracks: z.array(Track).default([]) }).optional(),
  }),
});
export type OmeStreamInfo = z.infer<typeof OmeStreamInfoResponse>;

/** `GET /v1/vhosts/{vhost}/apps/{app}/streams` (200): the stream names. */
export const OmeStreamListResponse = z.looseObject({ statusCode: z.number(), response: z.array(z.string()) });

/** `GET /v1/stats/current/vhosts/{vhost}/apps/{app}/streams/{stream}` (200). */
export const OmeStreamStatsResponse = z.looseObject({
  statusCode: z.number(),
  response: z.looseObject({
    connections: z.record(z.string(), z.number()).default({}),
    lastUpdatedTime: z.string().optional(),
  }),
});
export type OmeStreamStats = z.infer<typeof OmeStreamStatsResponse>;

export interface StreamInput {
  /** Sum of the input tracks' current bitrates, bits per second. */
  bitrateBps: number;
  fps: number | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
}

export interface StreamStats {
  streamId: string;
  live: boolean;
  viewers: { total: number; webrtc: number; llhls: number };
  input: StreamInput | null;
  updatedAt: string;
}

// Publishers that serve viewers. Left out: file (the recorder), push, ovt (edge relays, whose own
// viewers are counted on the edge) and thumbnail (image fetches, not watching).
const VIEWER_PUBLISHERS = ['webrtc', 'llhls', 'hlsv3', 'srt'] as const;

const round2 = (n: number) => Math.round(n * 100) / 100;
// "Latest" is the recent window OME measures; the plain value is the average since the start.
const current = (latest: number | undefined, overall: number | undefined) =>
  latest !== undefined && Number.isFinite(latest) && latest > 0 ? latest : overall;

function inputOf(info: OmeStreamInfo): StreamInput | null {
  const tracks = info.response.input?.tracks ?? [];
  const video = tracks.find((t) => t.type.toLowerCase() === 'video')?.video;
  const audio = tracks.find((t) => t.type.toLowerCase() === 'audio')?.audio;
  if (!video && !audio) return null;
  const fps = video ? current(video.framerateLatest, video.framerate) : undefined;
  const bitrate = (video ? (current(video.bitrateLatest, video.bitrate) ?? 0) : 0) + (audio ? (current(audio.bitrateLatest, audio.bitrate) ?? 0) : 0);
  return {
    bitrateBps: Math.round(bitrate),
    fps: fps !== undefined ? round2(fps) : null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
  };
}

function isoOrNull(s: string | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * Stats for one stream. `info` null = OME answered 404 (not live); `stats` null = no statistics yet
 * (a stream that just started, or the stats call raced its end): zero viewers.
 */
export function toStreamStats(streamId: string, info: OmeStreamInfo | null, stats: OmeStreamStats | null, now: Date): StreamStats {
  if (!info) {
    return { streamId, live: false, viewers: { total: 0, webrtc: 0, llhls: 0 }, input: null, updatedAt: now.toISOString() };
  }
  const c = stats?.response.connections ?? {};
  const count = (k: string) => (Number.isFinite(c[k]) && c[k]! > 0 ? c[k]! : 0);
  return {
    streamId,
    live: true,
    viewers: {
      total: VIEWER_PUBLISHERS.reduce((sum, k) => sum + count(k), 0),
      webrtc: count('webrtc'),
      llhls: count('llhls'),
    },
    input: inputOf(info),
    updatedAt: isoOrNull(stats?.response.lastUpdatedTime) ?? now.toISOString(),
  };
}
