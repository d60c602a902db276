// Admission rules (pure): what may publish or play, decided from the OME request, the token and
// the stream's access facts. No I/O, so the hot path and the tests call the same code.
import { TokenError, verifyPlayback, verifyPublish } from '../auth/tokens.js';
import { isUuid } from '../streams/ids.js';
import type { StreamStatus } from '../streams/state.js';
import { normalizeProtocol, parseOmeUrl, PLAYBACK_PROTOCOLS, PUBLISH_PROTOCOLS, publishRedirect, type OmeUrl } from './urls.js';


export type IngestProtocol = 'rtmp' | 'srt' | 'webrtc';

export type PublishCheck =
  | { ok: true; streamId: string; keyVersion: number; protocol: IngestProtocol; newUrl?: string }
  | { ok: false; reason: string };

export type Denied = { ok: false; reason: string };

function target(url: string, protocol: string, app: string): { ok: true; url: OmeUrl } | Denied {
  const parsed = parseOmeUrl(url, protocol);
  if (!parsed) return { ok: false, reason: 'malformed stream url' };
  if (parsed.app !== app) return { ok: false, reason: 'unknown application' };
  if (!isUuid(parsed.stream)) return { ok: false, reason: 'unknown stream' };
  return { ok: true, url: parsed };
}

function tokenReason(err: unknown, what: string): string {
  if (err instanceof TokenError) {
    if (err.reason === 'missing') return `missing ${what}`;
    if (err.reason === 'expired') return `expired ${what}`;
  }
  return `invalid ${what}`;
}

/** Host and ports encoders are told to use (OME_PUBLIC_HOST, OME_RTMP_PORT, OME_SRT_PORT). */
export interface RedirectTarget {
  host: string;
  rtmpPort: number;
  srtPort: number;
}

export function checkPublish(req: { protocol: string; url: string }, opts: { app: string; publishSecret: string; redirectTo: RedirectTarget }): PublishCheck {
  const protocol = normalizeProtocol(req.protocol);
  if (!PUBLISH_PROTOCOLS.has(protocol)) return { ok: false, reason: `protocol ${protocol} cannot publish` };
  const t = target(req.url, protocol, opts.app);
  if (!t.ok) return t;
  const token = t.url.query.get('token') ?? '';
  let claims;
  try {
    claims = verifyPublish(token, opts.publishSecret);
  } catch (err) {
    return { ok: false, reason: tokenReason(err, 'stream key') };
  }
  if (claims.streamId !== t.url.stream) return { ok: false, reason: 'stream key does not belong to this stream' };
  // RTMP and SRT stream names come from the URL; redirecting to the token-less URL keeps the key
  // out of OME's stream names, logs and recordings. It is built from configuration, never from the
  // client's host, port or other parameters. WebRTC/WHIP is left as sent.
  const newUrl = protocol === 'rtmp' || protocol === 'srt' ? publishRedirect(protocol, t.url.app, t.url.stream, opts.redirectTo) : undefined;
  return { ok: true, streamId: claims.streamId, keyVersion: claims.keyVersion, protocol: protocol as IngestProtocol, ...(newUrl ? { newUrl } : {}) };
}

export interface PlaybackFacts {
  visibility: 'public' | 'private';
  status: StreamStatus;
  /** The owner's account is disabled (admin/users): nothing of theirs plays. */
  ownerDisabled?: boolean;
}

export type PlaybackTarget = { ok: true; streamId: string; token: string | null } | Denied;

export function playbackTarget(req: { protocol: string; url: string }, opts: { app: string }): PlaybackTarget {
  const protocol = normalizeProtocol(req.protocol);
  if (!PLAYBACK_PROTOCOLS.has(protocol)) return { ok: false, reason: `protocol ${protocol} cannot play` };
  const t = target(req.url, protocol, opts.app);
  if (!t.ok) return t;
  return { ok: true, streamId: t.url.stream, token: t.url.query.get('token') };
}

export type PlaybackDecision = { ok: true; lifetimeMs?: number } | Denied;

export function decidePlayback(
  streamId: string,
  token: string | null,
  facts: PlaybackFacts | null,
  opts: { playbackSecret: string; nowMs: number },
): PlaybackDecision {
  if (!facts) return { ok: false, reason: 'unknown stream' };
  if (facts.status === 'disabled') return { ok: false, reason: 'stream disabled' };
  if (facts.ownerDisabled) return { ok: false, reason: 'account disabled' };
  if (facts.visibility === 'public') return { ok: true };
  let claims;
  try {
    claims = verifyPlayback(token ?? '', opts.playbackSecret, Math.floor(opts.nowMs / 1000));
  } catch (err) {
    return { ok: false, reason: tokenReason(err, 'playback token') };
  }
  if (claims.streamId !== streamId) return { ok: false, reason: 'playback token is for another stream' };
  // OME's lifetime: 0 means forever, so never send 0 for a token that is about to expire.
  return { ok: true, lifetimeMs: Math.max(1000, claims.exp * 1000 - opts.nowMs) };
}
