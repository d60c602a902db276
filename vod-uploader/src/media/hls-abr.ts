// Multi-variant HLS VOD: media playlists, the master playlist, and the numbers it carries (codec
// strings, bandwidths). Pure: values in, text out (RFC 8216; attribute names as §4.3.4.1/§4.3.4.2).

export class HlsAbrError extends Error {
  override name = 'HlsAbrError';
}

export interface PlaylistSegment {
  /** URI relative to the playlist (same directory). */
  uri: string;
  durationS: number;
}

/**
 * A VOD media playlist: the segments of each publish in order, EXT-X-DISCONTINUITY before each
 * publish after the first (each publish has its own timestamps and encoder state).
 */
export function vodMediaPlaylist(pieces: readonly (readonly PlaylistSegment[])[], targetDuration: number): string {
  const all = pieces.flat();
  if (all.length === 0) throw new HlsAbrError('media playlist without segments');
  for (const s of all) {
    if (!(s.durationS > 0)) throw new HlsAbrError(`segment ${s.uri} has no duration`);
    if (Math.round(s.durationS) > targetDuration) throw new HlsAbrError(`segment ${s.uri} (${s.durationS.toFixed(3)} s) is longer than the target duration ${targetDuration}`);
  }
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${targetDuration}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS'];
  pieces.forEach((segments, i) => {
    if (segments.length === 0) return;
    if (i > 0 && lines.some((l) => l.startsWith('#EXTINF'))) lines.push('#EXT-X-DISCONTINUITY');
    for (const s of segments) lines.push(`#EXTINF:${s.durationS.toFixed(6)},`, s.uri);
  });
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

/** EXT-X-TARGETDURATION: every EXTINF rounded to the nearest integer must not exceed it (§4.3.3.1). */
export function targetDurationOf(durations: readonly number[]): number {
  return Math.max(1, ...durations.map((d) => Math.round(d)));
}

export interface MasterVariant {
  uri: string;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string[];
  width?: number;
  height?: number;
  frameRate?: number;
}

export interface MasterAudio {
  uri: string;
  name: string;
  channels?: number;
}

export const AUDIO_GROUP = 'audio';

/**
 * The master playlist. Video variants refer to one audio rendition group (the audio is stored once);
 * an audio-only VOD lists its audio playlist as the one variant.
 */
export function masterPlaylist(variants: readonly MasterVariant[], audio: MasterAudio | null): string {
  if (variants.length === 0) throw new HlsAbrError('master playlist without variants');
  const lines = ['#EXTM3U', '#EXT-X-VERSION:4', '#EXT-X-INDEPENDENT-SEGMENTS'];
  if (audio) {
    const attrs = [`TYPE=AUDIO`, `GROUP-ID="${AUDIO_GROUP}"`, `NAME="${quoted(audio.name)}"`, 'DEFAULT=YES', 'AUTOSELECT=YES'];
    if (audio.channels) attrs.push(`CHANNELS="${audio.channels}"`);
    attrs.push(`URI="${quoted(audio.uri)}"`);
    lines.push(`#EXT-X-MEDIA:${attrs.join(',')}`);
  }
  for (const v of variants) {
    const attrs = [`BANDWIDTH=${Math.ceil(v.bandwidth)}`, `AVERAGE-BANDWIDTH=${Math.ceil(v.averageBandwidth)}`];
    if (v.codecs.length) attrs.push(`CODECS="${v.codecs.join(',')}"`);
    if (v.width && v.height) attrs.push(`RESOLUTION=${v.width}x${v.height}`);
    if (v.frameRate) attrs.push(`FRAME-RATE=${v.frameRate.toFixed(3)}`);
    // A variant with video refers to the audio group; the audio-only variant is the audio itself.
    if (audio && v.width) attrs.push(`AUDIO="${AUDIO_GROUP}"`);
    lines.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, v.uri);
  }
  lines.push('');
  return lines.join('\n');
}

function quoted(s: string): string {
  if (/["\r\n]/.test(s)) throw new HlsAbrError(`quoted-string cannot hold ${JSON.stringify(s)}`);
  return s;
}

export interface SizedSegment {
  bytes: number;
  durationS: number;
}

/**
 * BANDWIDTH (§4.3.4.2: the peak segment bit rate of the variant, audio included) and
 * AVERAGE-BANDWIDTH (total bits over total duration). `audio[i]` plays alongside `video[i]`
 * (both are cut at the same instants); a variant without audio passes [].
 */
export function bandwidths(video: readonly SizedSegment[], audio: readonly SizedSegment[]): { peak: number; average: number } {
  const main = video.length > 0 ? video : audio;
  const extra = video.length > 0 ? audio : [];
  let peak = 0;
  let bits = 0;
  let seconds = 0;
  main.forEach((s, i) => {
    const b = (s.bytes + (extra[i]?.bytes ?? 0)) * 8;
    bits += b;
    seconds += s.durationS;
    if (s.durationS > 0) peak = Math.max(peak, b / s.durationS);
  });
  // Audio beyond the last video segment (a slightly longer audio track) still counts in the average.
  for (let i = main.length; i < extra.length; i++) bits += extra[i]!.bytes * 8;
  return { peak: Math.ceil(peak), average: seconds > 0 ? Math.ceil(bits / seconds) : 0 };
}

// ---------------------------------------------------------------------------------------------
// Codec strings (RFC 6381): from the decoder configuration ffprobe prints as the stream's extradata.

/** ffprobe's hex dump (`-show_data`: "00000000: 01f4 001f ...  ascii") → bytes. */
export function parseHexDump(dump: string): Uint8Array {
  const out: number[] = [];
  for (const line of dump.split('\n')) {
    const m = /^[0-9a-f]{8}: (.*?)(?: {2,}|$)/i.exec(line.trimStart());
    if (!m) continue;
    const hex = m[1]!.replace(/\s+/g, '');
    for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  }
  return Uint8Array.from(out);
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

/**
 * avc1.PPCCLL from an avcC record (MP4: version 1, then profile, constraint flags, level) or from
 * the first SPS of an Annex-B stream (MPEG-TS extradata); null when neither is there.
 */
export function avcCodecString(extradata: Uint8Array): string | null {
  if (extradata.length >= 4 && extradata[0] === 1) return `avc1.${hex2(extradata[1]!)}${hex2(extradata[2]!)}${hex2(extradata[3]!)}`;
  for (let i = 0; i + 6 < extradata.length; i++) {
    if (extradata[i] === 0 && extradata[i + 1] === 0 && extradata[i + 2] === 1 && (extradata[i + 3]! & 0x1f) === 7) {
      return `avc1.${hex2(extradata[i + 4]!)}${hex2(extradata[i + 5]!)}${hex2(extradata[i + 6]!)}`;
    }
  }
  return null;
}

/** hvc1.… (ISO/IEC 14496-15 Annex E) from an hvcC record; null without one. */
export function hevcCodecString(extradata: Uint8Array): string | null {
  if (extradata.length < 13 || extradata[0] !== 1) return null;
  const b1 = extradata[1]!;
  const space = ['', 'A', 'B', 'C'][b1 >> 6]!;
  const tier = (b1 >> 5) & 1 ? 'H' : 'L';
  const profile = b1 & 0x1f;
  // The 32 compatibility flags, bit-reversed, in hex without leading zeros.
  let flags = 0;
  for (let i = 0; i < 4; i++) flags = (flags << 8) | extradata[2 + i]!;
  let reversed = 0;
  for (let i = 0; i < 32; i++) reversed = (reversed << 1) | ((flags >>> i) & 1);
  const constraints = Array.from(extradata.slice(6, 12));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = extradata[12]!;
  return [`hvc1`, `${space}${profile}`, (reversed >>> 0).toString(16).toUpperCase(), `${tier}${level}`, ...constraints.map(hex2)].join('.');
}

/** mp4a.40.<audio object type> for AAC as ffprobe names its profiles; null for other codecs. */
export function aacCodecString(codec: string, profile: string | undefined): string | null {
  if (codec !== 'aac') return null;
  if (profile === 'HE-AAC') return 'mp4a.40.5';
  if (profile === 'HE-AACv2') return 'mp4a.40.29';
  return 'mp4a.40.2';
}
