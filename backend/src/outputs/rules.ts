// Restream outputs: the pure rules (destination URLs, renditions, OME push ids, what the supervisor
// does on a tick, retry backoff). No I/O here; supervisor.ts applies the plan.
import { END_PUSH_STATES, type OmePushState } from '../ome/push-client.js';

export const OUTPUT_STATES = ['idle', 'starting', 'active', 'error', 'stopped'] as const;
export type OutputState = (typeof OUTPUT_STATES)[number];

/**
 * Rendition names a creator picks (the ladder of ome-config/Server.xml, "abr" playlist) → the OME
 * encode (variant) names a push sends: one video and AAC audio, since RTMP carries only H.264 + AAC
 * (docs/push-publishing.md) and an SRT push without variantNames would send every ladder rung.
 * test/deploy/ome-config.test.ts checks these names against Server.xml.
 */
export const RENDITIONS = {
  source: ['bypass_video', 'aac_audio'],
  '1080p': ['h264_1080p', 'aac_audio'],
  '720p': ['h264_720p', 'aac_audio'],
  '480p': ['h264_480p', 'aac_audio'],
  '360p': ['h264_360p', 'aac_audio'],
} as const satisfies Record<string, readonly string[]>;
export type Rendition = keyof typeof RENDITIONS;
export const RENDITION_NAMES = Object.keys(RENDITIONS) as [Rendition, ...Rendition[]];

export type OutputProtocol = 'rtmp' | 'srt';

/** SRT query parameters that carry credentials: they belong in streamKey (encrypted), never in the URL. */
const SRT_SECRET_PARAMS = new Set(['streamid', 'passphrase']);

export type DestinationCheck = { ok: true; protocol: OutputProtocol; url: string } | { ok: false; code: string; message: string };

/**
 * Shape of a destination URL (the address policy is checked separately): rtmp://, rtmps:// or srt://
 * with a host, no user:password, no fragment. RTMP(S) takes the server URL with its application path
 * (the stream key is sent apart); SRT only in caller mode, and without streamid/passphrase in the URL.
 */
export function checkDestination(raw: string): DestinationCheck {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, code: 'output_url_invalid', message: 'Enter an rtmp://, rtmps:// or srt:// URL' };
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'rtmp' && scheme !== 'rtmps' && scheme !== 'srt') return { ok: false, code: 'output_url_scheme', message: 'Only rtmp://, rtmps:// and srt:// destinations are supported' };
  if (!u.hostname) return { ok: false, code: 'output_url_invalid', message: 'The URL needs a host' };
  if (u.username || u.password) return { ok: false, code: 'output_url_invalid', message: 'Put credentials in streamKey, not in the URL' };
  if (u.hash) return { ok: false, code: 'output_url_invalid', message: 'The URL must not have a #fragment' };
  if (scheme === 'srt') {
    for (const name of u.searchParams.keys()) {
      if (SRT_SECRET_PARAMS.has(name.toLowerCase())) return { ok: false, code: 'output_url_has_credentials', message: `Put ${name} in streamKey (kept encrypted), not in the URL` };
    }
    const mode = u.searchParams.get('mode');
    if (mode !== null && mode !== 'caller') return { ok: false, code: 'output_url_invalid', message: 'OME pushes SRT in caller mode only (mode=caller)' };
    return { ok: true, protocol: 'srt', url: u.toString() };
  }
  if (u.search) return { ok: false, code: 'output_url_invalid', message: 'RTMP server URLs take no query string; the stream key goes in streamKey' };
  if (u.pathname === '/' || u.pathname === '') return { ok: false, code: 'output_url_invalid', message: 'An RTMP server URL ends with its application, e.g. rtmp://live.twitch.tv/app' };
  // OME strips trailing slashes itself (PushApplication::Validate); do it here so what we show is what it uses.
  return { ok: true, protocol: 'rtmp', url: u.toString().replace(/\/+$/, '') };
}

/**
 * What OME's startPush gets for a destination and its key. RTMP: `url` + `streamKey` (OME connects to
 * url/streamKey). SRT: OME appends a non-empty streamKey as a path segment, which SRT does not take,
 * so the key goes into the query instead: `streamid=<key>`, or, when the key holds parameters
 * (`streamid=…&passphrase=…`), those parameters as they are.
 */
export function pushTarget(protocol: OutputProtocol, url: string, streamKey: string): { protocol: OutputProtocol; url: string; streamKey: string } {
  if (protocol === 'rtmp') return { protocol, url, streamKey };
  if (!streamKey) return { protocol, url, streamKey: '' };
  const u = new URL(url);
  const extra = streamKey.includes('=') ? new URLSearchParams(streamKey) : new URLSearchParams({ streamid: streamKey });
  for (const [k, v] of extra) u.searchParams.append(k, v);
  return { protocol, url: u.toString(), streamKey: '' };
}

/** OME push ids of this platform: `ocp-<output id>-<n>`, n counting the pushes started for that output. */
export const PUSH_ID_PREFIX = 'ocp-';
export const pushIdFor = (outputId: string, seq: number) => `${PUSH_ID_PREFIX}${outputId}-${seq}`;
const PUSH_ID = /^ocp-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d+)$/;
export function parsePushId(id: string): { outputId: string; seq: number } | null {
  const m = PUSH_ID.exec(id);
  return m ? { outputId: m[1]!, seq: Number(m[2]) } : null;
}

/** Delay before retry n (1-based): base · 2^(n-1), at most max. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
}

/** Our state for a push OME lists. `ready` = waiting for the stream (also while the publisher reconnects). */
export function stateFromOme(state: OmePushState): OutputState {
  if (state === 'pushing') return 'active';
  if (state === 'error') return 'error';
  if (END_PUSH_STATES.has(state)) return 'stopped';
  return 'starting';
}

export interface OutputRow {
  id: string;
  enabled: boolean;
  /** The stream is on air: live, or reconnecting inside its window (pushes stay until it really ends). */
  onAir: boolean;
  state: OutputState;
  pushId: string | null;
  nextAttemptAt: Date | null;
}

export type Action =
  /** Start a push (a new push id); `retry` when it follows a failure. */
  | { kind: 'start'; outputId: string }
  /** OME reports the push; record what it says. */
  | { kind: 'observe'; outputId: string; pushId: string; state: OutputState }
  /** OME's push failed: stop it and retry later. */
  | { kind: 'fail'; outputId: string; pushId: string; reason: string }
  /** Stop the output's push (broadcast ended, output disabled) and mark it stopped. */
  | { kind: 'stop'; outputId: string; pushId: string | null }
  /** A push of ours OME runs that no output owns (deleted output, superseded push id, crash between calls). */
  | { kind: 'stop_orphan'; pushId: string };

/**
 * One supervisor tick, from the database's outputs and OME's push list (id → state), at `now`.
 * `outputs` are the outputs that matter (on-air streams' enabled outputs, and any output with a push
 * or a running state); `ownIds` are every push id OME listed with our prefix.
 */
export function planTick(outputs: OutputRow[], ome: ReadonlyMap<string, OmePushState>, now: Date): Action[] {
  const actions: Action[] = [];
  const owned = new Set<string>();
  for (const o of outputs) {
    if (o.pushId) owned.add(o.pushId);
    const shouldRun = o.enabled && o.onAir;
    const omeState = o.pushId ? ome.get(o.pushId) : undefined;
    if (!shouldRun) {
      if (o.pushId || o.state === 'starting' || o.state === 'active' || o.state === 'error') actions.push({ kind: 'stop', outputId: o.id, pushId: o.pushId && omeState !== undefined ? o.pushId : null });
      continue;
    }
    if (o.pushId && omeState !== undefined && !END_PUSH_STATES.has(omeState)) {
      const s = stateFromOme(omeState);
      if (s === 'error') actions.push({ kind: 'fail', outputId: o.id, pushId: o.pushId, reason: 'OME reports the push in state error (the destination refused or dropped the connection)' });
      else if (s !== o.state) actions.push({ kind: 'observe', outputId: o.id, pushId: o.pushId, state: s });
      continue;
    }
    // No push in OME (never started, OME restarted, or OME stopped it): start, unless waiting out a backoff.
    if (o.nextAttemptAt && o.nextAttemptAt > now) continue;
    actions.push({ kind: 'start', outputId: o.id });
  }
  for (const id of ome.keys()) {
    if (parsePushId(id) && !owned.has(id)) actions.push({ kind: 'stop_orphan', pushId: id });
  }
  return actions;
}
