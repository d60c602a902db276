import { describe, expect, it } from 'vitest';
import { aacCodecString, avcCodecString, bandwidths, hevcCodecString, masterPlaylist, parseHexDump, targetDurationOf, vodMediaPlaylist } from './hls-abr.js';

describe('multi-variant HLS (pure)', () => {
  it('writes a VOD media playlist with a discontinuity before each publish after the first', () => {
    const text = vodMediaPlaylist([[{ uri: 'a_p1_00000.ts', durationS: 2.002 }, { uri: 'a_p1_00001.ts', durationS: 1.5 }], [{ uri: 'a_p2_00000.ts', durationS: 2 }]], 2);
    expect(text.split('\n')).toEqual([
      '#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXTINF:2.002000,', 'a_p1_00000.ts', '#EXTINF:1.500000,', 'a_p1_00001.ts', '#EXT-X-DISCONTINUITY', '#EXTINF:2.000000,', 'a_p2_00000.ts', '#EXT-X-ENDLIST', '',
    ]);
    expect(() => vodMediaPlaylist([[{ uri: 'x.ts', durationS: 3.6 }]], 3)).toThrow(/longer than the target/);
    expect(() => vodMediaPlaylist([[]], 3)).toThrow(/without segments/);
    expect(targetDurationOf([2.4, 6.49, 1])).toBe(6);
    expect(targetDurationOf([6.5])).toBe(7);
  });

  it('writes the master: the audio group once, every variant with its attributes', () => {
    const text = masterPlaylist(
      [{ uri: 'source.m3u8', bandwidth: 3_000_000.4, averageBandwidth: 2_500_000, codecs: ['avc1.64001F', 'mp4a.40.2'], width: 1280, height: 720, frameRate: 29.97 }],
      { uri: 'audio.m3u8', name: 'default', channels: 2 },
    );
    expect(text.split('\n')).toEqual([
      '#EXTM3U', '#EXT-X-VERSION:4', '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="default",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=3000001,AVERAGE-BANDWIDTH=2500000,CODECS="avc1.64001F,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO="audio"',
      'source.m3u8', '',
    ]);
    // Audio only: the audio playlist is the variant, no group.
    expect(masterPlaylist([{ uri: 'audio.m3u8', bandwidth: 130_000, averageBandwidth: 128_000, codecs: ['mp4a.40.2'] }], null)).toBe(
      '#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=130000,AVERAGE-BANDWIDTH=128000,CODECS="mp4a.40.2"\naudio.m3u8\n',
    );
    expect(() => masterPlaylist([], null)).toThrow();
  });

  it('BANDWIDTH is the peak segment bit rate with its audio, AVERAGE-BANDWIDTH total bits over time', () => {
    const v = [{ bytes: 1000, durationS: 2 }, { bytes: 3000, durationS: 2 }, { bytes: 500, durationS: 1 }];
    const a = [{ bytes: 100, durationS: 2 }, { bytes: 100, durationS: 2 }, { bytes: 50, durationS: 1 }];
    expect(bandwidths(v, a)).toEqual({ peak: 12_400, average: Math.ceil((4750 * 8) / 5) });
    expect(bandwidths([], a)).toEqual({ peak: 400, average: 400 });
    expect(bandwidths(v, [])).toEqual({ peak: 12_000, average: 7200 });
  });

  it('codec strings from the decoder configuration ffprobe prints (avcC, Annex-B SPS, hvcC), AAC by profile', () => {
    const avcc = parseHexDump('\n00000000: 01f4 001f ffe1 001d 67f4 001f 9196 80d8  ........g.......\n00000030: 00                                       .\n');
    expect(Array.from(avcc.slice(0, 4))).toEqual([0x01, 0xf4, 0x00, 0x1f]);
    expect(avcCodecString(avcc)).toBe('avc1.F4001F');
    expect(avcCodecString(parseHexDump('00000000: 0000 0001 6764 0028 acd9  ....gd.(..\n'))).toBe('avc1.640028');
    expect(avcCodecString(Uint8Array.from([0, 0, 1, 0x68, 1, 2, 3, 4]))).toBeNull();
    // hvcC of x265 Main, level 3.1: general_profile_space 0, tier 0, profile 1, compat 0x60000000, level 93.
    const hvcc = Uint8Array.from([1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93, 0xf0]);
    expect(hevcCodecString(hvcc)).toBe('hvc1.1.6.L93.90');
    expect(hevcCodecString(Uint8Array.from([0, 0, 1]))).toBeNull();
    expect(aacCodecString('aac', 'LC')).toBe('mp4a.40.2');
    expect(aacCodecString('aac', 'HE-AAC')).toBe('mp4a.40.5');
    expect(aacCodecString('aac', 'HE-AACv2')).toBe('mp4a.40.29');
    expect(aacCodecString('opus', undefined)).toBeNull();
  });
});
