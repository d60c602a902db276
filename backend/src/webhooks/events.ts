export const WEBHOOK_EVENT_TYPES = ['stream.live', 'stream.ended', 'vod.ready', 'vod.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_QUEUE = 'webhooks';

export interface WebhookJobData {
  deliveryId: string;
}

/** BullMQ forbids ':' in custom ids; the natural key makes a repeated emit a no-op. */
export const deliveryJobId = (eventId: string, endpointId: string) => `hook-${eventId}-${endpointId}`;
