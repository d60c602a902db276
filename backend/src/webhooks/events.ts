// stream.disconnected: the publisher dropped and the reconnect window opened (the broadcast goes on);
// stream.reconnected: a publisher came back inside the window (same session). docs/publish-and-watch.md.
// output.active: OME is pushing to a restream destination; output.failed: a push failed (retried with backoff).
// stream.health: the stream's ingest problems changed (OME's Alert module: health/); the body lists the open ones.
export const WEBHOOK_EVENT_TYPES = ['stream.live', 'stream.disconnected', 'stream.reconnected', 'stream.ended', 'vod.ready', 'vod.failed', 'output.active', 'output.failed', 'stream.health'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_QUEUE = 'webhooks';

export interface WebhookJobData {
  deliveryId: string;
}

/** BullMQ forbids ':' in custom ids; the natural key makes a repeated emit a no-op. */
export const deliveryJobId = (eventId: string, endpointId: string) => `hook-${eventId}-${endpointId}`;
