import { describe, expect, it } from 'vitest';
import { isMasterPlaylist, mediaPlaylistNames, vodRenditions } from './renditions.js';

const variant = (name: string, height: number) => ({
  name, playlist: `${name}.m3u8`, width: Math.round((height * 16) / 9), height, frameRate: 30, bandwidth: height * 5000, averageBandwidth: height * 4000, codecs: 'avc1.64001F,mp4a.40.2', transcoded: null,
});

describe('VOD renditions (pure)', () => {
  it('lists the variants of a multi-variant VOD, and the playlists its master may name', () => {
    const json = { layout: 'abr', variants: [variant('source', 720), variant('360p', 360)], audio: { playlist: 'audio.m3u8', codecs: 'mp4a.40.2' }, pieces: [] };
    expect(vodRenditions(json)).toEqual([
      { name: 'source', width: 1280, height: 720, bandwidth: 3_600_000, averageBandwidth: 2_880_000, codecs: 'avc1.64001F,mp4a.40.2', frameRate: 30 },
      { name: '360p', width: 640, height: 360, bandwidth: 1_800_000, averageBandwidth: 1_440_000, codecs: 'avc1.64001F,mp4a.40.2', frameRate: 30 },
    ]);
    expect([...mediaPlaylistNames(json)].sort()).toEqual(['360p.m3u8', 'audio.m3u8', 'source.m3u8']);
    // A stored name that is not a plain file name beside the master is never served.
    expect(mediaPlaylistNames({ ...json, variants: [{ ...variant('x', 360), playlist: '../poster.jpg' }] }).size).toBe(0);
  });

  it('a single-rendition VOD (made before ABR) is one rendition from its tracks; no variant playlists', () => {
    const old = { format: 'mov,mp4', bitrateBps: 700_000, tracks: [{ type: 'video', codec: 'h264', width: 640, height: 360, fps: 29.97 }, { type: 'audio', codec: 'aac' }], hls: { segments: 3 } };
    expect(vodRenditions(old)).toEqual([{ name: 'source', width: 640, height: 360, bandwidth: 700_000, averageBandwidth: 700_000, codecs: null, frameRate: 29.97 }]);
    expect(mediaPlaylistNames(old).size).toBe(0);
    const withCodecs = { ...old, tracks: [{ ...old.tracks[0], codecString: 'avc1.64001E' }, { ...old.tracks[1], codecString: 'mp4a.40.2' }] };
    expect(vodRenditions(withCodecs)[0]!.codecs).toBe('avc1.64001E,mp4a.40.2');
    expect(vodRenditions({ tracks: [{ type: 'audio', codec: 'aac', codecString: 'mp4a.40.2' }] })).toEqual([
      { name: 'audio', width: null, height: null, bandwidth: null, averageBandwidth: null, codecs: 'mp4a.40.2', frameRate: null },
    ]);
    expect(vodRenditions(null)).toEqual([]);
    expect(vodRenditions({ tracks: 'nope' })).toEqual([]);
  });

  it('tells a master playlist from a media playlist', () => {
    expect(isMasterPlaylist('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n')).toBe(true);
    expect(isMasterPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nseg_00000.ts\n#EXT-X-ENDLIST\n')).toBe(false);
  });
});
