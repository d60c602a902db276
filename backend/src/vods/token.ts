// Short-lived token for the VOD playlist route: players fetch the playlist without a session
// header, so the URL carries its own proof. Separate audience: never a session or stream token.
import jwt from 'jsonwebtoken';

const AUDIENCE = 'vod-playlist';
const ISSUER = 'ocp';

export function signVodPlaylistToken(vodId: string, secret: string, ttlSeconds: number): { token: string; expiresAt: Date } {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + ttlSeconds;
  const token = jwt.sign({ iat: now, exp }, secret, { algorithm: 'HS256', audience: AUDIENCE, issuer: ISSUER, subject: vodId });
  return { token, expiresAt: new Date(exp * 1000) };
}

/** True only for an unexpired token issued for this very VOD. */
export function verifyVodPlaylistToken(token: string, vodId: string, secret: string): boolean {
  try {
    const p = jwt.verify(token, secret, { algorithms: ['HS256'], audience: AUDIENCE, issuer: ISSUER });
    return typeof p === 'object' && p.sub === vodId;
  } catch {
    return false;
  }
}
