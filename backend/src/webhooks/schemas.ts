import { z } from 'zod';
import { PageQuery, pageResponse } from '../http/pagination.js';
import { noControl, text } from '../http/strings.js';
import { WEBHOOK_EVENT_TYPES } from './events.js';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

export const CreateEndpointBody = z.strictObject({
  url: noControl(z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' }))
    .max(2048),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length).optional(),
});

export const Endpoint = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
});

export const Delivery = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventType: WebhookEventType,
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
});

export const EndpointIdParams = z.object({ id: text() });
export const CreateEndpointResponse = z.object({ endpoint: Endpoint, secret: z.string().describe('Shown only once') });
export const EndpointListQuery = PageQuery;
export const DeliveryListQuery = PageQuery;
export const EndpointListResponse = pageResponse('endpoints', Endpoint);
export const DeliveryListResponse = pageResponse('deliveries', Delivery);
