import { Queue, type ConnectionOptions } from 'bullmq';
import { WEBHOOK_QUEUE, type WebhookJobData } from './events.js';

export function createWebhookQueue(connection: ConnectionOptions, prefix: string): Queue<WebhookJobData> {
  return new Queue<WebhookJobData>(WEBHOOK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 }, removeOnFail: { age: 30 * 24 * 3600 } },
  });
}
