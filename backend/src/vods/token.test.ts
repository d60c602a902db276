import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { signVodPlaylistToken, verifyVodPlaylistToken } from './token.js';

const secret = 'playback-secret-playback-secret-playback-sec';
const vod = '0b6c3f2e-8d7a-4c55-9f1e-2a4b6c8d0e1f';

describe('VOD playlist token', () => {
  it('is valid for its VOD only, with the right secret, until it expires', () => {
    const { token, expiresAt } = signVodPlaylistToken(vod, secret, 60);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(verifyVodPlaylistToken(token, vod, secret)).toBe(true);
    expect(verifyVodPlaylistToken(token, '1b6c3f2e-8d7a-4c55-9f1e-2a4b6c8d0e1f', secret)).toBe(false);
    expect(verifyVodPlaylistToken(token, vod, `${secret}x`)).toBe(false);
    const expired = jwt.sign({ exp: Math.floor(Date.now() / 1000) - 10 }, secret, { audience: 'vod-playlist', issuer: 'ocp', subject: vod });
    expect(verifyVodPlaylistToken(expired, vod, secret)).toBe(false);
  });
  it('refuses tokens of other kinds signed with the same secret', () => {
    const playback = jwt.sign({}, secret, { audience: 'playback', issuer: 'ocp', subject: vod, expiresIn: 60 });
    expect(verifyVodPlaylistToken(playback, vod, secret)).toBe(false);
    expect(verifyVodPlaylistToken('garbage', vod, secret)).toBe(false);
  });
});
