// Routes read as a sentence: method, path, auth, validation, handler. Declaring a route here
// both mounts it and documents it in the OpenAPI registry, so the document cannot drift.
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { ApiScope } from '../auth/api-keys/scopes.js';
import { requireDashboardSession, requireScope } from './auth.js';
import { ErrorResponse } from './schemas.js';
import { validate } from './validate.js';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** 'session' = Bearer session JWT; 'none' = public; 'ome' = X-OME-Signature. */
  security: 'session' | 'none' | 'ome';
  /**
   * Session routes: the scope an API key needs here. Without one the route is for dashboard
   * sessions only and refuses every API key (403 session_required).
   */
  scope?: ApiScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

/** Session routes also answer 403 to API keys out of scope (or to every key, on session-only routes). */
function withKeyRefusal(spec: RouteSpec): RouteSpec['responses'] {
  if (spec.security !== 'session' || spec.responses[403]) return spec.responses;
  const description = spec.scope ? `An API key without the ${spec.scope} scope (insufficient_scope)` : 'An API key: this route takes dashboard sessions only (session_required)';
  return { ...spec.responses, 403: { description, schema: ErrorResponse } };
}

export class ApiRouter {
  readonly router = Router();
  constructor(readonly registry: OpenAPIRegistry) {}

  route(spec: RouteSpec, ...handlers: RequestHandler[]): void {
    this.document(spec);
    const v = validate({ params: spec.params, query: spec.query, body: spec.body });
    // After the auth middleware, before validation: an API key out of scope learns nothing more.
    const keys = spec.security === 'session' ? [spec.scope ? requireScope(spec.scope) : requireDashboardSession] : [];
    this.router[spec.method](spec.path, ...handlers.slice(0, -1), ...keys, v, handlers[handlers.length - 1]!);
  }

  /** Documents a route that is served outside this router (OME's admission endpoint). */
  document(spec: RouteSpec): void {
    this.registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:([A-Za-z_]+)/g, '{$1}'),
      summary: spec.summary,
      tags: [spec.tag],
      // Alternatives: a session JWT, or (where the route has a scope) an API key holding that scope.
      ...(spec.security === 'session' ? { security: [{ bearerAuth: [] }, ...(spec.scope ? [{ apiKey: [spec.scope] }] : [])] } : {}),
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
      },
      responses: Object.fromEntries(
        Object.entries(withKeyRefusal(spec)).map(([status, r]) => [
          status,
          r.schema ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } } : { description: r.description },
        ]),
      ),
    });
  }
}
