// POST/GET/DELETE /api/api-keys: dashboard sessions only (no `scope`, so ApiRouter refuses API keys).
import type { AppContext } from '../../context.js';
import type { ApiRouter } from '../../http/api-router.js';
import { auth, requireSession } from '../../http/auth.js';
import { ErrorResponse } from '../../http/schemas.js';
import { ApiKeyIdParams, ApiKeyListResponse, CreateApiKeyBody, CreateApiKeyResponse } from './schemas.js';

const err = (description: string) => ({ description, schema: ErrorResponse });

export function apiKeyRoutes(api: ApiRouter, ctx: AppContext): void {
  const session = requireSession(ctx);
  const tag = 'api-keys';
  const refused = { 401: err('No session'), 403: err('API keys cannot manage API keys (session_required)') };
  api.route(
    { method: 'post', path: '/api/api-keys', summary: 'Create an API key; the key is shown only in this answer', tag, security: 'session', body: CreateApiKeyBody,
      responses: { 201: { description: 'Created', schema: CreateApiKeyResponse }, 400: err('Invalid input'), ...refused, 409: err('Too many active keys') } },
    session,
    async (_req, res) => void res.status(201).json(await ctx.apiKeys.create(auth(res).userId, res.locals.body)),
  );
  api.route(
    { method: 'get', path: '/api/api-keys', summary: 'Your API keys (active first, then revoked), without their secrets', tag, security: 'session',
      responses: { 200: { description: 'API keys', schema: ApiKeyListResponse }, ...refused } },
    session,
    async (_req, res) => void res.json({ apiKeys: await ctx.apiKeys.list(auth(res).userId) }),
  );
  api.route(
    { method: 'delete', path: '/api/api-keys/:id', summary: 'Revoke an API key: it stops working at once', tag, security: 'session', params: ApiKeyIdParams,
      responses: { 204: { description: 'Revoked' }, ...refused, 404: err('Not found') } },
    session,
    async (_req, res) => {
      await ctx.apiKeys.revoke(auth(res).userId, res.locals.params.id);
      res.status(204).end();
    },
  );
}
