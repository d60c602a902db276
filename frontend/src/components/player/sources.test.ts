import { describe, expect, it } from 'vitest';
import { liveSources, vodSources } from './sources';

describe('player sources', () => {
  it('puts WebRTC first and LL-HLS second for live playback', () => {
    expect(liveSources({ webrtc: 'ws://h:3333/app/s', llhls: 'http://h:3333/app/s/llhls.m3u8' })).toEqual([
      { type: 'webrtc', file: 'ws://h:3333/app/s', label: 'WebRTC' },
      { type: 'llhls', file: 'http://h:3333/app/s/llhls.m3u8', label: 'LL-HLS' },
    ]);
  });
  it('plays VODs over HLS', () => {
    expect(vodSources('https://storage/x.m3u8')).toEqual([{ type: 'hls', file: 'https://storage/x.m3u8', label: 'HLS' }]);
  });
});
