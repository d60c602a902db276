// Reading the playlists of a stored VOD, of either layout: a master playlist over variant media
// playlists and one audio rendition (ABR VODs, jobs/abr-join.ts), or one media playlist with audio
// and video in each segment (every VOD made before the ladder: hls/index.m3u8). Pure: text in,
// values out (RFC 8216). Used by clips and downloads, which must handle both.

export class HlsReadError extends Error {
  override name = 'HlsReadError';
}

export interface MediaSegment {
  uri: string;
  durationS: number;
}

export interface MediaPlaylist {
  /** Segments of each publish: EXT-X-DISCONTINUITY starts a new piece (own timestamps, own encoder). */
  pieces: MediaSegment[][];
  targetDuration: number;
}

// Tags that would change what a segment is; stored VODs never carry them, and a clip or download
// made without understanding them would be wrong, so they are refused rather than ignored.
const UNSUPPORTED = ['#EXT-X-BYTERANGE', '#EXT-X-MAP', '#EXT-X-KEY', '#EXT-X-GAP', '#EXT-X-PART'];

export function isMasterPlaylist(text: string): boolean {
  return /^#EXT-X-STREAM-INF:/m.test(text);
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  if (!text.startsWith('#EXTM3U')) throw new HlsReadError('not an HLS playlist');
  if (isMasterPlaylist(text)) throw new HlsReadError('a master playlist where a media playlist was expected');
  const pieces: MediaSegment[][] = [[]];
  let targetDuration = 0;
  let ended = false;
  let pending: number | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const tag = line.split(':')[0]!;
    if (UNSUPPORTED.includes(tag) && !(tag === '#EXT-X-KEY' && /METHOD=NONE/.test(line))) throw new HlsReadError(`unsupported playlist tag ${tag}`);
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22)) || 0;
    else if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8));
    else if (line === '#EXT-X-DISCONTINUITY') {
      if (pieces[pieces.length - 1]!.length > 0) pieces.push([]);
    } else if (line === '#EXT-X-ENDLIST') ended = true;
    else if (!line.startsWith('#')) {
      if (pending === null || !(pending > 0)) throw new HlsReadError(`segment ${line} has no #EXTINF duration`);
      pieces[pieces.length - 1]!.push({ uri: line, durationS: pending });
      pending = null;
    }
  }
  if (!ended) throw new HlsReadError('not a VOD playlist (no #EXT-X-ENDLIST)');
  const kept = pieces.filter((p) => p.length > 0);
  if (kept.length === 0) throw new HlsReadError('playlist without segments');
  return { pieces: kept, targetDuration };
}

/** Attributes of a tag line (`#EXT-X-…:A=1,B="x,y"`); quoted values without their quotes. */
export function tagAttributes(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = line.slice(line.indexOf(':') + 1);
  for (const m of body.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  return out;
}

export interface MasterVariantEntry {
  uri: string;
  attrs: Record<string, string>;
  bandwidth: number;
  /** GROUP-ID of the audio rendition it plays with, if any. */
  audioGroup: string | null;
}

export interface MasterMediaEntry {
  type: string;
  groupId: string;
  uri: string | null;
  isDefault: boolean;
  attrs: Record<string, string>;
}

export interface MasterPlaylistInfo {
  variants: MasterVariantEntry[];
  media: MasterMediaEntry[];
}

export function parseMasterPlaylist(text: string): MasterPlaylistInfo {
  if (!text.startsWith('#EXTM3U')) throw new HlsReadError('not an HLS playlist');
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const variants: MasterVariantEntry[] = [];
  const media: MasterMediaEntry[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('#EXT-X-STREAM-INF:')) {
      const uri = lines.slice(i + 1).find((l) => l !== '' && !l.startsWith('#'));
      if (!uri) throw new HlsReadError('#EXT-X-STREAM-INF without a URI');
      const attrs = tagAttributes(line);
      const bandwidth = Number(attrs.BANDWIDTH);
      if (!(bandwidth > 0)) throw new HlsReadError(`variant ${uri} has no BANDWIDTH`);
      variants.push({ uri, attrs, bandwidth, audioGroup: attrs.AUDIO ?? null });
    } else if (line.startsWith('#EXT-X-MEDIA:')) {
      const attrs = tagAttributes(line);
      media.push({ type: attrs.TYPE ?? '', groupId: attrs['GROUP-ID'] ?? '', uri: attrs.URI ?? null, isDefault: attrs.DEFAULT === 'YES', attrs });
    } else if (line.startsWith('#EXT-X-I-FRAME-STREAM-INF') || line.startsWith('#EXT-X-SESSION-KEY')) {
      throw new HlsReadError(`unsupported master playlist tag ${line.split(':')[0]}`);
    }
  });
  if (variants.length === 0) throw new HlsReadError('master playlist without variants');
  return { variants, media };
}

/** The audio rendition a variant plays with: its group's DEFAULT=YES entry with a URI, else the first with one. */
export function audioFor(master: MasterPlaylistInfo, variant: MasterVariantEntry): MasterMediaEntry | null {
  if (!variant.audioGroup) return null;
  const group = master.media.filter((m) => m.type === 'AUDIO' && m.groupId === variant.audioGroup && m.uri);
  return group.find((m) => m.isDefault) ?? group[0] ?? null;
}

const heightOf = (v: MasterVariantEntry) => Number(/^\d+x(\d+)$/.exec(v.attrs.RESOLUTION ?? '')?.[1] ?? 0);

/**
 * The variant a download takes: the tallest picture, and among those the highest BANDWIDTH (the
 * first listed wins a tie). Not BANDWIDTH alone: it is a peak segment bit rate, and an easy-to-code
 * picture (slides, a still camera) can peak higher in a smaller rung than in the source.
 */
export function bestVariant(master: MasterPlaylistInfo): MasterVariantEntry {
  return master.variants.reduce((a, v) => (heightOf(v) > heightOf(a) || (heightOf(v) === heightOf(a) && v.bandwidth > a.bandwidth) ? v : a));
}

/**
 * The master with new BANDWIDTH / AVERAGE-BANDWIDTH per variant URI (a clip's are its own), every
 * other byte as it was.
 */
export function withBandwidths(text: string, byUri: ReadonlyMap<string, { peak: number; average: number }>): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      if (!line.startsWith('#EXT-X-STREAM-INF:')) return line;
      const uri = lines.slice(i + 1).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
      const b = uri ? byUri.get(uri) : undefined;
      if (!b) return line;
      return line
        .replace(/(^#EXT-X-STREAM-INF:|,)BANDWIDTH=\d+/, `$1BANDWIDTH=${Math.max(1, Math.ceil(b.peak))}`)
        .replace(/AVERAGE-BANDWIDTH=\d+/, `AVERAGE-BANDWIDTH=${Math.max(1, Math.ceil(b.average))}`);
    })
    .join('\n');
}

/** URIs relative to a playlist must stay inside the VOD's folder. */
export function safeRelative(uri: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith('/') && !uri.split(/[/?#]/).includes('..') && !uri.includes('?') && !uri.includes('#');
}

/** 'a/b/c.m3u8' → 'a/b/' */
export function dirOf(objectName: string): string {
  const i = objectName.lastIndexOf('/');
  return i < 0 ? '' : objectName.slice(0, i + 1);
}
