// Short-lived token for the VOD playlist route (rules in auth/tokens.ts: its own audience, never a
// session or stream token).
import { signVodPlaylist, verifyVodPlaylist } from '../auth/tokens.js';

export function signVodPlaylistToken(vodId: string, secret: string, ttlSeconds: number): { token: string; expiresAt: Date } {
  const { token, exp } = signVodPlaylist(vodId, secret, ttlSeconds);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** True only for an unexpired token issued for this very VOD. */
export function verifyVodPlaylistToken(token: string, vodId: string, secret: string): boolean {
  try {
    return verifyVodPlaylist(token, secret).vodId === vodId;
  } catch {
    return false;
  }
}
