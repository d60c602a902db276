// stream.disconnected: the publisher dropped and the reconnect window opened (the broadcast goes on);
// stream.reconnected: a publisher came back inside the window (same session). docs/publish-and-watch.md.
export const WEBHOOK_EVENT_TYPES = ['stream.live', 'stream.disconnected', 'stream.reconnected', 'stream.ended', 'vod.ready', 'vod.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_QUEUE = 'webhooks';

export interface WebhookJobData {
  deliveryId: string;
}

/** BullMQ forbids ':' in custom ids; the natural key makes a repeated emit a no-op. */
export const deliveryJobId = (eventId: string, endpointId: string) => `hook-${eventId}-${endpointId}`;
