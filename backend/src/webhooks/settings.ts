// Delivery policy of outgoing webhooks: how many times a delivery is tried and the first backoff.
// Both services enqueue deliveries on the same queue (the backend for stream.*, the VOD worker for
// vod.*), so both read these two variables with this one schema and these defaults. Pure: each
// service's config module applies the schema to its own environment (the only reader of process.env).
import { z } from 'zod';

export const WEBHOOK_DELIVERY_DEFAULTS = Object.freeze({ attempts: 8, backoffMs: 5000 });

/** Zod fields for the service env schemas, keyed by variable name. */
export const webhookDeliveryEnv = {
  WEBHOOK_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(WEBHOOK_DELIVERY_DEFAULTS.attempts),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).default(WEBHOOK_DELIVERY_DEFAULTS.backoffMs),
} as const;

export interface WebhookDeliverySettings {
  attempts: number;
  backoffMs: number;
}

/** The typed settings from an env already parsed with `webhookDeliveryEnv`. */
export function webhookDeliverySettings(env: { WEBHOOK_DELIVERY_ATTEMPTS: number; WEBHOOK_BACKOFF_MS: number }): WebhookDeliverySettings {
  return { attempts: env.WEBHOOK_DELIVERY_ATTEMPTS, backoffMs: env.WEBHOOK_BACKOFF_MS };
}
