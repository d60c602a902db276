// Redis restarted while outgoing webhooks are being delivered: a private redis-server (AOF on) is
// shut down and started again on the same data dir while deliveries are mid-retry against a slow,
// failing receiver, and more events happen during the outage. Every delivery must end `succeeded`,
// reach the receiver successfully exactly once (deduplicated by X-OCP-Delivery), and the API must
// reconnect by itself (readiness, admission, new deliveries).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LOOPBACK_RECEIVERS, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../helpers.js';
import { PrivateRedis } from '../support/private-redis.js';
import type { RunningBackend } from '../../src/server.js';

const FAILS_PER_DELIVERY = 2;

/** Answers 500 to the first attempts of each delivery, slowly, then 204; counts successes per delivery id. */
class Receiver {
  attempts = new Map<string, number>();
  successes = new Map<string, number>();
  private server: Server | null = null;
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      const id = String(req.headers['x-ocp-delivery']);
      req.resume();
      req.on('end', () => {
        const n = (this.attempts.get(id) ?? 0) + 1;
        this.attempts.set(id, n);
        setTimeout(() => {
          if (n <= FAILS_PER_DELIVERY) return void res.writeHead(500).end();
          this.successes.set(id, (this.successes.get(id) ?? 0) + 1);
          res.writeHead(204).end();
        }, 150);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
    return this;
  }
  close() {
    return new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

let redis: PrivateRedis;
let rx: Receiver;
let backend: RunningBackend;

beforeAll(async () => {
  redis = await new PrivateRedis().start();
  rx = await new Receiver().start();
  backend = await startTestBackend({ REDIS_URL: redis.url, WEBHOOK_DELIVERY_ATTEMPTS: '10', WEBHOOK_BACKOFF_MS: '300', ...LOOPBACK_RECEIVERS });
});
afterAll(async () => {
  await backend?.stop();
  await rx?.close();
  await redis?.stop();
});

describe('Redis restarted during webhook deliveries', () => {
  it('loses no delivery, sends none twice, and the API reconnects by itself', { timeout: 60_000 }, async () => {
    const c = new Client(backend.url);
    await c.signUp();
    const ep = (await c.post('/api/webhooks', { url: rx.url, events: ['stream.live', 'stream.ended'] })).body.endpoint;
    const streams = [];
    for (let i = 0; i < 8; i++) streams.push(await c.createStream({ name: `s${i}`, reconnectWindowSeconds: 0 }));
    // 8 stream.live events → 8 deliveries, each failing twice before it can succeed.
    for (const [i, s] of streams.entries()) {
      expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(s.ingest) }, { port: 52000 + i }))).body.allowed).toBe(true);
    }
    await waitFor(async () => rx.attempts.size >= 4, 'deliveries under way');

    await redis.shutdown();
    // During the outage: readiness says so, and the broadcasts end (the events are recorded in
    // PostgreSQL; their jobs wait for Redis).
    const ready = await fetch(`${backend.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { redis: string } }).checks.redis).toMatch(/^down/);
    for (const [i, s] of streams.slice(0, 3).entries()) {
      const r = await sendAdmission(backend.url, omeBody('rtmp-publish-closing', { url: rtmpPublishUrl(s.ingest), new_url: rtmpPublishUrl(s.ingest) }, { port: 52000 + i }));
      expect(r.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 1_000));
    await redis.start();

    // Reconnected by itself.
    await waitFor(async () => (await fetch(`${backend.url}/readyz`)).status === 200, 'ready again', 15_000);
    const late = await c.createStream({ name: 'after restart' });
    expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(late.ingest) }, { port: 52100 }))).body.allowed).toBe(true);

    // 8 live + 3 ended (during the outage) + 1 live (after) = 12 deliveries, all succeeded, once each.
    const rows = await waitFor(async () => {
      const d = await backend.ctx.db.webhookDelivery.findMany({ where: { endpointId: ep.id } });
      return d.length === 12 && d.every((x) => x.status === 'succeeded') ? d : null;
    }, 'every delivery succeeded', 40_000).catch(async (err: Error) => {
      // Say which delivery is stuck and where its job stands: a timeout alone explains nothing.
      const d = await backend.ctx.db.webhookDelivery.findMany({ where: { endpointId: ep.id } });
      const jobs = await backend.ctx.webhookQueue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized']);
      const states = await Promise.all(jobs.map(async (j) => `${j.id} ${await j.getState()} attemptsMade=${j.attemptsMade} stalled=${j.stalledCounter} ${j.failedReason ?? ''}`));
      const lines = d.map((x) => `${x.id} ${x.eventType} ${x.status} attempts=${x.attempts} rx=${rx.attempts.get(x.id) ?? 0}/${rx.successes.get(x.id) ?? 0} ${x.lastError ?? ''}`);
      throw new Error(`${err.message}\n${lines.join('\n')}\n--- jobs ---\n${states.join('\n')}`);
    });
    for (const d of rows) {
      expect(rx.successes.get(d.id), `delivery ${d.id} (${d.eventType}) succeeded at the receiver`).toBe(1);
      expect(d.attempts).toBe(FAILS_PER_DELIVERY + 1);
    }
    expect([...rx.successes.keys()].sort()).toEqual(rows.map((d) => d.id).sort());
    expect(rows.filter((d) => d.eventType === 'stream.ended')).toHaveLength(3);
    // Nothing was still queued to run again.
    await new Promise((r) => setTimeout(r, 1_000));
    expect([...rx.successes.values()].every((n) => n === 1)).toBe(true);
  });
});
