// vod.ready / vod.failed through the backend's webhook outbox (delivery rows + its BullMQ queue).
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Db } from '@ocp/backend/db';
import { queueEvent, recordEvent, type WebhookJobData } from '@ocp/backend/webhooks';
import { vodEventData, type VodEventSink, type VodEventType } from './events.js';

/**
 * A stable event id per (vod, event type): a job re-run after a crash between "ready" and "emit"
 * produces the same id, and the delivery rows' unique (eventId, endpointId) drops the repeat.
 */
export function vodEventId(vodId: string, type: VodEventType, discriminator = ''): string {
  const h = createHash('sha1').update(`${type}:${vodId}:${discriminator}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // RFC 4122 version 5 layout
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function webhookEventSink(deps: { db: Db; queue: Queue<WebhookJobData>; attempts: number; backoffMs: number }): VodEventSink {
  return {
    async record(tx, type, vod) {
      const eventId = await recordEvent(tx, {
        type,
        ownerId: vod.ownerId,
        // A failed VOD may fail again after an operator retry; that is a new event.
        eventId: vodEventId(vod.id, type, type === 'vod.failed' ? vod.updatedAt.toISOString() : ''),
        data: { vod: vodEventData(vod) },
      });
      return { type, vod, eventId };
    },
    async queue(e) {
      if (e.eventId) await queueEvent(deps, e.eventId, e.type);
    },
  };
}
