import { randomUUID } from 'node:crypto';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import cors from 'cors';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { authRoutes } from '../auth/routes.js';
import type { AppContext } from '../context.js';
import { omeRoutes } from '../ome/routes.js';
import { streamRoutes } from '../streams/routes.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { ApiRouter } from './api-router.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { healthRoutes } from './health.js';
import { httpMetrics } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { scrubUrl } from './logger.js';

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('query parser', 'simple');

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
      // The admission hot path logs only refusals (in the service), not every call.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' || req.url?.startsWith('/api/ome/') === true },
    }),
  );
  app.use(httpMetrics(ctx.metrics));
  app.use(helmet());

  const health = Router();
  healthRoutes(health, ctx);
  app.use(health);

  // OME calls the admission route server-to-server: no CORS, raw body (mounted before the JSON parser).
  const registry = new OpenAPIRegistry();
  const omeApi = new ApiRouter(registry);
  omeRoutes(omeApi, ctx);
  app.use(omeApi.router);

  app.use('/api', cors({ origin: ctx.config.corsOrigins, credentials: false, maxAge: 600 }));
  app.use('/api', express.json({ limit: ctx.config.bodyLimit, strict: true }));

  const api = new ApiRouter(registry);
  authRoutes(api, ctx);
  streamRoutes(api, ctx);
  webhookRoutes(api, ctx);
  app.use(api.router);

  let openapi: unknown;
  app.get('/api/openapi.json', (_req, res) => void res.json((openapi ??= buildOpenApiDocument(registry))));

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
