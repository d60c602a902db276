import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import cors from 'cors';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { apiKeyRoutes } from '../auth/api-keys/routes.js';
import { authRoutes } from '../auth/routes.js';
import { sessionRoutes } from '../auth/sessions/routes.js';
import type { AppContext } from '../context.js';
import { admissionEndpoint, documentAdmission, isAdmissionRequest } from '../ome/admission-endpoint.js';
import { healthRoutes as streamHealthRoutes, keepsRawBody } from '../health/routes.js';
import { statsRoutes } from '../ome/stats.routes.js';
import { outputRoutes } from '../outputs/routes.js';
import { streamRoutes } from '../streams/routes.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { vodRoutes } from '../vods/routes.js';
import { DASHBOARD_PATH, queueDashboard } from '../vods/dashboard.js';
import { ApiRouter } from './api-router.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { adminRoutes } from '../admin/routes.js';
import { beaconEndpoint, beaconKind } from '../analytics/endpoint.js';
import { analyticsRoutes } from '../analytics/routes.js';
import { healthRoutes } from './health.js';
import { httpMetrics } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { scrubUrl } from './logger.js';

/**
 * Every documented route. Declaring a route reads only `ctx.config`; the context's connections
 * are used by the handlers, so the OpenAPI document can be built without them (api-document.ts).
 */
export function declareApi(api: ApiRouter, ctx: AppContext): void {
  documentAdmission(api);
  authRoutes(api, ctx);
  sessionRoutes(api, ctx);
  apiKeyRoutes(api, ctx);
  const streams = streamRoutes(api, ctx);
  outputRoutes(api, ctx, streams);
  statsRoutes(api, ctx);
  streamHealthRoutes(api, ctx);
  analyticsRoutes(api, ctx);
  webhookRoutes(api, ctx);
  vodRoutes(api, ctx);
  adminRoutes(api, ctx);
}

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('query parser', 'simple');
  // No ETags: API answers are per-user and short-lived, and hashing every body costs the admission hot path.
  app.set('etag', false);

  const registry = new OpenAPIRegistry();
  app.use(httpMetrics(ctx.metrics));

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: scrubUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use(helmet());

  const health = Router();
  healthRoutes(health, ctx);
  app.use(health);

  app.use('/api', cors({ origin: ctx.config.corsOrigins, credentials: false, maxAge: 600 }));
  app.use(
    '/api',
    express.json({
      limit: ctx.config.bodyLimit,
      strict: true,
      // Signed OME requests keep their bytes: the signature is over the body exactly as sent.
      verify: (req, _res, buf) => {
        if (keepsRawBody((req as { originalUrl?: string }).originalUrl)) (req as { rawBody?: Buffer }).rawBody = Buffer.from(buf);
      },
    }),
  );

  const api = new ApiRouter(registry);
  declareApi(api, ctx);
  app.use(api.router);

  let openapi: unknown;
  app.get('/api/openapi.json', (_req, res) => void res.json((openapi ??= buildOpenApiDocument(registry))));

  app.use(DASHBOARD_PATH, queueDashboard(ctx));
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}

/**
 * The backend's HTTP surface: OME's admission calls and viewers' beacons go to their own lean
 * handlers (see ome/admission-endpoint.ts, analytics/endpoint.ts), everything else to the Express app.
 */
export function createRequestListener(ctx: AppContext): RequestListener {
  const app = createApp(ctx);
  const admission = admissionEndpoint(ctx);
  const beacons = beaconEndpoint(ctx);
  const beacon = { latency: beacons('latency'), vod: beacons('vod') };
  return (req, res) => {
    if (isAdmissionRequest(req)) return admission(req, res);
    const kind = beaconKind(req);
    return kind ? beacon[kind](req, res) : app(req, res);
  };
}
