import { describe, expect, it } from 'vitest';
import { joinPlaylists, parseMediaPlaylist, PlaylistError } from './hls-join.js';
import { concatListLine } from './ffmpeg.js';

// As ffmpeg 5.1's HLS muxer writes a VOD playlist.
const ffmpegPlaylist = (prefix: string, durations: number[], target = 2) =>
  ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS',
    ...durations.flatMap((d, i) => [`#EXTINF:${d.toFixed(6)},`, `${prefix}_${String(i).padStart(5, '0')}.ts`]), '#EXT-X-ENDLIST', ''].join('\n');

describe('joinPlaylists', () => {
  it('puts every run in order with a discontinuity before each new run', () => {
    const out = joinPlaylists([{ text: ffmpegPlaylist('r1', [2, 2, 0.5]) }, { text: ffmpegPlaylist('r2', [2.002, 1], 2) }, { text: ffmpegPlaylist('r3', [3.4], 3) }]);
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 6)).toEqual(['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:3', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(lines.filter((l) => !l.startsWith('#EXTINF') && l.startsWith('#EXT-X-') && !lines.slice(0, 6).includes(l))).toEqual(['#EXT-X-DISCONTINUITY', '#EXT-X-DISCONTINUITY', '#EXT-X-ENDLIST']);
    expect(lines.filter((l) => l.endsWith('.ts'))).toEqual(['r1_00000.ts', 'r1_00001.ts', 'r1_00002.ts', 'r2_00000.ts', 'r2_00001.ts', 'r3_00000.ts']);
    expect(lines[lines.indexOf('r1_00002.ts') + 1]).toBe('#EXT-X-DISCONTINUITY');
    const parsed = parseMediaPlaylist(out);
    expect(parsed.ended).toBe(true);
    expect(parsed.segments.reduce((a, s) => a + s.durationS, 0)).toBeCloseTo(2 + 2 + 0.5 + 2.002 + 1 + 3.4, 5);
  });
  it('raises the target duration to the longest rounded segment', () => {
    expect(joinPlaylists([{ text: ffmpegPlaylist('a', [2]) }, { text: ffmpegPlaylist('b', [4.6], 2) }])).toContain('#EXT-X-TARGETDURATION:5');
  });
  it('refuses an unfinished or empty run', () => {
    expect(() => joinPlaylists([])).toThrow(PlaylistError);
    expect(() => joinPlaylists([{ text: ffmpegPlaylist('a', [2]).replace('#EXT-X-ENDLIST', '') }])).toThrow(/no end marker/);
    expect(() => joinPlaylists([{ text: ffmpegPlaylist('a', []) }])).toThrow(/no segments/);
    expect(() => joinPlaylists([{ text: 'not a playlist' }])).toThrow(/not an HLS playlist/);
  });
});

describe('concatListLine', () => {
  it("quotes paths for ffmpeg's concat demuxer, escaping single quotes", () => {
    expect(concatListLine('/rec/a b.mp4')).toBe("file '/rec/a b.mp4'");
    expect(concatListLine("/rec/it's.mp4")).toBe("file '/rec/it'\\''s.mp4'");
  });
});
