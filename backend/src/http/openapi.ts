import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export function buildOpenApiDocument(registry: OpenAPIRegistry) {
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
