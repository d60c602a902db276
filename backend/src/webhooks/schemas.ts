import { z } from 'zod';
import { PageQuery, pageResponse } from '../http/pagination.js';
import { noControl, text } from '../http/strings.js';
import { WEBHOOK_EVENT_TYPES } from './events.js';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

const EndpointUrl = noControl(z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' })).max(2048);
const EndpointEvents = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length);

export const Endpoint = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  disabledReason: z.enum(['owner', 'failing']).nullable().describe('Why it is disabled: paused by you, or disabled automatically after failing every delivery for WEBHOOK_AUTO_DISABLE_DAYS'),
  disabledAt: z.iso.datetime().nullable(),
  failingSince: z.iso.datetime().nullable().describe('First failed attempt since the last successful one; null while deliveries succeed'),
  previousSecretExpiresAt: z.iso.datetime().nullable().describe('After a secret rotation: until then the old secret signs too (a second v1= in X-OCP-Signature)'),
  createdAt: z.iso.datetime(),
});

export const UpdateEndpointBody = z
  .strictObject({ url: EndpointUrl.optional(), events: EndpointEvents.optional(), enabled: z.boolean().optional() })
  .refine((b) => b.url !== undefined || b.events !== undefined || b.enabled !== undefined, { error: 'Give at least one of url, events, enabled' });
export const RotateSecretBody = z.strictObject({
  overlapSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(24 * 3600)
    .describe('How long the old secret keeps signing as well (0 = stop at once); at most 7 days'),
});
export const DeliveryIdParams = z.object({ id: text(), deliveryId: text() });

export const Delivery = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventType: z.enum([...WEBHOOK_EVENT_TYPES, 'ping']).describe('ping: a test sent from the dashboard or POST /api/webhooks/{id}/test'),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
});

export const CreateEndpointBody = z.strictObject({ url: EndpointUrl, events: EndpointEvents.optional() });
export const EndpointResponse = z.object({ endpoint: Endpoint });
export const RotateSecretResponse = z.object({ endpoint: Endpoint, secret: z.string().describe('The new signing secret, shown only once') });
export const DeliveryResponse = z.object({ delivery: Delivery });
export const EndpointIdParams = z.object({ id: text() });
export const CreateEndpointResponse = z.object({ endpoint: Endpoint, secret: z.string().describe('Shown only once') });
export const EndpointListQuery = PageQuery;
export const DeliveryListQuery = PageQuery;
export const EndpointListResponse = pageResponse('endpoints', Endpoint);
export const DeliveryListResponse = pageResponse('deliveries', Delivery);
