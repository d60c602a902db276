import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { AppError, notFound } from '../http/errors.js';
import { checkUrlHost } from '../net/address-policy.js';
import { afterCursor, newestFirst, toPage } from '../http/pagination.js';
import { ErrorResponse } from '../http/schemas.js';
import { isUuid } from '../streams/ids.js';
import { WEBHOOK_EVENT_TYPES } from './events.js';
import {
  CreateEndpointBody, CreateEndpointResponse, DeliveryListQuery, DeliveryListResponse, EndpointIdParams, EndpointListQuery, EndpointListResponse,
} from './schemas.js';
import { newWebhookSecret } from './sign.js';

const toEndpoint = (e: { id: string; url: string; events: string[]; enabled: boolean; createdAt: Date }) => ({
  id: e.id, url: e.url, events: e.events, enabled: e.enabled, createdAt: e.createdAt.toISOString(),
});

export function webhookRoutes(api: ApiRouter, ctx: AppContext): void {
  const session = requireSession(ctx);
  const tag = 'webhooks';
  const err = (description: string) => ({ description, schema: ErrorResponse });
  const ownedEndpoint = async (userId: string, id: string) => {
    const e = isUuid(id) ? await ctx.db.webhookEndpoint.findUnique({ where: { id } }) : null;
    if (!e || e.ownerId !== userId) throw notFound('Webhook endpoint');
    return e;
  };

  api.route(
    { method: 'post', path: '/api/webhooks', summary: 'Add an endpoint for outgoing webhooks', tag, security: 'session', scope: 'webhooks:write', body: CreateEndpointBody,
      responses: { 201: { description: 'Created; the signing secret is shown only now', schema: CreateEndpointResponse }, 400: err('Invalid input, or `webhook_url_not_allowed`: the host is a loopback, private, link-local or other non-public address'), 401: err('No session') } },
    session,
    async (_req, res) => {
      const { url, events } = res.locals.body as { url: string; events?: string[] };
      // IP literals (every spelling) and loopback names are judged now; other names when delivered.
      const host = checkUrlHost(url, ctx.config.outbound);
      if (!host.ok) throw new AppError(400, 'webhook_url_not_allowed', `Webhook URLs must reach a public address: ${host.reason}`);
      const secret = newWebhookSecret();
      const e = await ctx.db.webhookEndpoint.create({ data: { ownerId: auth(res).userId, url, secret, events: events ?? [...WEBHOOK_EVENT_TYPES] } });
      res.status(201).json({ endpoint: toEndpoint(e), secret });
    },
  );
  api.route(
    { method: 'get', path: '/api/webhooks', summary: 'Your webhook endpoints, newest first, one page at a time', tag, security: 'session', scope: 'webhooks:read', query: EndpointListQuery,
      responses: { 200: { description: 'A page of endpoints', schema: EndpointListResponse }, 400: err('Invalid query'), 401: err('No session') } },
    session,
    async (_req, res) => {
      const { limit, cursor } = res.locals.query;
      const rows = await ctx.db.webhookEndpoint.findMany({
        where: { AND: [{ ownerId: auth(res).userId }, afterCursor('createdAt', cursor)] },
        orderBy: newestFirst('createdAt'),
        take: limit + 1,
      });
      const page = toPage(rows, limit, (r) => r.createdAt);
      res.json({ endpoints: page.rows.map(toEndpoint), nextCursor: page.nextCursor });
    },
  );
  api.route(
    { method: 'delete', path: '/api/webhooks/:id', summary: 'Remove an endpoint', tag, security: 'session', scope: 'webhooks:write', params: EndpointIdParams, responses: { 204: { description: 'Removed' }, 401: err('No session'), 404: err('Not found') } },
    session,
    async (_req, res) => {
      const e = await ownedEndpoint(auth(res).userId, res.locals.params.id);
      await ctx.db.webhookEndpoint.delete({ where: { id: e.id } });
      res.status(204).end();
    },
  );
  api.route(
    { method: 'get', path: '/api/webhooks/:id/deliveries', summary: 'Deliveries of an endpoint, newest first, one page at a time', tag, security: 'session', scope: 'webhooks:read', params: EndpointIdParams, query: DeliveryListQuery,
      responses: { 200: { description: 'A page of deliveries', schema: DeliveryListResponse }, 400: err('Invalid query'), 401: err('No session'), 404: err('Not found') } },
    session,
    async (_req, res) => {
      const e = await ownedEndpoint(auth(res).userId, res.locals.params.id);
      const { limit, cursor } = res.locals.query;
      const rows = await ctx.db.webhookDelivery.findMany({
        where: { AND: [{ endpointId: e.id }, afterCursor('createdAt', cursor)] },
        orderBy: newestFirst('createdAt'),
        take: limit + 1,
      });
      const page = toPage(rows, limit, (r) => r.createdAt);
      res.json({
        nextCursor: page.nextCursor,
        deliveries: page.rows.map((d) => ({
          id: d.id, eventId: d.eventId, eventType: d.eventType, status: d.status, attempts: d.attempts, lastStatusCode: d.lastStatusCode,
          lastError: d.lastError, createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null,
        })),
      });
    },
  );
}
