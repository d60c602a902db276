// A broadcast's viewer latency as its players measured it (owner only): p50/p95 per protocol, over
// the last windowMinutes (the live view) or the whole broadcast.
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { notFound } from '../http/errors.js';
import { ErrorResponse } from '../http/schemas.js';
import { isUuid } from '../streams/ids.js';
import { StreamService } from '../streams/service.js';
import { documentBeacons } from './endpoint.js';
import { SessionLatencyParams, SessionLatencyQuery, SessionLatencyResponse } from './schemas.js';

export function analyticsRoutes(api: ApiRouter, ctx: AppContext): void {
  documentBeacons(api);
  const streams = new StreamService(ctx);
  api.route(
    {
      method: 'get', path: '/api/streams/:id/sessions/:sessionId/latency', tag: 'streams', security: 'session', scope: 'streams:read',
      summary: "Viewer latency of a broadcast as its players measured it: p50/p95, samples and viewers per protocol (WebRTC, LL-HLS)",
      params: SessionLatencyParams, query: SessionLatencyQuery,
      responses: { 200: { description: 'Latency per protocol', schema: SessionLatencyResponse }, 400: { description: 'Invalid query', schema: ErrorResponse }, 401: { description: 'No session', schema: ErrorResponse }, 404: { description: 'Not found (or not yours)', schema: ErrorResponse } },
    },
    requireSession(ctx),
    async (_req, res) => {
      const s = await streams.owned(auth(res), res.locals.params.id);
      const { sessionId } = res.locals.params as { sessionId: string };
      const session = isUuid(sessionId) ? await ctx.db.streamSession.findUnique({ where: { id: sessionId }, select: { streamId: true, endedAt: true } }) : null;
      if (!session || session.streamId !== s.id) throw notFound('Session');
      const windowMinutes = (res.locals.query as { windowMinutes?: number }).windowMinutes ?? null;
      res.json({ sessionId, live: session.endedAt === null, windowMinutes, protocols: await ctx.analytics.sessionLatency(sessionId, windowMinutes) });
    },
  );
}
