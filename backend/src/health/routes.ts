// OME's Alert notifications in (signed like admission webhooks), and a stream's health out.
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { ErrorResponse } from '../http/schemas.js';
import { parseOr400 } from '../http/validate.js';
import { verifyOmeSignature } from '../ome/signature.js';
import { StreamIdParams } from '../streams/schemas.js';
import { StreamService } from '../streams/service.js';
import { isUuid } from '../streams/ids.js';
import { OmeAlertBody, parseSourceUri } from './alert-payload.js';
import { MAX_SAMPLES, sessionSeries } from './series.js';
import { applyAlert, healthOf } from './service.js';
import { notFound } from '../http/errors.js';
import { text } from '../http/strings.js';

export const ALERT_PATH = '/api/ome/alert';

/** Request bodies of this route keep their raw bytes (express.json's verify): the signature is over them. */
export const keepsRawBody = (url: string | undefined) => url?.split('?')[0] === ALERT_PATH;

const HealthAlert = z.object({
  id: z.uuid(),
  code: z.string().describe("OME's code, e.g. INGRESS_HAS_BFRAME (docs/alert.md)"),
  severity: z.enum(['warning', 'critical']),
  title: z.string(),
  fix: z.string().describe('What to change in the encoder'),
  description: z.string().describe("OME's own description"),
  sessionId: z.uuid().nullable(),
  raisedAt: z.iso.datetime(),
  clearedAt: z.iso.datetime().nullable(),
});
const HealthResponse = z.object({
  current: z.array(HealthAlert).describe('Problems of the broadcast on air now'),
  history: z.array(HealthAlert).describe('The latest 50 alerts of any broadcast, newest first'),
});

const SeriesResponse = z.object({
  intervalMs: z.number().int().describe('HEALTH_SAMPLE_INTERVAL_MS: one sample per this while live'),
  peakViewers: z.number().int().describe('Most concurrent viewers in one sample'),
  viewerMinutes: z.number().describe('Viewers × time, summed over the broadcast (a gap in sampling counts at most two intervals)'),
  samples: z.array(z.object({
    at: z.iso.datetime(),
    bitrateInBps: z.number().int(),
    fps: z.number().nullable(),
    viewers: z.object({ webrtc: z.number().int(), llhls: z.number().int().describe('LL-HLS and the other non-WebRTC viewers'), total: z.number().int() }),
  })).describe('Oldest first, at most 20,000 (about 28 hours at 5 s)'),
});
const SessionParams = z.object({ id: text(), sessionId: text() });
const SeriesQuery = z.object({
  since: z.iso
    .datetime({ offset: true, message: 'since must be an ISO 8601 date-time, e.g. the `at` of the last sample you have' })
    .optional()
    .describe(`Only the samples after this time (a live chart asks for what is new); peakViewers and viewerMinutes are always over the whole broadcast. At most ${MAX_SAMPLES} samples per answer.`),
});

export function healthRoutes(api: ApiRouter, ctx: AppContext): void {
  const signed = (req: Request, _res: Response, next: NextFunction) => {
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    if (!raw || !verifyOmeSignature(ctx.config.ome.webhookSecret, raw, req.headers['x-ome-signature'] as string | undefined)) {
      return next(new AppError(401, 'invalid_signature', 'Missing or wrong X-OME-Signature'));
    }
    next();
  };
  api.route(
    { method: 'post', path: ALERT_PATH, summary: "OME Alert module's notifications (X-OME-Signature: base64url HMAC-SHA1 of the body, like admission)", tag: 'ome', security: 'ome',
      responses: { 200: { description: 'Applied (or about a stream that is not ours: ignored)', schema: z.object({}) }, 400: { description: 'Malformed notification', schema: ErrorResponse }, 401: { description: 'Missing or wrong signature', schema: ErrorResponse } } },
    signed,
    async (req, res) => {
      const alert = parseOr400(OmeAlertBody, req.body, 'alert notification');
      const src = alert.type === 'INGRESS' && alert.sourceUri ? parseSourceUri(alert.sourceUri) : null;
      // Other vhosts/apps, other alert types (queue congestion) and unknown streams change nothing.
      if (src && src.vhost === ctx.config.ome.vhost && src.app === ctx.config.ome.app && isUuid(src.stream)) {
        const applied = await applyAlert(ctx, src.stream, alert);
        if (applied && (applied.raised.length || applied.cleared.length)) ctx.logger.info({ streamId: src.stream, raised: applied.raised, cleared: applied.cleared }, 'stream health changed');
      }
      res.json({});
    },
  );

  const streams = new StreamService(ctx);
  api.route(
    { method: 'get', path: '/api/streams/:id/health', summary: 'Ingest problems OME reported: the current broadcast and the latest ones, with the fix', tag: 'streams', security: 'session', scope: 'streams:read', params: StreamIdParams,
      responses: { 200: { description: 'Health', schema: HealthResponse }, 401: { description: 'No session', schema: ErrorResponse }, 404: { description: 'Not found', schema: ErrorResponse } } },
    requireSession(ctx),
    async (_req, res) => {
      const s = await streams.owned(auth(res), res.locals.params.id);
      res.json(await healthOf(ctx.db, s.id));
    },
  );
  api.route(
    { method: 'get', path: '/api/streams/:id/sessions/:sessionId/health', summary: "A broadcast's health over time (input bitrate, fps, viewers per protocol), its peak viewers and viewer-minutes", tag: 'streams', security: 'session', scope: 'streams:read', params: SessionParams, query: SeriesQuery,
      responses: { 200: { description: 'Series', schema: SeriesResponse }, 400: { description: 'Invalid query', schema: ErrorResponse }, 401: { description: 'No session', schema: ErrorResponse }, 404: { description: 'Not found', schema: ErrorResponse } } },
    requireSession(ctx),
    async (_req, res) => {
      const s = await streams.owned(auth(res), res.locals.params.id);
      const { sessionId } = res.locals.params as { sessionId: string };
      const session = isUuid(sessionId) ? await ctx.db.streamSession.findUnique({ where: { id: sessionId }, select: { streamId: true } }) : null;
      if (!session || session.streamId !== s.id) throw notFound('Session');
      const { since } = res.locals.query as { since?: string };
      res.json(await sessionSeries(ctx.db, sessionId, ctx.config.healthSamples.intervalMs || 5000, since === undefined ? undefined : new Date(since)));
    },
  );
}
