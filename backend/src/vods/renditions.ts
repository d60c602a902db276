// What a Vod's renditions JSON (written by the VOD worker) tells the API: the variants a player can
// pick, and which media playlists a multi-variant VOD's master names. Pure.
//
// Two shapes exist. A VOD recorded as the ABR ladder (`layout: 'abr'`, vod-uploader/src/jobs/abr-join.ts)
// lists `variants` (each with its media playlist next to the master) and `audio`. Older VODs and
// single-file recordings have one HLS media playlist and `tracks` as ffprobe read the recording.
import { z } from 'zod';

export interface VodRendition {
  name: string;
  width: number | null;
  height: number | null;
  bandwidth: number | null;
  averageBandwidth: number | null;
  codecs: string | null;
  frameRate: number | null;
}

const num = z.number().finite().nonnegative();
const StoredVariant = z.object({
  name: z.string().min(1),
  playlist: z.string().regex(/^[A-Za-z0-9_-]{1,32}\.m3u8$/),
  width: num.nullable(),
  height: num.nullable(),
  frameRate: num.nullable(),
  bandwidth: num,
  averageBandwidth: num,
  codecs: z.string().nullable(),
});
const AbrRenditions = z.object({
  layout: z.literal('abr'),
  variants: z.array(StoredVariant).min(1),
  audio: z.object({ playlist: z.string().regex(/^[A-Za-z0-9_-]{1,32}\.m3u8$/) }).nullable(),
});
const Track = z.object({
  type: z.enum(['video', 'audio']),
  codec: z.string().optional(),
  width: num.optional(),
  height: num.optional(),
  fps: num.optional(),
  bitrateBps: num.optional(),
  codecString: z.string().optional(),
});
const SingleRenditions = z.object({ bitrateBps: num.nullable().optional(), tracks: z.array(Track) });

/** The variants of a ready VOD as the API lists them; [] when the worker wrote nothing usable. */
export function vodRenditions(json: unknown): VodRendition[] {
  const abr = AbrRenditions.safeParse(json);
  if (abr.success) {
    return abr.data.variants.map((v) => ({
      name: v.name, width: v.width, height: v.height, bandwidth: v.bandwidth, averageBandwidth: v.averageBandwidth, codecs: v.codecs, frameRate: v.frameRate,
    }));
  }
  // One rendition: the recording itself (remuxed, not re-encoded).
  const single = SingleRenditions.safeParse(json);
  if (!single.success) return [];
  const video = single.data.tracks.find((t) => t.type === 'video');
  const audio = single.data.tracks.find((t) => t.type === 'audio');
  if (!video && !audio) return [];
  const codecs = [video?.codecString, audio?.codecString].filter((c): c is string => Boolean(c));
  return [{
    name: video ? 'source' : 'audio',
    width: video?.width ?? null,
    height: video?.height ?? null,
    bandwidth: single.data.bitrateBps ?? null,
    averageBandwidth: single.data.bitrateBps ?? null,
    // Recordings before codec strings were kept only have codec names: unknown exact profile/level.
    codecs: codecs.length > 0 && codecs.length === [video, audio].filter(Boolean).length ? codecs.join(',') : null,
    frameRate: video?.fps ?? null,
  }];
}

/**
 * The media playlists a multi-variant VOD's master names (file names beside it): the only ones the
 * variant playlist route serves. Empty for a single-playlist VOD.
 */
export function mediaPlaylistNames(json: unknown): Set<string> {
  const abr = AbrRenditions.safeParse(json);
  if (!abr.success) return new Set();
  return new Set([...abr.data.variants.map((v) => v.playlist), ...(abr.data.audio ? [abr.data.audio.playlist] : [])]);
}

/** A master playlist lists variants (EXT-X-STREAM-INF) or renditions (EXT-X-MEDIA); a media playlist lists segments. */
export function isMasterPlaylist(text: string): boolean {
  return /^#EXT-X-(STREAM-INF|MEDIA):/m.test(text);
}
