// Viewer beacons: while the player plays, it reports to the backend every 10 s.
//  - live: the latency it measures (hls.js `latency` for LL-HLS; for WebRTC the jitter-buffer delay
//    per emitted frame plus the nominated candidate pair's round-trip time), the protocol and the
//    rendition (POST /api/beacons/latency, bound to the broadcast on air by its sessionId);
//  - VOD: the time played since the previous beacon and the position (POST /api/beacons/vod, with the
//    VOD's playlist token); the first beacon, sent when playback starts, counts the view.
// Beacons are fire-and-forget (`keepalive`, so the last one survives the page closing); a refused
// one is simply not retried.
import type { BodyOf } from '../../api/types';

export type BeaconTarget =
  | { kind: 'live'; streamId: string; sessionId: string }
  | { kind: 'vod'; vodId: string; token: string };

export const BEACON_INTERVAL_MS = 10_000;

type LatencyBeacon = BodyOf<'/api/beacons/latency', 'post'>;
type VodBeacon = BodyOf<'/api/beacons/vod', 'post'>;
export type Send = (path: '/api/beacons/latency' | '/api/beacons/vod', body: LatencyBeacon | VodBeacon) => void;

/** The subset of OvenPlayer's API the beacons read. */
export interface BeaconPlayer {
  on(event: string, callback: (data: unknown) => void): void;
  getState?(): string;
  getPosition?(): number;
  getProviderName?(): string | null;
  getMseInstance?(): unknown;
}

/** Random per player instance: not a person, not stored anywhere. */
export function newViewerId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

const RENDITION = /^[A-Za-z0-9_.:-]{1,32}$/;
/** A rendition name the backend accepts, else none (it is optional). */
export function renditionName(name: string | null | undefined, height?: number | null): string | undefined {
  if (name && RENDITION.test(name)) return name;
  return height && height > 0 ? `${Math.round(height)}p` : undefined;
}

const clampMs = (seconds: number) => Math.min(120_000, Math.max(0, Math.round(seconds * 1000)));

interface HlsLike {
  latency?: number;
  currentLevel?: number;
  levels?: { name?: string; height?: number }[];
}

/** hls.js: `latency` (seconds behind the live edge) and the level playing. */
export function hlsMeasure(hls: unknown): { latencyMs: number; rendition?: string } | null {
  const h = hls as HlsLike | null;
  if (!h || typeof h.latency !== 'number' || !Number.isFinite(h.latency) || h.latency <= 0) return null;
  const level = typeof h.currentLevel === 'number' && h.currentLevel >= 0 ? h.levels?.[h.currentLevel] : undefined;
  const rendition = renditionName(level?.name, level?.height);
  return { latencyMs: clampMs(h.latency), ...(rendition ? { rendition } : {}) };
}

interface StatLike {
  type: string;
  kind?: string;
  mediaType?: string;
  jitterBufferDelay?: number;
  jitterBufferEmittedCount?: number;
  frameHeight?: number;
  nominated?: boolean;
  state?: string;
  selected?: boolean;
  currentRoundTripTime?: number;
}
export interface JitterCounters {
  delay: number;
  emitted: number;
}

/**
 * WebRTC stats (RTCPeerConnection.getStats()): the video jitter buffer's delay per emitted frame
 * (since the previous reading when there is one, else since the start) plus the round-trip time of
 * the nominated, succeeded candidate pair.
 */
export function webrtcMeasure(report: Iterable<StatLike>, previous?: JitterCounters): { latencyMs: number; rendition?: string; counters: JitterCounters } | null {
  const stats = [...report];
  const inbound = stats.filter((s) => s.type === 'inbound-rtp' && typeof s.jitterBufferEmittedCount === 'number');
  const video = inbound.find((s) => (s.kind ?? s.mediaType) === 'video') ?? inbound[0];
  if (!video || !video.jitterBufferEmittedCount) return null;
  const counters = { delay: video.jitterBufferDelay ?? 0, emitted: video.jitterBufferEmittedCount };
  const emitted = previous && counters.emitted > previous.emitted ? counters.emitted - previous.emitted : counters.emitted;
  const delay = previous && counters.emitted > previous.emitted ? counters.delay - previous.delay : counters.delay;
  const jitter = emitted > 0 ? delay / emitted : 0;
  const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') ?? stats.find((s) => s.type === 'candidate-pair' && s.selected);
  const rtt = typeof pair?.currentRoundTripTime === 'number' ? pair.currentRoundTripTime : 0;
  const rendition = renditionName(null, video.frameHeight);
  return { latencyMs: clampMs(jitter + rtt), ...(rendition ? { rendition } : {}), counters };
}

/** The `token` of a VOD's playlist URL (`playback.hls` of GET /api/vods/:id), which VOD beacons carry. */
export function playlistToken(hls: string): string | null {
  try {
    return new URL(hls, 'http://localhost').searchParams.get('token');
  } catch {
    return null;
  }
}

export const sendBeacon: Send = (path, body) => {
  try {
    void fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), keepalive: true }).catch(() => undefined);
  } catch {
    // A beacon never breaks playback.
  }
};

interface StatsSource {
  getStats(): Promise<Iterable<StatLike> | { forEach(cb: (s: StatLike) => void): void }>;
}
const toList = (r: Iterable<StatLike> | { forEach(cb: (s: StatLike) => void): void }): StatLike[] => {
  const out: StatLike[] = [];
  if (Symbol.iterator in r) {
    // An RTCStatsReport iterates [id, stats] pairs; a plain list iterates stats.
    for (const e of r as Iterable<unknown>) out.push((Array.isArray(e) ? e[1] : e) as StatLike);
  } else r.forEach((s) => out.push(s));
  return out;
};

/**
 * Reports for one OvenPlayer instance until the returned function is called (on teardown; a VOD
 * then sends what it played since the last beacon).
 */
export function attachBeacons(player: BeaconPlayer, target: BeaconTarget, opts: { send?: Send; intervalMs?: number; now?: () => number } = {}): () => void {
  const send = opts.send ?? sendBeacon;
  const now = opts.now ?? (() => Date.now());
  const viewerId = newViewerId();
  let timer: ReturnType<typeof setInterval> | null = null;

  if (target.kind === 'live') {
    let pc: StatsSource | null = null;
    let previous: JitterCounters | undefined;
    player.on('peerConnectionPrepared', (p) => {
      pc = p as StatsSource;
      previous = undefined;
    });
    const report = async () => {
      if (player.getState?.() !== 'playing') return;
      const webrtc = player.getProviderName?.() === 'webrtc';
      let m: { latencyMs: number; rendition?: string } | null = null;
      if (webrtc && pc) {
        const r = webrtcMeasure(toList(await pc.getStats()), previous);
        if (r) previous = r.counters;
        m = r;
      } else if (!webrtc) m = hlsMeasure(player.getMseInstance?.());
      if (!m) return;
      send('/api/beacons/latency', {
        streamId: target.streamId, sessionId: target.sessionId, viewerId, protocol: webrtc ? 'webrtc' : 'llhls', latencyMs: m.latencyMs,
        ...(m.rendition ? { rendition: m.rendition } : {}),
      });
    };
    timer = setInterval(() => void report().catch(() => undefined), opts.intervalMs ?? BEACON_INTERVAL_MS);
    return () => {
      if (timer) clearInterval(timer);
    };
  }

  // VOD: play time is added up from the player's state changes.
  let playingSince: number | null = null;
  let played = 0;
  let started = false;
  const position = () => Math.max(0, Math.round((player.getPosition?.() ?? 0) * 1000));
  const report = () => {
    const t = now();
    const watched = played + (playingSince !== null ? t - playingSince : 0);
    if (!started || watched <= 0) return;
    played = 0;
    if (playingSince !== null) playingSince = t;
    send('/api/beacons/vod', { vodId: target.vodId, viewerId, token: target.token, watchedMs: Math.round(watched), positionMs: position() });
  };
  player.on('stateChanged', (data) => {
    const state = (data as { newstate?: string } | null)?.newstate;
    const t = now();
    if (state === 'playing') {
      if (playingSince === null) playingSince = t;
      if (!started) {
        started = true;
        // The view counts from the first beacon, sent as playback starts.
        send('/api/beacons/vod', { vodId: target.vodId, viewerId, token: target.token, watchedMs: 0, positionMs: position() });
      }
    } else if (playingSince !== null) {
      played += t - playingSince;
      playingSince = null;
      // Paused or finished: report what was played now (the page may be closed next).
      report();
    }
  });
  timer = setInterval(() => report(), opts.intervalMs ?? BEACON_INTERVAL_MS);
  return () => {
    if (timer) clearInterval(timer);
    report();
  };
}
