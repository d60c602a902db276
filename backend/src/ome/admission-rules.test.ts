import { describe, expect, it } from 'vitest';
import { signPlayback, signPublish } from '../auth/tokens.js';
import { checkPublish, decidePlayback, playbackTarget } from './admission-rules.js';

const P = 'publish-secret-publish-secret-publish-secret';
const V = 'playback-secret-playback-secret-playback-sec';
const id = '6f1c1a0e-2b8e-4c55-9a53-5d7a3d0b9e11';
const opts = { app: 'app', publishSecret: P, redirectTo: { host: 'live.example.com', rtmpPort: 1935, srtPort: 9999 } };

describe('publish rules', () => {
  const token = signPublish({ streamId: id, keyVersion: 2 }, P);
  it('accepts RTMP/SRT/WebRTC in any case and redirects RTMP/SRT without the token', () => {
    expect(checkPublish({ protocol: 'RTMP', url: `rtmp://live.example.com:1935/app/${id}?token=${token}` }, opts)).toEqual({ ok: true, streamId: id, keyVersion: 2, protocol: 'rtmp', newUrl: `rtmp://live.example.com:1935/app/${id}` });
    expect(checkPublish({ protocol: 'SRT', url: `srt://live.example.com:9999/app/${id}?token=${token}` }, opts)).toMatchObject({ ok: true, protocol: 'srt', newUrl: `srt://live.example.com:9999/app/${id}` });
    const w = checkPublish({ protocol: 'WebRTC', url: `http://h:3333/app/${id}?direction=whip&token=${token}` }, opts);
    expect(w).toEqual({ ok: true, streamId: id, keyVersion: 2, protocol: 'webrtc' });
  });
  it('builds new_url from configuration, never from the host, port, user info or parameters the client sent', () => {
    for (const url of [`rtmp://evil.example:1/app/${id}?token=${token}&x=1`, `rtmp://10.0.0.9:1935/app/${id}?token=${token}`]) {
      expect(checkPublish({ protocol: 'RTMP', url }, opts)).toMatchObject({ ok: true, newUrl: `rtmp://live.example.com:1935/app/${id}` });
    }
    expect(checkPublish({ protocol: 'SRT', url: `srt://other.vhost.example:7/app/${id}?token=${token}` }, opts)).toMatchObject({ ok: true, newUrl: `srt://live.example.com:9999/app/${id}` });
  });
  it('refuses URLs outside OME\'s layout for the protocol, even with a valid key', () => {
    const other = '22222222-2222-4222-8222-222222222222';
    for (const [protocol, url] of [
      ['RTMP', `rtmp://h:1935//app/${id}?token=${token}`],
      ['RTMP', `rtmp://h:1935/app/${id}/../${other}?token=${token}`],
      ['RTMP', `rtmp://h:1935/app/${other}/../${id}?token=${token}`],
      ['RTMP', `javascript://h/app/${id}?token=${token}`],
      ['RTMP', `srt://h:9999/app/${id}?token=${token}`],
      ['RTMP', `rtmp://user:pw@h:1935/app/${id}?token=${token}`],
      ['WebRTC', `ws://h:3333/app/${id}/x/y?token=${token}`],
    ]) {
      expect(checkPublish({ protocol: protocol!, url: url! }, opts), url).toEqual({ ok: false, reason: 'malformed stream url' });
    }
  });
  it('refuses playback-only protocols', () => {
    expect(checkPublish({ protocol: 'LLHLS', url: `http://h/app/${id}?token=${token}` }, opts)).toEqual({ ok: false, reason: 'protocol llhls cannot publish' });
  });
});

describe('playback rules', () => {
  const now = 1_700_000_000_000;
  it('finds the stream and token in LL-HLS and WebRTC URLs', () => {
    expect(playbackTarget({ protocol: 'LLHLS', url: `http://h:3333/app/${id}/abr.m3u8?token=t` }, { app: 'app' })).toEqual({ ok: true, streamId: id, token: 't' });
    expect(playbackTarget({ protocol: 'WebRTC', url: `ws://h:3333/app/${id}/abr` }, { app: 'app' })).toEqual({ ok: true, streamId: id, token: null });
  });
  it('judges exactly the stream OME serves: no dot segments, encoded slashes or extra segments', () => {
    const priv = '22222222-2222-4222-8222-222222222222';
    for (const url of [`http://h:3333/app/${id}/../${priv}/abr.m3u8`, `http://h:3333/app/${id}/..%2F${priv}/abr.m3u8`, `http://h:3333/app/${id}/${priv}/abr.m3u8`]) {
      expect(playbackTarget({ protocol: 'LLHLS', url }, { app: 'app' }), url).toEqual({ ok: false, reason: 'malformed stream url' });
    }
    expect(playbackTarget({ protocol: 'WebRTC', url: `ws://h:3333/app/${id}/../${priv}/abr` }, { app: 'app' })).toEqual({ ok: false, reason: 'malformed stream url' });
  });
  it('public: allowed without lifetime; private: lifetime = time left on the token', () => {
    expect(decidePlayback(id, null, { visibility: 'public', status: 'live' }, { playbackSecret: V, nowMs: now })).toEqual({ ok: true });
    const { token } = signPlayback(id, V, 600, now / 1000);
    expect(decidePlayback(id, token, { visibility: 'private', status: 'live' }, { playbackSecret: V, nowMs: now + 100_000 })).toEqual({ ok: true, lifetimeMs: 500_000 });
  });
  it('never answers lifetime 0 (= forever) for a token about to expire', () => {
    const { token } = signPlayback(id, V, 60, now / 1000);
    const d = decidePlayback(id, token, { visibility: 'private', status: 'live' }, { playbackSecret: V, nowMs: now + 59_900 });
    expect(d).toEqual({ ok: true, lifetimeMs: 1000 });
  });
  it('refuses unknown and disabled streams', () => {
    expect(decidePlayback(id, null, null, { playbackSecret: V, nowMs: now })).toEqual({ ok: false, reason: 'unknown stream' });
    expect(decidePlayback(id, null, { visibility: 'public', status: 'disabled' }, { playbackSecret: V, nowMs: now })).toEqual({ ok: false, reason: 'stream disabled' });
  });
});
