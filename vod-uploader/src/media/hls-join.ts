// Joins the HLS playlists of consecutive runs into one VOD playlist. Pure: text in, text out.
// Each run was remuxed on its own (its own timestamps and codec parameters); a player must reset
// its decoder between them, which is what EXT-X-DISCONTINUITY tells it (RFC 8216 §4.3.2.3).

export interface RunPlaylist {
  /** The run's media playlist as ffmpeg wrote it. */
  text: string;
}

export interface ParsedSegment {
  durationS: number;
  uri: string;
}

export class PlaylistError extends Error {
  override name = 'PlaylistError';
}

export function parseMediaPlaylist(text: string): { version: number; targetDuration: number; segments: ParsedSegment[]; ended: boolean } {
  if (!text.startsWith('#EXTM3U')) throw new PlaylistError('not an HLS playlist');
  let version = 3;
  let targetDuration = 0;
  let ended = false;
  let pending: number | null = null;
  const segments: ParsedSegment[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#EXT-X-VERSION:')) version = Number(line.slice(15)) || version;
    else if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22)) || 0;
    else if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8));
    else if (line === '#EXT-X-ENDLIST') ended = true;
    else if (!line.startsWith('#')) {
      if (pending === null || !Number.isFinite(pending)) throw new PlaylistError(`segment ${line} has no #EXTINF duration`);
      segments.push({ durationS: pending, uri: line });
      pending = null;
    }
  }
  return { version, targetDuration, segments, ended };
}

/** One VOD playlist: every run's segments in order, a discontinuity before each run after the first. */
export function joinPlaylists(runs: RunPlaylist[]): string {
  if (runs.length === 0) throw new PlaylistError('nothing to join');
  const parsed = runs.map((r) => parseMediaPlaylist(r.text));
  parsed.forEach((p, i) => {
    if (!p.ended) throw new PlaylistError(`run ${i + 1} playlist has no end marker`);
    if (p.segments.length === 0) throw new PlaylistError(`run ${i + 1} playlist has no segments`);
  });
  const all = parsed.flatMap((p) => p.segments);
  // The target duration must be at least every segment's duration rounded to the nearest integer.
  const target = Math.max(...parsed.map((p) => p.targetDuration), ...all.map((s) => Math.round(s.durationS)));
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${Math.max(...parsed.map((p) => p.version))}`,
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  parsed.forEach((p, i) => {
    if (i > 0) lines.push('#EXT-X-DISCONTINUITY');
    for (const s of p.segments) lines.push(`#EXTINF:${s.durationS.toFixed(6)},`, s.uri);
  });
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}
