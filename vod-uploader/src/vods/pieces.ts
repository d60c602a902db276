// A broadcast's recordings (pieces) and when and how they become one Vod. Pure.
import type { ProbeResult, Rendition } from '../media/ffmpeg.js';

/** The one Vod of a session has this recording key: the Vod's unique recordingId guards "one per session". */
export function sessionVodKey(sessionId: string): string {
  return `session-${sessionId}`;
}

export type JoinReadiness =
  /** Still live or reconnecting (endedAt not set): look again at `retryAt`. */
  | { state: 'open'; retryAt: Date }
  /** Ended, but OME may still be finalising files: join at `retryAt` (end + settle). */
  | { state: 'settling'; retryAt: Date }
  | { state: 'final' };

/**
 * A session is final once its endedAt is set (the backend keeps it open while the stream is
 * reconnecting) and the settle delay has passed since that end and since the newest piece arrived:
 * files OME finalises after the closing call are listed before the join, and when they come late
 * (after the settle from the end), their siblings (the other renditions of the same publish,
 * written together) get the same delay instead of arriving during a join that then starts over.
 */
export function joinReadiness(endedAt: Date | null, now: Date, settleMs: number, pollMs: number, newestPieceAt: Date | null = null): JoinReadiness {
  if (endedAt === null) return { state: 'open', retryAt: new Date(now.getTime() + pollMs) };
  const at = Math.max(endedAt.getTime(), newestPieceAt?.getTime() ?? 0) + settleMs;
  if (now.getTime() < at) return { state: 'settling', retryAt: new Date(at) };
  return { state: 'final' };
}

export interface PieceRef {
  recordingId: string;
  startedAt: Date | null;
  transactionId: string;
  sequence: number;
  createdAt: Date;
}

/** Broadcast order: by recording start, then OME's split sequence, then arrival. */
export function orderPieces<T extends PieceRef>(pieces: T[]): T[] {
  const t = (p: PieceRef) => (p.startedAt ?? p.createdAt).getTime();
  return [...pieces].sort(
    (a, b) => t(a) - t(b) || (a.transactionId === b.transactionId ? a.sequence - b.sequence : 0) || a.createdAt.getTime() - b.createdAt.getTime() || a.recordingId.localeCompare(b.recordingId),
  );
}

/**
 * What must be equal for two pieces to be concatenated without re-encoding into one continuous
 * stream: the tracks, their codecs and profiles, picture size, and audio layout. Frame rate and
 * bitrate may differ (timestamps carry them).
 */
export function compatKey(media: Pick<ProbeResult, 'renditions'>): string {
  const track = (r: Rendition) =>
    r.type === 'video' ? `v:${r.codec}:${r.profile ?? ''}:${r.width ?? 0}x${r.height ?? 0}` : `a:${r.codec}:${r.profile ?? ''}:${r.sampleRate ?? 0}:${r.channels ?? 0}`;
  // Only the first video and audio track are kept by the remux (-map 0:v:0? -map 0:a:0?).
  const v = media.renditions.find((r) => r.type === 'video');
  const a = media.renditions.find((r) => r.type === 'audio');
  return [v ? track(v) : 'no-video', a ? track(a) : 'no-audio'].join('|');
}

/**
 * Consecutive pieces with equal parameters form one run (one concat, no re-encode); a change of
 * parameters (a new resolution, a new codec) starts the next run, marked with EXT-X-DISCONTINUITY.
 */
export function joinRuns<T extends { media: Pick<ProbeResult, 'renditions'> }>(ordered: T[]): T[][] {
  const runs: T[][] = [];
  let key: string | null = null;
  for (const p of ordered) {
    const k = compatKey(p.media);
    if (k !== key || runs.length === 0) runs.push([]);
    runs[runs.length - 1]!.push(p);
    key = k;
  }
  return runs;
}
