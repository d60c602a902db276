import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LOOPBACK_RECEIVERS, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { verifyWebhook } from './sign.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver that fails its first `failures` requests with 500. */
async function receiver(failures: number) {
  const got: Received[] = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls++;
      got.push({ headers: req.headers, body });
      res.statusCode = calls <= failures ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, got, close: () => new Promise((r) => server.close(r)) };
}

let backend: RunningBackend;
let user: Client;
beforeAll(async () => {
  backend = await startTestBackend({ WEBHOOK_DELIVERY_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50', ...LOOPBACK_RECEIVERS });
  user = new Client(backend.url);
  await user.signUp();
});
afterAll(() => backend.stop());

describe('outgoing webhooks', () => {
  it('signs stream.live / stream.ended and retries a failing receiver until it succeeds', async () => {
    const rx = await receiver(2);
    try {
      const created = await user.post('/api/webhooks', { url: rx.url, events: ['stream.live', 'stream.ended'] });
      expect(created.status).toBe(201);
      const { endpoint, secret } = created.body;
      expect(secret).toMatch(/^whsec_/);
      expect((await user.get('/api/webhooks')).body.endpoints).toEqual([{ ...endpoint }]);
      expect(JSON.stringify((await user.get('/api/webhooks')).body)).not.toContain(secret);

      // Window 0: the closing ends the broadcast at once (the reconnect window has its own suite).
      const { stream, ingest } = await user.createStream({ name: 'hooked', reconnectWindowSeconds: 0 });
      const client = { port: 62001 };
      await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, client));

      const deliveries = await waitFor(async () => {
        const d = (await user.get(`/api/webhooks/${endpoint.id}/deliveries`)).body.deliveries;
        return d.length === 1 && d[0].status === 'succeeded' ? d : null;
      }, 'stream.live delivered');
      expect(deliveries[0]).toMatchObject({ eventType: 'stream.live', attempts: 3, lastStatusCode: 204, lastError: null });
      expect(rx.got).toHaveLength(3);
      // every attempt carries the same event, signed with the endpoint's secret
      for (const r of rx.got) {
        expect(r.headers['x-ocp-event']).toBe('stream.live');
        expect(r.headers['x-ocp-delivery']).toBe(deliveries[0].id);
        expect(verifyWebhook(secret, r.body, String(r.headers['x-ocp-signature']), Math.floor(Date.now() / 1000))).toBe(true);
        expect(verifyWebhook('whsec_wrong', r.body, String(r.headers['x-ocp-signature']), Math.floor(Date.now() / 1000))).toBe(false);
      }
      const payload = JSON.parse(rx.got[0]!.body);
      expect(payload).toMatchObject({ type: 'stream.live', data: { streamId: stream.id, status: 'live', protocol: 'rtmp' } });

      await sendAdmission(backend.url, omeBody('rtmp-publish-closing', { url: rtmpPublishUrl(ingest), new_url: rtmpPublishUrl(ingest) }, client));
      await waitFor(async () => rx.got.find((r) => r.headers['x-ocp-event'] === 'stream.ended'), 'stream.ended delivered');
    } finally {
      await rx.close();
    }
  });

  it('marks a delivery failed after the last attempt, and only sends subscribed events', async () => {
    const down = await receiver(1000);
    const vodOnly = await receiver(0);
    try {
      const ep = (await user.post('/api/webhooks', { url: down.url })).body.endpoint;
      expect(ep.events).toEqual(['stream.live', 'stream.disconnected', 'stream.reconnected', 'stream.ended', 'vod.ready', 'vod.failed', 'output.active', 'output.failed', 'stream.health']);
      await user.post('/api/webhooks', { url: vodOnly.url, events: ['vod.ready'] });
      const { ingest } = await user.createStream({ name: 'down' });
      await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, { port: 62002 }));
      const d = await waitFor(async () => {
        const list = (await user.get(`/api/webhooks/${ep.id}/deliveries`)).body.deliveries;
        return list[0]?.status === 'failed' ? list[0] : null;
      }, 'delivery failed');
      expect(d).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500' });
      expect(down.got).toHaveLength(3);
      expect(vodOnly.got).toHaveLength(0);
    } finally {
      await down.close();
      await vodOnly.close();
    }
  });

  it('validates endpoints and hides other users’ endpoints', async () => {
    for (const body of [{}, { url: 'ftp://x.test/h' }, { url: 'not a url' }, { url: 'https://x.test', events: ['stream.exploded'] }, { url: 'https://x.test', events: [] }]) {
      const r = await user.post('/api/webhooks', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
    }
    const ep = (await user.post('/api/webhooks', { url: 'https://hooks.example.test/x' })).body.endpoint;
    const other = new Client(backend.url);
    await other.signUp();
    expect((await other.get(`/api/webhooks/${ep.id}/deliveries`)).status).toBe(404);
    expect((await other.del(`/api/webhooks/${ep.id}`)).status).toBe(404);
    expect((await user.del(`/api/webhooks/${ep.id}`)).status).toBe(204);
    expect((await user.get(`/api/webhooks/${ep.id}/deliveries`)).status).toBe(404);
  });
});
