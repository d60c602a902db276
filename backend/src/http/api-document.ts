// The OpenAPI document built from the route declarations alone: no database, no Redis, no server.
// Route functions are the same ones createApp mounts (declareApi), so the two cannot differ.
// It is the source of the dashboard's generated API types (src/cli/api-types.ts), and the same
// document GET /api/openapi.json serves (checked in api-document.test.ts).
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { buildConfig } from '../config/index.js';
import { parseEnv } from '../config/env.js';
import type { AppContext } from '../context.js';
import { ApiRouter } from './api-router.js';
import { declareApi } from './app.js';
import { createLogger } from './logger.js';
import { buildOpenApiDocument } from './openapi.js';

/** Placeholder settings: routes read their config while being declared; none of it is in the document. */
const DOCUMENT_ENV = {
  // Not production: these placeholders only let routes be declared; nothing is served with them.
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgresql://openapi@127.0.0.1:1/openapi',
  REDIS_URL: 'redis://127.0.0.1:1',
  SESSION_JWT_SECRET: 'openapi-document-session-secret-0000000000',
  PUBLISH_JWT_SECRET: 'openapi-document-publish-secret-0000000000',
  PLAYBACK_JWT_SECRET: 'openapi-document-playback-secret-000000000',
  OME_WEBHOOK_SECRET: 'openapi-document-ome-secret',
  OME_PUBLIC_HOST: 'ome.invalid',
};

/**
 * Stands in for the connections (db, Redis, queues…) while routes are declared: any member can be
 * read, and any call returns a promise that never settles, so nothing is sent anywhere (e.g. the
 * rate limiters' Redis script loading simply never happens). Handlers never run here.
 */
function offline(): unknown {
  const pending = new Promise<never>(() => {});
  const target = () => {};
  const proxy: unknown = new Proxy(target, {
    get: (_t, prop) => (prop === 'then' ? undefined : proxy),
    apply: () => pending,
    construct: () => proxy as object,
  });
  return proxy;
}

function declarationContext(): AppContext {
  const known: Partial<AppContext> = { config: buildConfig(parseEnv(DOCUMENT_ENV)), logger: createLogger('silent') };
  return new Proxy(known as AppContext, {
    get: (target, prop) => (prop in target ? target[prop as keyof AppContext] : offline()),
  });
}

export function apiDocument() {
  const api = new ApiRouter(new OpenAPIRegistry());
  declareApi(api, declarationContext());
  return buildOpenApiDocument(api.registry);
}
