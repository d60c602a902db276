import { describe, expect, it } from 'vitest';
import { audioFor, bestVariant, HlsReadError, isMasterPlaylist, parseMasterPlaylist, parseMediaPlaylist, safeRelative, tagAttributes, withBandwidths } from './hls-read.js';

const MASTER = [
  '#EXTM3U', '#EXT-X-VERSION:4', '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="default",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="1",URI="audio.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=2900000,AVERAGE-BANDWIDTH=2500000,CODECS="avc1.64001F,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO="audio"',
  'source.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=1300000,AVERAGE-BANDWIDTH=1200000,CODECS="avc1.64001E,mp4a.40.2",RESOLUTION=854x480,FRAME-RATE=30.000,AUDIO="audio"',
  '480p.m3u8', '',
].join('\n');

describe('reading stored playlists (pure)', () => {
  it('a master: variants with their attributes (quoted commas too), the audio rendition of their group, the best by bandwidth', () => {
    expect(isMasterPlaylist(MASTER)).toBe(true);
    const m = parseMasterPlaylist(MASTER);
    expect(m.variants.map((v) => [v.uri, v.bandwidth, v.attrs.CODECS, v.audioGroup])).toEqual([['source.m3u8', 2_900_000, 'avc1.64001F,mp4a.40.2', 'audio'], ['480p.m3u8', 1_300_000, 'avc1.64001E,mp4a.40.2', 'audio']]);
    expect(bestVariant(m).uri).toBe('source.m3u8');
    // The tallest wins over a smaller rung that peaked higher; bandwidth decides among equals.
    const peaky = parseMasterPlaylist(MASTER.replace('BANDWIDTH=1300000', 'BANDWIDTH=3300000'));
    expect(bestVariant(peaky).uri).toBe('source.m3u8');
    const twins = parseMasterPlaylist(MASTER.replace('RESOLUTION=854x480', 'RESOLUTION=1280x720').replace('BANDWIDTH=1300000', 'BANDWIDTH=3300000'));
    expect(bestVariant(twins).uri).toBe('480p.m3u8');
    expect(audioFor(m, m.variants[1]!)?.uri).toBe('audio.m3u8');
    expect(tagAttributes('#X:A=1,B="x,y",C=z')).toEqual({ A: '1', B: 'x,y', C: 'z' });
  });

  it('rewrites only the bandwidths of a master', () => {
    const out = withBandwidths(MASTER, new Map([['480p.m3u8', { peak: 999.2, average: 800 }]]));
    expect(out.split('\n')[6]).toBe('#EXT-X-STREAM-INF:BANDWIDTH=1000,AVERAGE-BANDWIDTH=800,CODECS="avc1.64001E,mp4a.40.2",RESOLUTION=854x480,FRAME-RATE=30.000,AUDIO="audio"');
    expect(out.split('\n').filter((_, i) => i !== 6)).toEqual(MASTER.split('\n').filter((_, i) => i !== 6));
  });

  it('a media playlist of either layout: pieces split at discontinuities', () => {
    // As ffmpeg's HLS muxer writes the single-playlist layout (hls/index.m3u8), and a joined broadcast.
    const single = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:2.000000,\nseg_00000.ts\n#EXTINF:1.500000,\nseg_00001.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.0,\nr2_00000.ts\n#EXT-X-ENDLIST\n';
    expect(parseMediaPlaylist(single)).toEqual({ targetDuration: 2, pieces: [[{ uri: 'seg_00000.ts', durationS: 2 }, { uri: 'seg_00001.ts', durationS: 1.5 }], [{ uri: 'r2_00000.ts', durationS: 2 }]] });
  });

  it('refuses what it does not understand', () => {
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXTINF:2,\na.ts\n')).toThrow(/no #EXT-X-ENDLIST/);
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2,\na.m4s\n#EXT-X-ENDLIST\n')).toThrow(HlsReadError);
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-BYTERANGE:100@0\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n')).toThrow(/BYTERANGE/);
    expect(() => parseMediaPlaylist('#EXTM3U\na.ts\n#EXT-X-ENDLIST\n')).toThrow(/no #EXTINF/);
    expect(() => parseMediaPlaylist(MASTER)).toThrow(/master/);
    expect(() => parseMasterPlaylist('#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n')).toThrow(/BANDWIDTH/);
    expect(['a.ts', 'hls/a.ts'].map(safeRelative)).toEqual([true, true]);
    expect(['../x.ts', '/x.ts', 'https://evil/x.ts', 'a.ts?x=1', 'a/../../b.ts'].map(safeRelative)).toEqual([false, false, false, false, false]);
  });
});
