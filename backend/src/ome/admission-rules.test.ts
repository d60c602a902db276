import { describe, expect, it } from 'vitest';
import { signPlayback, signPublish } from '../auth/tokens.js';
import { checkPublish, decidePlayback, playbackTarget } from './admission-rules.js';

const P = 'publish-secret-publish-secret-publish-secret';
const V = 'playback-secret-playback-secret-playback-sec';
const id = '6f1c1a0e-2b8e-4c55-9a53-5d7a3d0b9e11';
const opts = { app: 'app', publishSecret: P };

describe('publish rules', () => {
  const token = signPublish({ streamId: id, keyVersion: 2 }, P);
  it('accepts RTMP/SRT/WebRTC in any case and redirects RTMP/SRT without the token', () => {
    expect(checkPublish({ protocol: 'RTMP', url: `rtmp://h:1935/app/${id}?token=${token}` }, opts)).toEqual({ ok: true, streamId: id, keyVersion: 2, protocol: 'rtmp', newUrl: `rtmp://h:1935/app/${id}` });
    expect(checkPublish({ protocol: 'SRT', url: `srt://h:9999/app/${id}?token=${token}` }, opts)).toMatchObject({ ok: true, protocol: 'srt', newUrl: `srt://h:9999/app/${id}` });
    const w = checkPublish({ protocol: 'WebRTC', url: `http://h:3333/app/${id}?direction=whip&token=${token}` }, opts);
    expect(w).toEqual({ ok: true, streamId: id, keyVersion: 2, protocol: 'webrtc' });
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
