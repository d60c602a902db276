// Object naming and HTTP headers of a VOD's objects. Pure.
import path from 'node:path';

export interface VodObjectLayout {
  prefix: string;
  original: string;
  playlist: string;
  hlsDir: string;
  poster: string;
}

export function vodObjectLayout(gcsPrefix: string, vodId: string, originalExt: string): VodObjectLayout {
  const prefix = `${gcsPrefix}${vodId}/`;
  return {
    prefix,
    original: `${prefix}original.${originalExt}`,
    hlsDir: `${prefix}hls/`,
    playlist: `${prefix}hls/index.m3u8`,
    poster: `${prefix}poster.jpg`,
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webm': 'video/webm',
};

export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

// Playlists may be replaced by a re-run, so caches must revalidate; media objects never change
// under the same name. `private`: VODs can belong to private streams and are fetched via signed URLs.
export const CACHE_PLAYLIST = 'no-cache';
export const CACHE_IMMUTABLE = 'private, max-age=31536000, immutable';

export function cacheControlFor(fileName: string): string {
  return path.extname(fileName).toLowerCase() === '.m3u8' ? CACHE_PLAYLIST : CACHE_IMMUTABLE;
}
