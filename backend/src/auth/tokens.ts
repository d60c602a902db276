// Session, publish and playback tokens: pure sign/verify rules, no I/O.
// Each kind has its own secret and audience, and only HS256 is accepted, so a token of one
// kind (or an `alg: none` / RS-HS confusion token) can never pass as another.
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

const ISSUER = 'ocp';
const ALG = 'HS256' as const;

export type TokenFailure = 'missing' | 'malformed' | 'expired' | 'invalid' | 'wrong_kind';

export class TokenError extends Error {
  constructor(readonly reason: TokenFailure) {
    super(`token ${reason}`);
  }
}

// Given a string, jsonwebtoken first tries to parse it as a PEM public key (and throws) on every
// call: that attempt was ~15 % of the backend's CPU under a burst of private-stream viewers. A
// secret KeyObject built once skips it, and can never be read as an asymmetric key.
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 16) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

function verify(token: string, secret: string, audience: string, nowSeconds?: number, ignoreExpiration = false): jwt.JwtPayload {
  if (!token) throw new TokenError('missing');
  try {
    const payload = jwt.verify(token, keyFor(secret), {
      algorithms: [ALG],
      audience,
      issuer: ISSUER,
      ignoreExpiration,
      ...(nowSeconds !== undefined ? { clockTimestamp: nowSeconds } : {}),
    });
    if (typeof payload === 'string') throw new TokenError('malformed');
    // A token issued in the future is a forgery or a broken clock: refuse it either way.
    const now = nowSeconds ?? Math.floor(Date.now() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + 60) throw new TokenError('invalid');
    return payload;
  } catch (err) {
    if (err instanceof TokenError) throw err;
    if (err instanceof jwt.TokenExpiredError) throw new TokenError('expired');
    if (err instanceof jwt.JsonWebTokenError) {
      if (/audience/i.test(err.message)) throw new TokenError('wrong_kind');
      if (/malformed|jwt must be/i.test(err.message)) throw new TokenError('malformed');
      throw new TokenError('invalid');
    }
    throw new TokenError('invalid');
  }
}

// ---- session ----
/**
 * A dashboard session token names its user and its server-side session row (`sid`). It carries no
 * role: the role is read from the database on every request (auth/sessions), so a role change or a
 * revocation counts at once. A token without `sid` (issued before sessions were kept) is malformed.
 */
export interface SessionTokenClaims {
  userId: string;
  sessionId: string;
}

/** Who acts on a request (services take this): the user and their role as the database has it now. */
export interface SessionClaims {
  userId: string;
  role: 'user' | 'admin';
}

export function signSession(claims: SessionTokenClaims, secret: string, ttlSeconds: number): string {
  return jwt.sign({ sid: claims.sessionId }, keyFor(secret), { algorithm: ALG, audience: 'session', issuer: ISSUER, subject: claims.userId, expiresIn: ttlSeconds });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function verifySession(token: string, secret: string): SessionTokenClaims {
  const p = verify(token, secret, 'session');
  if (typeof p.sub !== 'string' || !UUID.test(p.sub) || typeof p.sid !== 'string' || !UUID.test(p.sid)) throw new TokenError('malformed');
  return { userId: p.sub, sessionId: p.sid };
}

// ---- publish (the stream key) ----
export interface PublishClaims {
  streamId: string;
  keyVersion: number;
}

/**
 * Publish tokens do not expire: they are revoked by rotating the stream's key version. No `iat`,
 * so the stream key is the same string every time it is shown, until it is rotated.
 */
export function signPublish(claims: PublishClaims, secret: string): string {
  return jwt.sign({ kv: claims.keyVersion }, keyFor(secret), { algorithm: ALG, audience: 'publish', issuer: ISSUER, subject: claims.streamId, noTimestamp: true });
}

export function verifyPublish(token: string, secret: string): PublishClaims {
  const p = verify(token, secret, 'publish');
  if (typeof p.sub !== 'string' || !Number.isInteger(p.kv)) throw new TokenError('malformed');
  return { streamId: p.sub, keyVersion: p.kv as number };
}

// ---- playback (private streams) ----
export interface PlaybackClaims {
  streamId: string;
  /** Expiry, seconds since epoch. */
  exp: number;
}

export function signPlayback(streamId: string, secret: string, ttlSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): { token: string; exp: number } {
  const exp = nowSeconds + ttlSeconds;
  const token = jwt.sign({ iat: nowSeconds, exp }, keyFor(secret), { algorithm: ALG, audience: 'playback', issuer: ISSUER, subject: streamId });
  return { token, exp };
}

export function verifyPlayback(token: string, secret: string, nowSeconds?: number): PlaybackClaims {
  const p = verify(token, secret, 'playback', nowSeconds);
  if (typeof p.sub !== 'string' || typeof p.exp !== 'number') throw new TokenError('malformed');
  return { streamId: p.sub, exp: p.exp };
}

// ---- VOD playlist (players fetch it without a session header, so the URL carries its own proof) ----
export function signVodPlaylist(vodId: string, secret: string, ttlSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): { token: string; exp: number } {
  const exp = nowSeconds + ttlSeconds;
  const token = jwt.sign({ iat: nowSeconds, exp }, keyFor(secret), { algorithm: ALG, audience: 'vod-playlist', issuer: ISSUER, subject: vodId });
  return { token, exp };
}

export function verifyVodPlaylist(token: string, secret: string): { vodId: string; exp: number } {
  const p = verify(token, secret, 'vod-playlist');
  if (typeof p.sub !== 'string' || typeof p.exp !== 'number') throw new TokenError('malformed');
  return { vodId: p.sub, exp: p.exp };
}

/**
 * A VOD playlist token checked for everything but its expiry, with its issue time: viewer beacons
 * accept it while the segment URLs it led to can still be played (analytics/rules.ts vodTokenUsable).
 */
export function verifyVodPlaylistIssued(token: string, secret: string): { vodId: string; iat: number } {
  const p = verify(token, secret, 'vod-playlist', undefined, true);
  if (typeof p.sub !== 'string' || typeof p.iat !== 'number') throw new TokenError('malformed');
  return { vodId: p.sub, iat: p.iat };
}
