import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeProtocol, parseOmeUrl, publishRedirect } from './urls.js';

const dir = path.join(import.meta.dirname, '../../test/fixtures/ome/webhooks');
const captured = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { parsedBody: { request: { url: string; protocol: string } } }).parsedBody.request);

describe('OME URL parsing', () => {
  it('parses every URL OME 0.20 sent, under the protocol it was sent with', () => {
    for (const r of captured) {
      const u = parseOmeUrl(r.url, r.protocol);
      expect(u, r.url).not.toBeNull();
      expect(u!.app).toBe('app');
      expect(u!.stream).toMatch(/^stream\d$/);
    }
  });

  it('splits scheme, app, stream, file and query', () => {
    const u = parseOmeUrl('http://127.0.0.1:3333/app/stream1/llhls.m3u8?token=xyz&x=1')!;
    expect(u).toMatchObject({ scheme: 'http', authority: '127.0.0.1:3333', app: 'app', stream: 'stream1', file: 'llhls.m3u8' });
    expect(u.query.get('token')).toBe('xyz');
    expect(parseOmeUrl('srt://127.0.0.1:9999/app/stream6?token=srt.tok')!.query.get('token')).toBe('srt.tok');
    expect(parseOmeUrl('ws://127.0.0.1:3333/app/stream5?token=wrtc.play')!.stream).toBe('stream5');
  });

  it('rejects what is not app/stream', () => {
    for (const bad of ['', 'rtmp://host', 'rtmp://host/app', 'no-scheme/app/s', 'rtmp://host/app/%E0%A4%A']) expect(parseOmeUrl(bad), bad).toBeNull();
  });

  it('builds new_url from configuration only', () => {
    const to = { host: 'live.example.com', rtmpPort: 1935, srtPort: 9999 };
    expect(publishRedirect('rtmp', 'app', 's1', to)).toBe('rtmp://live.example.com:1935/app/s1');
    expect(publishRedirect('srt', 'app', 's1', to)).toBe('srt://live.example.com:9999/app/s1');
  });

  it('lower-cases the protocols OME reports', () => {
    expect(captured.map((r) => normalizeProtocol(r.protocol)).sort()).toEqual(expect.arrayContaining(['rtmp', 'srt', 'llhls', 'webrtc']));
  });
});

describe('strict OME URL parsing (issue 17, item 5)', () => {
  const pub = '11111111-1111-4111-8111-111111111111';
  const priv = '22222222-2222-4222-8222-222222222222';
  const refused: [string, string][] = [
    // playback: what a normalising proxy or OME could serve as another stream than the one judged
    ['LLHLS', `http://h:3333/app/${pub}/../${priv}/abr.m3u8`],
    ['LLHLS', `http://h:3333/app/${pub}/..%2F${priv}/abr.m3u8`],
    ['LLHLS', `http://h:3333/app/${pub}/%2e%2e/${priv}/abr.m3u8`],
    ['LLHLS', `http://h:3333/app/${pub}/${priv}/abr.m3u8`],
    ['LLHLS', `http://h:3333/app/${pub}/./abr.m3u8`],
    ['LLHLS', `http://h:3333/app/${pub}%2F..%2F${priv}/abr.m3u8`],
    ['LLHLS', `http://h:3333/app/${pub}`],
    ['LLHLS', `http://h:3333/app/${pub}/abr.m3u8/`],
    ['LLHLS', `http://h:3333/app/${pub}/abr`],
    ['LLHLS', `http://h:3333/app/${pub}\\..\\${priv}/abr.m3u8`],
    ['LLHLS', `ws://h:3333/app/${pub}/abr.m3u8`],
    ['LLHLS', `http://h:3333/app/${pub}/abr.m3u8#frag`],
    ['WebRTC', `ws://h:3333/app/${pub}/../${priv}/abr`],
    ['WebRTC', `ws://h:3333/app/${pub}/${priv}/abr`],
    ['WebRTC', `ws://h:3333/app/${pub}/abr/x`],
    ['WebRTC', `rtmp://h:3333/app/${pub}`],
    ['WebRTC', `ws://h:3333/app/${pub}?token=a&token=b`],
    // publish
    ['RTMP', `rtmp://h:1935//app/${pub}?token=t`],
    ['RTMP', `rtmp://h:1935/app//${pub}?token=t`],
    ['RTMP', `rtmp://h:1935/app/${pub}/../${priv}?token=t`],
    ['RTMP', `rtmp://h:1935/app/../app/${pub}?token=t`],
    ['RTMP', `rtmp://h:1935/app/${pub}/extra?token=t`],
    ['RTMP', `rtmp://h:1935/app/${pub}/?token=t`],
    ['RTMP', `rtmp://h:1935/app/%2e%2e?token=t`],
    ['RTMP', `javascript://h/app/${pub}?token=t`],
    ['RTMP', `srt://h:9999/app/${pub}?token=t`],
    ['RTMP', `http://h:1935/app/${pub}?token=t`],
    ['RTMP', `rtmp://user:pw@h:1935/app/${pub}?token=t`],
    ['RTMP', `rtmp://@h:1935/app/${pub}?token=t`],
    ['RTMP', `rtmp:///app/${pub}?token=t`],
    ['RTMP', `rtmp://h:1935/app/${pub}?token=t&token=u`],
    ['SRT', `rtmp://h:1935/app/${pub}?token=t`],
    ['SRT', `srt://h:9999/app/${pub}/x`],
    ['SRT', `srt://h:9999/%61pp/${pub}`],
    ['Thumbnail', `http://h:3333/app/${pub}/../x/thumb.jpg`],
    ['Nonsense', `rtmp://h:1935/app/${pub}`],
  ];
  it.each(refused)('refuses %s %s', (protocol, url) => {
    expect(parseOmeUrl(url, protocol)).toBeNull();
  });

  const accepted: [string, string, string][] = [
    ['RTMP', `rtmp://live.example.com:1935/app/${pub}?token=t`, ''],
    ['RTMP', `rtmp://[::1]:1935/app/${pub}?token=t`, ''],
    ['SRT', `srt://10.0.0.1:9999/app/${pub}?token=t`, ''],
    ['WebRTC', `http://h:3333/app/${pub}?direction=whip&token=t`, ''],
    ['WebRTC', `wss://h:3334/app/${pub}/abr?token=t`, 'abr'],
    ['WebRTC', `ws://h:3333/app/${pub}`, ''],
    ['LLHLS', `https://h/app/${pub}/abr.m3u8?token=t`, 'abr.m3u8'],
    ['LLHLS', `http://h:3333/app/${pub}/chunklist_0_video_73GCogEU_llhls.m3u8?session=28_vdbyLnUu`, 'chunklist_0_video_73GCogEU_llhls.m3u8'],
    ['LLHLS', `http://h:3333/app/${pub}/part_0_2_0_video_73GCogEU_llhls.m4s?session=28_vdbyLnUu`, 'part_0_2_0_video_73GCogEU_llhls.m4s'],
    ['HLS', `http://h:3333/app/${pub}/ts:playlist.m3u8`, 'ts:playlist.m3u8'],
    ['Thumbnail', `http://h:3333/app/${pub}/thumb.jpg`, 'thumb.jpg'],
  ];
  it.each(accepted)('accepts %s %s', (protocol, url, file) => {
    expect(parseOmeUrl(url, protocol)).toMatchObject({ app: 'app', stream: pub, file });
  });
});
