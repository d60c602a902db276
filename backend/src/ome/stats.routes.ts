// GET /api/streams/:id/stats: live health (input bitrate, fps, resolution) and viewer counts, read
// from OME's REST API. Owner-only like every stream route (others get 404).
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { ErrorResponse } from '../http/schemas.js';
import { StreamIdParams } from '../streams/schemas.js';
import { StreamService } from '../streams/service.js';
import { OmeRestClient, OmeUnreachableError } from './rest-client.js';
import { toStreamStats } from './stats.js';

export const StreamStatsResponse = z.object({
  streamId: z.string(),
  live: z.boolean(),
  viewers: z.object({ total: z.number().int(), webrtc: z.number().int(), llhls: z.number().int() }),
  input: z
    .object({
      bitrateBps: z.number().int(),
      fps: z.number().nullable(),
      width: z.number().int().nullable(),
      height: z.number().int().nullable(),
      videoCodec: z.string().nullable(),
      audioCodec: z.string().nullable(),
    })
    .nullable(),
  updatedAt: z.string(),
});

const err = (description: string) => ({ description, schema: ErrorResponse });

export function statsRoutes(api: ApiRouter, ctx: AppContext): void {
  const streams = new StreamService(ctx);
  const ome = new OmeRestClient({
    apiUrl: ctx.config.ome.apiUrl,
    accessToken: ctx.config.ome.apiAccessToken,
    timeoutMs: ctx.config.ome.apiTimeoutMs,
    vhost: ctx.config.ome.vhost,
    app: ctx.config.ome.app,
  });

  const log = ctx.logger.child({ domain: 'ome-rest' });

  api.route(
    { method: 'get', path: '/api/streams/:id/stats', summary: 'Live input health and concurrent viewers, from OME', tag: 'streams', security: 'session', scope: 'streams:read', params: StreamIdParams,
      responses: { 200: { description: 'Stats', schema: StreamStatsResponse }, 401: err('No session'), 404: err('Not found'), 502: err('OME is unreachable') } },
    requireSession(ctx),
    async (_req, res) => {
      const s = await streams.owned(auth(res), res.locals.params.id);
      // The OME stream name is the Stream id.
      try {
        const [info, stats] = await Promise.all([ome.getStream(s.id), ome.getStreamStats(s.id)]);
        res.json(toStreamStats(s.id, info, stats, new Date()));
      } catch (err) {
        // The client gets the 502; operators get the reason (never the token).
        if (err instanceof OmeUnreachableError) log.warn({ streamId: s.id, reason: err.reason }, err.message);
        throw err;
      }
    },
  );
}
