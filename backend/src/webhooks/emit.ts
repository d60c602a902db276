// Records one delivery per subscribed endpoint, then queues them. Rows first: a queue outage
// leaves pending deliveries in the database that requeuePending() picks up, never a lost event.
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

export async function emitEvent(
  deps: EmitDeps,
  event: { type: WebhookEventType; ownerId: string; data: Record<string, unknown>; eventId?: string },
): Promise<EmittedEvent> {
  const eventId = event.eventId ?? randomUUID();
  const endpoints = await deps.db.webhookEndpoint.findMany({
    where: { ownerId: event.ownerId, enabled: true, events: { has: event.type } },
    select: { id: true },
  });
  if (endpoints.length === 0) return { eventId, deliveries: 0 };
  const payload = { id: eventId, type: event.type, createdAt: new Date().toISOString(), data: event.data } as Prisma.InputJsonObject;
  await deps.db.webhookDelivery.createMany({
    data: endpoints.map((e) => ({ endpointId: e.id, eventId, eventType: event.type, payload })),
    skipDuplicates: true,
  });
  const rows = await deps.db.webhookDelivery.findMany({ where: { eventId }, select: { id: true, endpointId: true } });
  await deps.queue.addBulk(
    rows.map((r) => ({
      name: event.type,
      data: { deliveryId: r.id },
      opts: { jobId: deliveryJobId(eventId, r.endpointId), attempts: deps.attempts, backoff: { type: 'exponential', delay: deps.backoffMs } },
    })),
  );
  return { eventId, deliveries: rows.length };
}

/** Queues one recorded delivery (a test ping, a redelivery) with the usual attempts and backoff. */
export async function queueDelivery(deps: EmitDeps, name: string, deliveryId: string, jobId: string): Promise<void> {
  await deps.queue.add(name, { deliveryId }, { jobId, attempts: deps.attempts, backoff: { type: 'exponential', delay: deps.backoffMs } });
}

/** Start-up repair: queue deliveries that were recorded but never queued (crash between the two). */
export async function requeuePending(deps: EmitDeps): Promise<number> {
  const pending = await deps.db.webhookDelivery.findMany({
    where: { status: 'pending' },
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
