// Outgoing webhooks cannot be aimed at the operator's network (issue 11.1), end to end: a real
// backend, real PostgreSQL/Redis, a real receiver on loopback standing for an internal service, and a
// DNS stand-in for names an attacker controls.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import type { Resolver } from '../net/guarded-agent.js';
import type { RunningBackend } from '../server.js';

/** The "internal service": counts every request that reaches it. */
async function internalService(handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, s) => s.end('ok')) {
  const got: string[] = [];
  const server = createServer((req, res) => {
    got.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, got, close: () => new Promise((r) => server.close(r)) };
}

// Attacker-controlled names, all pointing at loopback; anything else does not resolve.
const dns: Resolver = async (host) => {
  if (host.endsWith('.evil.test') || host === 'receiver.internal') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

let strict: RunningBackend;
let user: Client;
let streamN = 0;
beforeAll(async () => {
  strict = await startTestBackend({ WEBHOOK_DELIVERY_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50' }, undefined, { resolve: dns });
  user = new Client(strict.url);
  await user.signUp();
});
afterAll(() => strict.stop());

/** Makes one stream go live on `backend` so every endpoint of `c` gets a stream.live delivery. */
async function goLive(backend: RunningBackend, c: Client) {
  const { ingest } = await c.createStream({ name: `ssrf ${++streamN}`, reconnectWindowSeconds: 0 });
  const r = await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, { port: 61000 + streamN }));
  expect(r.body.allowed).toBe(true);
}

async function finalDelivery(c: Client, endpointId: string) {
  return waitFor(async () => {
    const d = (await c.get(`/api/webhooks/${endpointId}/deliveries`)).body.deliveries;
    return d[0] && d[0].status !== 'pending' ? d[0] : null;
  }, 'delivery settled');
}

describe('webhook registration', () => {
  it('refuses internal hosts in every spelling with 400 webhook_url_not_allowed, storing nothing', async () => {
    const urls = [
      'http://127.0.0.1:6379/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:5432/', `http://localhost:${new URL(strict.url).port}/api/auth/me`,
      'http://2130706433/', 'http://0x7f000001/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0/', 'http://10.1.2.3/', 'http://172.20.0.1/',
      'http://192.168.0.10/', 'http://100.100.100.200/', 'http://224.0.0.251/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/', 'https://[::]/', 'http://api.localhost/',
    ];
    for (const url of urls) {
      const r = await user.post('/api/webhooks', { url });
      expect(r.status, `${url} → ${r.status} ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.code, url).toBe('webhook_url_not_allowed');
      expect(r.body.error.message, url).toMatch(/public address/);
    }
    expect((await user.get('/api/webhooks')).body.endpoints).toEqual([]);
  });
});

describe('webhook delivery', () => {
  it('refuses a name that resolves to loopback: failed once with blocked_address, nothing reaches the service', async () => {
    const svc = await internalService();
    try {
      const created = await user.post('/api/webhooks', { url: `http://hooks.evil.test:${svc.port}/`, events: ['stream.live'] });
      expect(created.status).toBe(201); // a name cannot be judged before it is resolved
      await goLive(strict, user);
      const d = await finalDelivery(user, created.body.endpoint.id);
      expect(d).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
      expect(d.lastError).toBe('blocked_address: hooks.evil.test resolves to 127.0.0.1, a loopback address');
      expect(svc.got).toEqual([]);
      await user.del(`/api/webhooks/${created.body.endpoint.id}`);
    } finally {
      await svc.close();
    }
  });

  it('judges endpoints stored before the policy (or under a looser one) again at delivery', async () => {
    const svc = await internalService();
    try {
      const me = (await user.get('/api/auth/me')).body.user;
      const ep = await strict.ctx.db.webhookEndpoint.create({ data: { ownerId: me.id, url: `http://0x7f000001:${svc.port}/`, secret: 'whsec_legacy', events: ['stream.live'] } });
      await goLive(strict, user);
      const d = await finalDelivery(user, ep.id);
      expect(d).toMatchObject({ status: 'failed', attempts: 1 });
      expect(d.lastError).toBe('blocked_address: 127.0.0.1 is a loopback address');
      expect(svc.got).toEqual([]);
      await user.del(`/api/webhooks/${ep.id}`);
    } finally {
      await svc.close();
    }
  });
});

describe('operator opt-in (WEBHOOK_ALLOWED_CIDRS / WEBHOOK_ALLOW_PRIVATE)', () => {
  for (const optIn of [{ WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8' }, { WEBHOOK_ALLOW_PRIVATE: 'true' }]) {
    it(`delivers to an internal receiver with ${JSON.stringify(optIn)}, by name and by address`, async () => {
      const svc = await internalService();
      const b = await startTestBackend({ WEBHOOK_DELIVERY_ATTEMPTS: '2', WEBHOOK_BACKOFF_MS: '50', ...optIn }, undefined, { resolve: dns });
      try {
        const c = new Client(b.url);
        await c.signUp();
        const byName = (await c.post('/api/webhooks', { url: `http://receiver.internal:${svc.port}/by-name`, events: ['stream.live'] })).body.endpoint;
        const byIp = await c.post('/api/webhooks', { url: `http://127.0.0.1:${svc.port}/by-ip`, events: ['stream.live'] });
        expect(byIp.status).toBe(201);
        await goLive(b, c);
        expect(await finalDelivery(c, byName.id)).toMatchObject({ status: 'succeeded', lastStatusCode: 200 });
        expect(await finalDelivery(c, byIp.body.endpoint.id)).toMatchObject({ status: 'succeeded', lastStatusCode: 200 });
        expect(svc.got.sort()).toEqual(['/by-ip', '/by-name']);
        // A range outside the opt-in stays refused.
        expect((await c.post('/api/webhooks', { url: 'http://169.254.169.254/' })).status).toBe(optIn.WEBHOOK_ALLOW_PRIVATE ? 201 : 400);
      } finally {
        await b.stop();
        await svc.close();
      }
    });
  }

  it('follows no redirect, and caps the answer size and the whole exchange time', async () => {
    let dripping: ServerResponse | undefined;
    const svc = await internalService((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/redirected' }).end();
      } else if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(1024 * 1024));
      } else if (req.url === '/drip') {
        // One byte every 200 ms: never idle long enough for a socket timeout, never finished.
        dripping = res;
        res.writeHead(200);
        const t = setInterval(() => res.write('.'), 200);
        res.on('close', () => clearInterval(t));
      } else res.end('ok');
    });
    const b = await startTestBackend({ WEBHOOK_DELIVERY_ATTEMPTS: '1', WEBHOOK_DELIVERY_TIMEOUT_MS: '1500', WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' });
    try {
      const c = new Client(b.url);
      await c.signUp();
      const ep = async (p: string) => (await c.post('/api/webhooks', { url: `http://127.0.0.1:${svc.port}${p}`, events: ['stream.live'] })).body.endpoint.id as string;
      const [redirect, huge, drip] = [await ep('/redirect'), await ep('/huge'), await ep('/drip')];
      const t0 = Date.now();
      await goLive(b, c);
      expect(await finalDelivery(c, redirect)).toMatchObject({ status: 'failed', lastStatusCode: 302, lastError: 'HTTP 302' });
      expect((await finalDelivery(c, huge)).lastError).toMatch(/maxContentLength/);
      const dripped = await finalDelivery(c, drip);
      expect(dripped.status).toBe('failed');
      expect(Date.now() - t0).toBeLessThan(6000);
      expect(svc.got).not.toContain('/redirected');
      expect(dripping?.writableEnded ?? false).toBe(false);
    } finally {
      await b.stop();
      await svc.close();
    }
  });
});
