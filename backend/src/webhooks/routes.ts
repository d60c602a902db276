import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { AppError, notFound } from '../http/errors.js';
import { checkUrlHost } from '../net/address-policy.js';
import { afterCursor, newestFirst, toPage } from '../http/pagination.js';
import { ErrorResponse } from '../http/schemas.js';
import { isUuid } from '../streams/ids.js';
import { WEBHOOK_EVENT_TYPES } from './events.js';
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../generated/prisma/client.js';
import { queueDelivery } from './emit.js';
import { deliveryJobId } from './events.js';
import {
  CreateEndpointBody, CreateEndpointResponse, DeliveryIdParams, DeliveryListQuery, DeliveryListResponse, DeliveryResponse, EndpointIdParams, EndpointListQuery,
  EndpointListResponse, EndpointResponse, RotateSecretBody, RotateSecretResponse, UpdateEndpointBody,
} from './schemas.js';
import { newWebhookSecret } from './sign.js';

type EndpointRow = {
  id: string; url: string; events: string[]; enabled: boolean; createdAt: Date;
  disabledReason: string | null; disabledAt: Date | null; failingSince: Date | null; previousSecretExpiresAt: Date | null;
};
const iso = (d: Date | null) => d?.toISOString() ?? null;
const toEndpoint = (e: EndpointRow, now = Date.now()) => ({
  id: e.id, url: e.url, events: e.events, enabled: e.enabled,
  disabledReason: e.enabled ? null : e.disabledReason === 'failing' ? ('failing' as const) : ('owner' as const),
  disabledAt: e.enabled ? null : iso(e.disabledAt),
  failingSince: iso(e.failingSince),
  previousSecretExpiresAt: e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > now ? e.previousSecretExpiresAt.toISOString() : null,
  createdAt: e.createdAt.toISOString(),
});
type DeliveryRow = {
  id: string; eventId: string; eventType: string; status: 'pending' | 'succeeded' | 'failed'; attempts: number;
  lastStatusCode: number | null; lastError: string | null; createdAt: Date; deliveredAt: Date | null;
};
const toDelivery = (d: DeliveryRow) => ({
  id: d.id, eventId: d.eventId, eventType: d.eventType, status: d.status, attempts: d.attempts, lastStatusCode: d.lastStatusCode,
  lastError: d.lastError, createdAt: d.createdAt.toISOString(), deliveredAt: iso(d.deliveredAt),
});

export function webhookRoutes(api: ApiRouter, ctx: AppContext): void {
  const session = requireSession(ctx);
  const tag = 'webhooks';
  const err = (description: string) => ({ description, schema: ErrorResponse });
  // IP literals (every spelling) and loopback names are judged at registration; other names when delivered.
  const assertPublicUrl = (url: string) => {
    const host = checkUrlHost(url, ctx.config.outbound);
    if (!host.ok) throw new AppError(400, 'webhook_url_not_allowed', `Webhook URLs must reach a public address: ${host.reason}`);
  };
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
      assertPublicUrl(url);
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
      res.json({ nextCursor: page.nextCursor, deliveries: page.rows.map(toDelivery) });
    },
  );

  api.route(
    { method: 'patch', path: '/api/webhooks/:id', summary: 'Change the URL or events of an endpoint, or pause/resume it', tag, security: 'session', scope: 'webhooks:write', params: EndpointIdParams, body: UpdateEndpointBody,
      responses: { 200: { description: 'The endpoint as it is now', schema: EndpointResponse }, 400: err('Invalid input, or `webhook_url_not_allowed`'), 401: err('No session'), 404: err('Not found') } },
    session,
    async (_req, res) => {
      const e = await ownedEndpoint(auth(res).userId, res.locals.params.id);
      const { url, events, enabled } = res.locals.body as { url?: string; events?: string[]; enabled?: boolean };
      if (url !== undefined) assertPublicUrl(url);
      const data: Prisma.WebhookEndpointUpdateInput = { ...(url !== undefined ? { url } : {}), ...(events !== undefined ? { events } : {}) };
      if (enabled === true && !e.enabled) Object.assign(data, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
      if (enabled === false && e.enabled) Object.assign(data, { enabled: false, disabledReason: 'owner', disabledAt: new Date() });
      const updated = await ctx.db.webhookEndpoint.update({ where: { id: e.id }, data });
      res.json({ endpoint: toEndpoint(updated) });
    },
  );
  api.route(
    { method: 'post', path: '/api/webhooks/:id/test', summary: 'Send a signed `ping` event to the endpoint (also while it is disabled)', tag, security: 'session', scope: 'webhooks:write', params: EndpointIdParams,
      responses: { 202: { description: 'Queued; follow it in the deliveries list', schema: DeliveryResponse }, 401: err('No session'), 404: err('Not found') } },
    session,
    async (_req, res) => {
      const e = await ownedEndpoint(auth(res).userId, res.locals.params.id);
      const eventId = randomUUID();
      const payload = { id: eventId, type: 'ping', createdAt: new Date().toISOString(), data: { endpointId: e.id, message: 'Test event from the dashboard' } };
      const d = await ctx.db.webhookDelivery.create({ data: { endpointId: e.id, eventId, eventType: 'ping', payload } });
      await queueDelivery(ctx.emitDeps, 'ping', d.id, deliveryJobId(eventId, e.id));
      res.status(202).json({ delivery: toDelivery(d) });
    },
  );
  api.route(
    { method: 'post', path: '/api/webhooks/:id/deliveries/:deliveryId/redeliver', summary: 'Send a delivery again: the same event (same id and body, so receivers can dedupe), signed anew', tag, security: 'session', scope: 'webhooks:write', params: DeliveryIdParams,
      responses: { 202: { description: 'Queued again', schema: DeliveryResponse }, 401: err('No session'), 404: err('Not found'), 409: err('`delivery_pending`: it is still being tried; `endpoint_disabled`: enable the endpoint first') } },
    session,
    async (_req, res) => {
      const e = await ownedEndpoint(auth(res).userId, res.locals.params.id);
      const { deliveryId } = res.locals.params as { deliveryId: string };
      const d = isUuid(deliveryId) ? await ctx.db.webhookDelivery.findUnique({ where: { id: deliveryId } }) : null;
      if (!d || d.endpointId !== e.id) throw notFound('Delivery');
      if (!e.enabled && d.eventType !== 'ping') throw new AppError(409, 'endpoint_disabled', 'This endpoint is disabled: enable it, then redeliver');
      // Conditional: two clicks (or replicas) must not queue the same delivery twice.
      const claimed = await ctx.db.webhookDelivery.updateMany({ where: { id: d.id, status: { in: ['succeeded', 'failed'] } }, data: { status: 'pending', deliveredAt: null } });
      if (claimed.count === 0) throw new AppError(409, 'delivery_pending', 'This delivery is still being tried');
      await queueDelivery(ctx.emitDeps, 'redeliver', d.id, `redeliver-${d.id}-${Date.now()}`);
      res.status(202).json({ delivery: toDelivery({ ...d, status: 'pending', deliveredAt: null }) });
    },
  );
  api.route(
    { method: 'post', path: '/api/webhooks/:id/rotate-secret', summary: 'Make a new signing secret; the old one keeps signing for overlapSeconds', tag, security: 'session', scope: 'webhooks:write', params: EndpointIdParams, body: RotateSecretBody,
      responses: { 200: { description: 'The new secret, shown only now', schema: RotateSecretResponse }, 400: err('Invalid input'), 401: err('No session'), 404: err('Not found') } },
    session,
    async (_req, res) => {
      const e = await ownedEndpoint(auth(res).userId, res.locals.params.id);
      const { overlapSeconds } = res.locals.body as { overlapSeconds: number };
      const secret = newWebhookSecret();
      // Rotating again inside an overlap drops the oldest secret: only the last two ever sign.
      const updated = await ctx.db.webhookEndpoint.update({
        where: { id: e.id },
        data: overlapSeconds > 0
          ? { secret, previousSecret: e.secret, previousSecretExpiresAt: new Date(Date.now() + overlapSeconds * 1000) }
          : { secret, previousSecret: null, previousSecretExpiresAt: null },
      });
      res.json({ endpoint: toEndpoint(updated), secret });
    },
  );
}
