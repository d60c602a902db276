// Public surface for other packages (the VOD worker emits vod.ready / vod.failed through it).
export { emitEvent, queueEvent, recordEvent, requeuePending, type EmitDeps, type EmittedEvent, type OutboxTx, type OutgoingEvent } from './emit.js';
export { WEBHOOK_EVENT_TYPES, WEBHOOK_QUEUE, deliveryJobId, type WebhookEventType, type WebhookJobData } from './events.js';
export { signWebhook, verifyWebhook } from './sign.js';
export { createWebhookQueue } from './queue.js';
export { WEBHOOK_DELIVERY_DEFAULTS, webhookDeliveryEnv, webhookDeliverySettings, type WebhookDeliverySettings } from './settings.js';
