import { describe, expect, it } from 'vitest';
import { playlistUris, rewritePlaylist, safeRelativeUri } from './playlist.js';

const ffmpegVod = `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXTINF:2.000000,
seg_00000.ts
#EXTINF:2.000000,
seg_00001.ts
#EXT-X-ENDLIST
`;

describe('rewritePlaylist', () => {
  it('replaces every segment line and keeps every tag', () => {
    const out = rewritePlaylist(ffmpegVod, (u) => `https://signed.example/${u}?sig=1`);
    expect(out).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(out).toContain('https://signed.example/seg_00000.ts?sig=1');
    expect(out).toContain('https://signed.example/seg_00001.ts?sig=1');
    expect(out).not.toMatch(/^seg_/m);
    expect(out.split('\n').filter((l) => l.startsWith('#'))).toEqual(ffmpegVod.split('\n').filter((l) => l.startsWith('#')));
  });

  it('rewrites URI attributes (fMP4 init sections) and leaves absolute URIs alone', () => {
    const text = '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2,\nhttps://cdn.example/a.m4s\n#EXTINF:2,\nb.m4s\n';
    const out = rewritePlaylist(text, (u) => `S(${u})`);
    expect(out).toContain('#EXT-X-MAP:URI="S(init.mp4)"');
    expect(out).toContain('https://cdn.example/a.m4s');
    expect(out).toContain('S(b.m4s)');
    expect(playlistUris(text)).toEqual(['init.mp4', 'b.m4s']);
  });

  it('refuses what is not a playlist and paths leaving the VOD folder', () => {
    expect(() => rewritePlaylist('<html>', (u) => u)).toThrow();
    expect(safeRelativeUri('seg_00000.ts')).toBe(true);
    expect(safeRelativeUri('../other/x.ts')).toBe(false);
    expect(safeRelativeUri('/abs.ts')).toBe(false);
  });
});
