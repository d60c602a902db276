// The webhook outbox. An event is recorded (one delivery row per subscribed endpoint) inside the
// transaction of the change that causes it, then queued after the commit. Rows first: a crash or a
// queue outage leaves pending deliveries that requeuePending() picks up, never a lost event.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { deliveryJobId, type WebhookEventType, type WebhookJobData } from './events.js';

export interface EmitDeps {
  db: Db;
  queue: Queue<WebhookJobData>;
  attempts: number;
  backoffMs: number;
}

export interface EmittedEvent {
  eventId: string;
  deliveries: number;
}

/** A transaction client (or the plain client): what recording an event needs. */
export type OutboxTx = Pick<Db, 'webhookEndpoint' | 'webhookDelivery'>;

export interface OutgoingEvent {
  type: WebhookEventType;
  ownerId: string;
  data: Record<string, unknown>;
  eventId?: string;
}

/**
 * The outbox write: one delivery row per subscribed endpoint, in the caller's transaction, so the
 * event exists exactly when the state change that causes it does. Returns the event id, or null
 * when nobody subscribes.
 */
export async function recordEvent(tx: OutboxTx, event: OutgoingEvent): Promise<string | null> {
  const eventId = event.eventId ?? randomUUID();
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { ownerId: event.ownerId, enabled: true, events: { has: event.type } },
    select: { id: true },
  });
  if (endpoints.length === 0) return null;
  const payload = { id: eventId, type: event.type, createdAt: new Date().toISOString(), data: event.data } as Prisma.InputJsonObject;
  await tx.webhookDelivery.createMany({
    data: endpoints.map((e) => ({ endpointId: e.id, eventId, eventType: event.type, payload })),
    skipDuplicates: true,
  });
  return eventId;
}

/** After the commit: queue the event's deliveries. A crash before this is repaired by requeuePending. */
export async function queueEvent(deps: EmitDeps, eventId: string, type: string): Promise<number> {
  const rows = await deps.db.webhookDelivery.findMany({ where: { eventId, status: 'pending' }, select: { id: true, endpointId: true } });
  if (rows.length === 0) return 0;
  await deps.queue.addBulk(
    rows.map((r) => ({
      name: type,
      data: { deliveryId: r.id },
      opts: { jobId: deliveryJobId(eventId, r.endpointId), attempts: deps.attempts, backoff: { type: 'exponential', delay: deps.backoffMs } },
    })),
  );
  return rows.length;
}

/** Record and queue outside any other transaction (events not tied to a state change). */
export async function emitEvent(deps: EmitDeps, event: OutgoingEvent): Promise<EmittedEvent> {
  const eventId = await recordEvent(deps.db, event);
  if (eventId === null) return { eventId: event.eventId ?? '', deliveries: 0 };
  return { eventId, deliveries: await queueEvent(deps, eventId, event.type) };
}

/** Queues one recorded delivery (a test ping, a redelivery) with the usual attempts and backoff. */
export async function queueDelivery(deps: EmitDeps, name: string, deliveryId: string, jobId: string): Promise<void> {
  await deps.queue.add(name, { deliveryId }, { jobId, attempts: deps.attempts, backoff: { type: 'exponential', delay: deps.backoffMs } });
}

/**
 * Repair: queue deliveries that were recorded but never queued (a crash between the commit and
 * the queue, or Redis away then). Run at start-up and periodically (`olderThanMs` spares rows whose
 * own process is about to queue them). Each job id is the delivery's natural key, so a row that is
 * already queued is not queued twice.
 */
export async function requeuePending(deps: EmitDeps, olderThanMs = 0): Promise<number> {
  const pending = await deps.db.webhookDelivery.findMany({
    // Periodic runs look only at rows no attempt has touched (a row in backoff has its job).
    where: { status: 'pending', ...(olderThanMs > 0 ? { attempts: 0, createdAt: { lt: new Date(Date.now() - olderThanMs) } } : {}) },
    select: { id: true, eventId: true, endpointId: true },
    take: 10_000,
  });
  if (pending.length === 0) return 0;
  await deps.queue.addBulk(
    pending.map((r) => ({
      name: 'redeliver',
      data: { deliveryId: r.id },
      opts: { jobId: deliveryJobId(r.eventId, r.endpointId), attempts: deps.attempts, backoff: { type: 'exponential', delay: deps.backoffMs } },
    })),
  );
  return pending.length;
}
