// vod.ready / vod.failed go through the backend's webhook outbox: delivery rows + its BullMQ queue.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { Queue } from 'bullmq';
import { createDb, type Db } from '@ocp/backend/db';
import { createWebhookQueue, type WebhookJobData } from '@ocp/backend/webhooks';
import { vodEventId, webhookEventSink } from '../src/vods/webhook-sink.js';
import { createRedis } from '../src/redis.js';
import { createStream, uniquePrefix } from './support/harness.js';

let db: Db;
let queue: Queue<WebhookJobData>;
const redis = createRedis(inject('redisUrl'));
const prefix = `${uniquePrefix(inject('redisPrefix'))}:bull`;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
  queue = createWebhookQueue(redis, prefix);
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await db.$disconnect();
});

it('records one vod.ready delivery per subscribed endpoint and queues it, once per VOD however often it is emitted', async () => {
  const { user, stream } = await createStream(db);
  const ep = await db.webhookEndpoint.create({ data: { ownerId: user.id, url: 'http://127.0.0.1:9/hook', secret: 's'.repeat(32), events: ['vod.ready', 'vod.failed'] } });
  await db.webhookEndpoint.create({ data: { ownerId: user.id, url: 'http://127.0.0.1:9/other', secret: 's'.repeat(32), events: ['stream.live'] } });
  const vod = await db.vod.create({
    data: { ownerId: user.id, streamId: stream.id, recordingId: `wh-${Date.now()}-0`, status: 'ready', durationMs: 6000, sizeBytes: 1234n, readyAt: new Date() },
  });
  const sink = webhookEventSink({ db, queue, attempts: 3, backoffMs: 100 });
  for (let i = 0; i < 2; i++) await sink.queue(await db.$transaction((tx) => sink.record(tx, 'vod.ready', vod)));

  const deliveries = await db.webhookDelivery.findMany({ where: { eventType: 'vod.ready', endpoint: { ownerId: user.id } } });
  expect(deliveries).toHaveLength(1);
  expect(deliveries[0]).toMatchObject({ endpointId: ep.id, eventId: vodEventId(vod.id, 'vod.ready'), status: 'pending' });
  const payload = deliveries[0]!.payload as { type: string; data: { vod: Record<string, unknown> } };
  expect(payload.type).toBe('vod.ready');
  expect(payload.data.vod).toMatchObject({ id: vod.id, streamId: stream.id, status: 'ready', durationMs: 6000, sizeBytes: 1234 });
  expect(await queue.getJob(`hook-${deliveries[0]!.eventId}-${ep.id}`)).toBeTruthy();
  expect(vodEventId(vod.id, 'vod.ready')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
