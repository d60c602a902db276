import { z } from 'zod';
import { text } from '../http/strings.js';
import { MAX_LATENCY_MS, VIEWER_PROTOCOLS, type ViewerProtocol } from './rules.js';

/** Random per player instance (the player makes a UUID); letters, digits, - and _ only. */
const viewerId = text()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'viewerId must be 8-64 letters, digits, - or _ (a random id per player)')
  .describe('Random id of this player instance (a fresh one per page load)');
const ms = (name: string, max: number) =>
  z.number({ error: `${name} must be a number of milliseconds` }).int(`${name} must be whole milliseconds`).min(0, `${name} must not be negative`).max(max, `${name} must be at most ${max}`);

export const LatencyBeaconBody = z.strictObject({
  streamId: z.uuid({ error: 'streamId must be a stream id' }),
  sessionId: z.uuid({ error: "sessionId must be the broadcast's id (GET /api/public/streams/:id)" }).describe('The current broadcast (`sessionId` of GET /api/public/streams/:id)'),
  viewerId,
  protocol: z.enum(VIEWER_PROTOCOLS as [ViewerProtocol, ...ViewerProtocol[]], { error: "protocol must be 'webrtc' or 'llhls'" }),
  rendition: text()
    .regex(/^[A-Za-z0-9_.:-]{1,32}$/, 'rendition must be 1-32 letters, digits, _ . : or -')
    .optional()
    .describe('The rendition playing (e.g. 720p)'),
  latencyMs: ms('latencyMs', MAX_LATENCY_MS).describe('Measured glass-to-glass estimate: hls.js `latency` (LL-HLS); jitter-buffer delay + round-trip time (WebRTC)'),
});
export type LatencyBeacon = z.infer<typeof LatencyBeaconBody>;

export const VodBeaconBody = z.strictObject({
  vodId: z.uuid({ error: 'vodId must be a VOD id' }),
  viewerId,
  token: text().min(1, 'token is required').max(2048).describe('The playlist token of the VOD (the `token` of `playback.hls` from GET /api/vods/:id)'),
  watchedMs: ms('watchedMs', 3_600_000).describe('Time played since the previous beacon (0 on the first); more than 15 s counts as 15 s'),
  positionMs: ms('positionMs', 7 * 24 * 3_600_000).describe('Playback position'),
});
export type VodBeaconInput = z.infer<typeof VodBeaconBody>;

const ProtocolLatency = z.object({
  p50Ms: z.number().int().nullable().describe('Median (nearest rank); null without samples'),
  p95Ms: z.number().int().nullable(),
  samples: z.number().int(),
  viewers: z.number().int().describe('Distinct players that reported'),
});

export const SessionLatencyParams = z.object({ id: text(), sessionId: text() });
export const SessionLatencyQuery = z.object({
  windowMinutes: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'windowMinutes must be a whole number of minutes from 1 to 1440')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1440, 'windowMinutes must be a whole number of minutes from 1 to 1440')
    .optional()
    .describe('Only the last this many minutes (live view); the whole broadcast without it'),
});
export const SessionLatencyResponse = z.object({
  sessionId: z.uuid(),
  live: z.boolean().describe('The broadcast is on air (live or reconnecting)'),
  windowMinutes: z.number().int().nullable(),
  protocols: z.object({ webrtc: ProtocolLatency, llhls: ProtocolLatency }).describe('Latency the players measured, per playback protocol'),
});
