import { describe, expect, it } from 'vitest';
import { ingestUrls, playbackUrls, type OmePublic } from './urls.js';

const o: OmePublic = { publicHost: 'live.example.com', tls: false, app: 'app', rtmpPort: 1935, srtPort: 9999, webrtcPort: 3333, llhlsPort: 3333, playlist: 'abr' };
const id = '6f1c1a0e-2b8e-4c55-9a53-5d7a3d0b9e11';

describe('ingest and playback URLs', () => {
  it('gives OBS a server and a key that concatenate to the publish URL', () => {
    const i = ingestUrls(o, id, 'a.b.c');
    expect(`${i.rtmp.server}/${i.rtmp.streamKey}`).toBe(`rtmp://live.example.com:1935/app/${id}?token=a.b.c`);
    expect(i.srt.url).toBe(`srt://live.example.com:9999?streamid=${encodeURIComponent(`srt://live.example.com:9999/app/${id}?token=a.b.c`)}`);
    expect(i.whip.url).toBe(`http://live.example.com:3333/app/${id}?direction=whip&token=a.b.c`);
  });
  it('uses TLS schemes and ports when configured', () => {
    const p = playbackUrls({ ...o, tls: true, webrtcPort: 3334, llhlsPort: 3334 }, id, 'x.y.z');
    expect(p.webrtc).toBe(`wss://live.example.com:3334/app/${id}/abr?token=x.y.z`);
    expect(p.llhls).toBe(`https://live.example.com:3334/app/${id}/abr.m3u8?token=x.y.z`);
    expect(playbackUrls(o, id, null).llhls).toBe(`http://live.example.com:3333/app/${id}/abr.m3u8`);
  });
});
