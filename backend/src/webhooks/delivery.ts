// The webhook delivery worker: one POST per job, every attempt recorded on the delivery row.
// Non-2xx and network errors throw so BullMQ retries with exponential backoff; the last failed
// attempt marks the delivery failed.
import axios from 'axios';
import { Worker, type Job, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { Metrics } from '../http/metrics.js';
import { WEBHOOK_QUEUE, type WebhookJobData } from './events.js';
import { signWebhook } from './sign.js';

export interface DeliveryDeps {
  db: Db;
  logger: Logger;
  timeoutMs: number;
  metrics?: Metrics;
  now?: () => number;
}

class DeliveryFailed extends Error {}

export async function deliver(deps: DeliveryDeps, job: Job<WebhookJobData>): Promise<void> {
  const delivery = await deps.db.webhookDelivery.findUnique({ where: { id: job.data.deliveryId }, include: { endpoint: true } });
  // Gone (endpoint deleted) or already done: nothing to send.
  if (!delivery || delivery.status === 'succeeded' || !delivery.endpoint.enabled) return;
  const body = JSON.stringify(delivery.payload);
  const t = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await axios.post(delivery.endpoint.url, body, {
      timeout: deps.timeoutMs,
      maxRedirects: 0,
      validateStatus: () => true,
      // Only what we need back; a hostile receiver must not make us buffer megabytes.
      maxContentLength: 64 * 1024,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ocp-webhooks/1',
        'x-ocp-event': delivery.eventType,
        'x-ocp-delivery': delivery.id,
        'x-ocp-signature': signWebhook(delivery.endpoint.secret, body, t),
      },
    });
    statusCode = res.status;
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (err) {
    error = (err as Error).message || 'request failed';
  }
  deps.metrics?.webhookDeliveries.inc({ result: error === null ? 'succeeded' : 'failed' });
  const attempts = job.attemptsMade + 1;
  const finalAttempt = attempts >= (job.opts.attempts ?? 1);
  await deps.db.webhookDelivery.update({
    where: { id: delivery.id },
    data: {
      attempts,
      lastStatusCode: statusCode,
      lastError: error,
      status: error === null ? 'succeeded' : finalAttempt ? 'failed' : 'pending',
      ...(error === null ? { deliveredAt: new Date() } : {}),
    },
  });
  if (error !== null) {
    deps.logger.info({ deliveryId: delivery.id, endpointId: delivery.endpointId, attempts, statusCode }, 'webhook delivery failed');
    throw new DeliveryFailed(error);
  }
}

export function startDeliveryWorker(deps: DeliveryDeps, connection: ConnectionOptions, prefix: string, concurrency = 8): Worker<WebhookJobData> {
  const worker = new Worker<WebhookJobData>(WEBHOOK_QUEUE, (job) => deliver(deps, job), { connection, prefix, concurrency });
  worker.on('error', (err) => deps.logger.warn({ err }, 'webhook worker error'));
  return worker;
}
