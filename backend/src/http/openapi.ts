import { OpenApiGeneratorV31, getRefId, zodToOpenAPIRegistry, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { AdminUser, Invite } from '../admin/schemas.js';
import { User } from '../auth/schemas.js';
import { StreamStatsResponse } from '../ome/stats.routes.js';
import { Output } from '../outputs/schemas.js';
import { Ingest, Playback, PublicStream, Session, Stream } from '../streams/schemas.js';
import { Vod, VodDetail, VodRendition } from '../vods/schemas.js';
import { Delivery, Endpoint, WebhookEventType } from '../webhooks/schemas.js';
import { ErrorResponse } from './schemas.js';

/**
 * Shared shapes documented once under components/schemas (and referenced with $ref), so the
 * dashboard's generated types get these names. The schema objects themselves are not changed.
 */
const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  Error: ErrorResponse,
  User,
  Stream,
  StreamStatus: Stream.shape.status,
  Ingest,
  Playback,
  StreamSession: Session,
  PublicStream,
  StreamStats: StreamStatsResponse,
  Vod,
  VodDetail,
  VodRendition,
  VodStatus: Vod.shape.status,
  WebhookEventType,
  WebhookEndpoint: Endpoint,
  WebhookDelivery: Delivery,
  AdminUser,
  Invite,
  StreamOutput: Output,
  OutputState: Output.shape.state,
};

function nameSchemas(): void {
  for (const [refId, schema] of Object.entries(NAMED_SCHEMAS)) {
    if (getRefId(schema) === refId) continue;
    const meta = zodToOpenAPIRegistry.get(schema);
    zodToOpenAPIRegistry.add(schema, { ...meta, _internal: { ...meta?._internal, refId } });
  }
}

export function buildOpenApiDocument(registry: OpenAPIRegistry) {
  nameSchemas();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Dashboard session (POST /api/auth/login)' });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ocp_ API key',
    description:
      'Server-to-server API key (`Authorization: Bearer ocp_…`, POST /api/api-keys). The role listed on an operation is the scope it needs; `:write` includes `:read`. ' +
      'Operations without an apiKey alternative (API keys, sessions, passwords, admin) refuse every API key with 403 `session_required`; a key without the scope gets 403 `insufficient_scope`.',
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'OME control plane API', version: '0.1.0', description: 'Streams, stream keys, playback, OME admission webhooks, outgoing webhooks.' },
    servers: [{ url: '/' }],
  });
}
