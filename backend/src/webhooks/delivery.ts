// The webhook delivery worker: one POST per job, every attempt recorded on the delivery row.
// Non-2xx and network errors throw so BullMQ retries with exponential backoff; the last failed
// attempt marks the delivery failed. The URL is user input: requests go through agents that connect
// only to addresses the operator's policy allows (net/guarded-agent.ts); a refused address fails the
// delivery at once with reason `blocked_address`, since retrying a policy refusal changes nothing.
import axios from 'axios';
import { UnrecoverableError, Worker, type Job, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Metrics } from '../http/metrics.js';
import { checkUrlHost, type AddressPolicy } from '../net/address-policy.js';
import { guardedAgents, isBlockedAddressError, type GuardedAgents, type Resolver } from '../net/guarded-agent.js';
import { WEBHOOK_QUEUE, type WebhookJobData } from './events.js';
import { signingSecrets, signWebhook } from './sign.js';

export interface DeliveryDeps {
  db: Db;
  logger: Logger;
  timeoutMs: number;
  metrics?: Metrics;
  now?: () => number;
  /** Which addresses a receiver may have (config.outbound). */
  policy: AddressPolicy;
  /** DNS for receiver names; tests stand in for it. Defaults to the system resolver. */
  resolve?: Resolver;
  /** An endpoint whose every attempt has failed for this long is disabled; 0 = never. */
  autoDisableMs?: number;
}

/** Answers larger than this are cut off: a hostile receiver must not make us buffer megabytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

class DeliveryFailed extends Error {}

export async function deliver(deps: DeliveryDeps, job: Job<WebhookJobData>, agents: GuardedAgents = guardedAgents(deps.policy, deps.resolve)): Promise<void> {
  const delivery = await deps.db.webhookDelivery.findUnique({ where: { id: job.data.deliveryId }, include: { endpoint: true } });
  // Gone (endpoint deleted) or already done: nothing to send.
  if (!delivery || delivery.status === 'succeeded') return;
  const nowMs = deps.now?.() ?? Date.now();
  // A paused or auto-disabled endpoint gets no events; they stay listed as failed so the owner can
  // redeliver them once it is enabled again. A test ping is sent anyway: it is how a fixed receiver is checked.
  if (!delivery.endpoint.enabled && delivery.eventType !== 'ping') {
    await deps.db.webhookDelivery.updateMany({ where: { id: delivery.id, status: 'pending' }, data: { status: 'failed', lastError: 'endpoint_disabled' } });
    return;
  }
  const body = JSON.stringify(delivery.payload);
  const t = Math.floor(nowMs / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  let blocked = false;
  // Endpoints registered before the policy (or under a looser one) are judged again here.
  const literal = checkUrlHost(delivery.endpoint.url, deps.policy);
  try {
    if (!literal.ok) throw Object.assign(new Error(literal.reason), { code: 'ERR_BLOCKED_ADDRESS' });
    const res = await axios.post(delivery.endpoint.url, body, {
      timeout: deps.timeoutMs,
      // The socket timeout above resets on every byte; this caps the whole exchange (slow drip).
      signal: AbortSignal.timeout(deps.timeoutMs),
      maxRedirects: 0,
      validateStatus: () => true,
      maxContentLength: MAX_RESPONSE_BYTES,
      httpAgent: agents.httpAgent,
      httpsAgent: agents.httpsAgent,
      // HTTP(S)_PROXY in the environment must not route user URLs around the address checks.
      proxy: false,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ocp-webhooks/1',
        'x-ocp-event': delivery.eventType,
        'x-ocp-delivery': delivery.id,
        'x-ocp-signature': signWebhook(signingSecrets(delivery.endpoint, nowMs), body, t),
      },
    });
    statusCode = res.status;
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (err) {
    blocked = isBlockedAddressError(err);
    const message = (err as Error).message || 'request failed';
    error = blocked ? `blocked_address: ${message}` : message;
  }
  deps.metrics?.webhookDeliveries.inc({ result: error === null ? 'succeeded' : 'failed' });
  const finalAttempt = blocked || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  // Counted on the row, not taken from BullMQ: an attempt whose job bookkeeping was cut (Redis
  // restarted at that moment) runs again under the same attemptsMade, yet it was a real request.
  // The endpoint's health in the same transaction: whoever sees the attempt recorded sees its effect
  // on failingSince (and an auto-disable) too.
  const { attempts } = await deps.db.$transaction(async (tx) => {
    const row = await tx.webhookDelivery.update({
      where: { id: delivery.id },
      select: { attempts: true },
      data: {
        attempts: { increment: 1 },
        lastStatusCode: statusCode,
        lastError: error,
        status: error === null ? 'succeeded' : finalAttempt ? 'failed' : 'pending',
        ...(error === null ? { deliveredAt: new Date() } : {}),
      },
    });
    await trackHealth(tx, deps, delivery.endpointId, error === null, nowMs);
    return row;
  });
  if (error !== null) {
    deps.logger.info({ deliveryId: delivery.id, endpointId: delivery.endpointId, attempts, statusCode, blocked }, 'webhook delivery failed');
    throw blocked ? new UnrecoverableError(error) : new DeliveryFailed(error);
  }
}

/**
 * Endpoint health: the first failed attempt since the last success starts `failingSince`; a success
 * clears it. An endpoint still failing `autoDisableMs` after that is disabled (reason `failing`),
 * shown to its owner in the dashboard, and gets no more events until they enable it again.
 */
async function trackHealth(tx: Prisma.TransactionClient, deps: DeliveryDeps, endpointId: string, ok: boolean, nowMs: number): Promise<void> {
  const now = new Date(nowMs);
  if (ok) {
    await tx.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: { not: null } }, data: { failingSince: null } });
    return;
  }
  await tx.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: null }, data: { failingSince: now } });
  if (!deps.autoDisableMs) return;
  const disabled = await tx.webhookEndpoint.updateMany({
    where: { id: endpointId, enabled: true, failingSince: { lte: new Date(nowMs - deps.autoDisableMs) } },
    data: { enabled: false, disabledReason: 'failing', disabledAt: now },
  });
  if (disabled.count) deps.logger.warn({ endpointId, afterDays: deps.autoDisableMs / 86_400_000 }, 'webhook endpoint disabled after failing every delivery');
}

/**
 * A delivery lasts at most its HTTP timeout plus two small queries, so its lock can be far shorter
 * than BullMQ's 30 s default. That matters when Redis restarts just as a job is being completed or
 * failed: the job stays active without a lock, and the stalled-job check (every half lock) puts it
 * back in the queue within about two lock periods instead of up to a minute.
 */
function deliveryLockMs(timeoutMs: number): number {
  return Math.max(10_000, 2 * timeoutMs);
}

export function startDeliveryWorker(deps: DeliveryDeps, connection: ConnectionOptions, prefix: string, concurrency = 8): Worker<WebhookJobData> {
  const lockDuration = deliveryLockMs(deps.timeoutMs);
  const agents = guardedAgents(deps.policy, deps.resolve);
  const worker = new Worker<WebhookJobData>(WEBHOOK_QUEUE, (job) => deliver(deps, job, agents), {
    connection, prefix, concurrency, lockDuration, stalledInterval: lockDuration / 2,
  });
  worker.on('error', (err) => deps.logger.warn({ err }, 'webhook worker error'));
  return worker;
}
