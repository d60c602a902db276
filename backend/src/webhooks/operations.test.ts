// Webhook operations (issue 16.3) against a real backend, PostgreSQL, Redis and a real receiver.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LOOPBACK_RECEIVERS, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { verifyWebhook } from './sign.js';

interface Got { headers: IncomingMessage['headers']; body: string; json: { id: string; type: string; data: Record<string, unknown> } }

/** A receiver whose answer can be switched between success and failure. */
async function receiver() {
  const got: Got[] = [];
  const state = { status: 204 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.statusCode = state.status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, state, close: () => new Promise((r) => server.close(r)) };
}

let backend: RunningBackend;
let user: Client;
let rx: Awaited<ReturnType<typeof receiver>>;
let port = 63000;
beforeAll(async () => {
  backend = await startTestBackend({ WEBHOOK_DELIVERY_ATTEMPTS: '1', WEBHOOK_AUTO_DISABLE_DAYS: '3', ...LOOPBACK_RECEIVERS });
  user = new Client(backend.url);
  await user.signUp();
  rx = await receiver();
});
afterAll(async () => {
  await backend.stop();
  await rx.close();
});

const now = () => Math.floor(Date.now() / 1000);
async function endpoint(events?: string[]) {
  const r = await user.post('/api/webhooks', { url: rx.url, ...(events ? { events } : {}) });
  expect(r.status).toBe(201);
  return r.body as { endpoint: { id: string }; secret: string };
}
const deliveries = async (id: string) => (await user.get(`/api/webhooks/${id}/deliveries`)).body.deliveries as { id: string; eventId: string; eventType: string; status: string; attempts: number }[];
const settled = (id: string, n = 1) =>
  waitFor(async () => {
    const d = await deliveries(id);
    return d.length >= n && d.every((x) => x.status !== 'pending') ? d : null;
  }, 'deliveries settled');
async function goLive() {
  const { ingest } = await user.createStream({ name: `ops ${port}`, reconnectWindowSeconds: 0 });
  expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, { port: port++ }))).body.allowed).toBe(true);
}

describe('test ping', () => {
  it('sends a signed ping to the endpoint, listed among its deliveries', async () => {
    rx.state.status = 204;
    const { endpoint: ep, secret } = await endpoint();
    const r = await user.post(`/api/webhooks/${ep.id}/test`);
    expect(r.status).toBe(202);
    expect(r.body.delivery).toMatchObject({ eventType: 'ping', status: 'pending' });
    const [d] = await settled(ep.id);
    expect(d).toMatchObject({ id: r.body.delivery.id, eventType: 'ping', status: 'succeeded', attempts: 1 });
    const ping = rx.got.find((g) => g.headers['x-ocp-delivery'] === d!.id)!;
    expect(ping.json).toMatchObject({ type: 'ping', data: { endpointId: ep.id } });
    expect(verifyWebhook(secret, ping.body, String(ping.headers['x-ocp-signature']), now())).toBe(true);
  });
});

describe('PATCH /api/webhooks/:id', () => {
  it('changes events and URL (refusing internal hosts), pauses and resumes; paused endpoints get no events', async () => {
    const { endpoint: ep } = await endpoint(['vod.ready']);
    let r = await user.patch(`/api/webhooks/${ep.id}`, { events: ['stream.live'] });
    expect(r.status).toBe(200);
    expect(r.body.endpoint).toMatchObject({ events: ['stream.live'], enabled: true, disabledReason: null });
    r = await user.patch(`/api/webhooks/${ep.id}`, { url: 'http://169.254.169.254/latest/meta-data/' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('webhook_url_not_allowed');
    for (const bad of [{}, { enabled: 'no' }, { secret: 'x' }, { url: 'ftp://x.test/' }, { events: [] }]) {
      expect((await user.patch(`/api/webhooks/${ep.id}`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    r = await user.patch(`/api/webhooks/${ep.id}`, { enabled: false });
    expect(r.body.endpoint).toMatchObject({ enabled: false, disabledReason: 'owner', disabledAt: expect.any(String) });
    await goLive();
    await new Promise((res) => setTimeout(res, 300));
    expect(await deliveries(ep.id)).toEqual([]);
    r = await user.patch(`/api/webhooks/${ep.id}`, { enabled: true });
    expect(r.body.endpoint).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    await goLive();
    expect((await settled(ep.id)).map((d) => d.eventType)).toEqual(['stream.live']);
    const other = new Client(backend.url);
    await other.signUp();
    expect((await other.patch(`/api/webhooks/${ep.id}`, { enabled: false })).status).toBe(404);
    expect((await user.get('/api/webhooks')).body.endpoints.find((e: { id: string }) => e.id === ep.id).enabled).toBe(true);
  });
});

describe('redeliver', () => {
  it('sends the same event again (same id and body, new signature) once the receiver works; refuses while pending', async () => {
    const { endpoint: ep } = await endpoint(['stream.live']);
    rx.state.status = 500;
    await goLive();
    const [failed] = await settled(ep.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    const first = rx.got.filter((g) => g.headers['x-ocp-delivery'] === failed!.id);
    expect(first).toHaveLength(1);
    rx.state.status = 204;
    const r = await user.post(`/api/webhooks/${ep.id}/deliveries/${failed!.id}/redeliver`);
    expect(r.status).toBe(202);
    expect(r.body.delivery).toMatchObject({ id: failed!.id, eventId: failed!.eventId, status: 'pending' });
    // A second click while it is queued or running is refused, not queued twice.
    const again = await user.post(`/api/webhooks/${ep.id}/deliveries/${failed!.id}/redeliver`);
    expect([202, 409]).toContain(again.status);
    if (again.status === 409) expect(again.body.error.code).toBe('delivery_pending');
    const [done] = await settled(ep.id);
    expect(done).toMatchObject({ id: failed!.id, status: 'succeeded' });
    const sent = rx.got.filter((g) => g.headers['x-ocp-delivery'] === failed!.id);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.every((g) => g.json.id === failed!.eventId)).toBe(true);
    expect(sent[1]!.body).toBe(sent[0]!.body);
    // Unknown or another endpoint's delivery: 404; junk id: 404.
    const { endpoint: other } = await endpoint(['vod.ready']);
    expect((await user.post(`/api/webhooks/${other.id}/deliveries/${failed!.id}/redeliver`)).status).toBe(404);
    expect((await user.post(`/api/webhooks/${ep.id}/deliveries/not-a-uuid/redeliver`)).status).toBe(404);
    // Disabled endpoint: enable first.
    await user.patch(`/api/webhooks/${ep.id}`, { enabled: false });
    const off = await user.post(`/api/webhooks/${ep.id}/deliveries/${failed!.id}/redeliver`);
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('endpoint_disabled');
  });

  it('refuses a redelivery of a delivery that is still pending', async () => {
    const { endpoint: ep } = await endpoint(['stream.live']);
    const d = await backend.ctx.db.webhookDelivery.create({ data: { endpointId: ep.id, eventId: crypto.randomUUID(), eventType: 'stream.live', payload: {} } });
    const r = await user.post(`/api/webhooks/${ep.id}/deliveries/${d.id}/redeliver`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('delivery_pending');
  });
});

describe('secret rotation', () => {
  it('signs with both secrets during the overlap, with the new one only after an overlap of 0', async () => {
    rx.state.status = 204;
    const { endpoint: ep, secret: old } = await endpoint();
    const r = await user.post(`/api/webhooks/${ep.id}/rotate-secret`, { overlapSeconds: 3600 });
    expect(r.status).toBe(200);
    const fresh = r.body.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(JSON.stringify(r.body.endpoint)).not.toContain('whsec_');
    expect(Date.parse(r.body.endpoint.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500_000);
    const ping = async () => {
      const id = (await user.post(`/api/webhooks/${ep.id}/test`)).body.delivery.id as string;
      await waitFor(async () => rx.got.find((g) => g.headers['x-ocp-delivery'] === id), 'ping received');
      return rx.got.find((g) => g.headers['x-ocp-delivery'] === id)!;
    };
    let got = await ping();
    let header = String(got.headers['x-ocp-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhook(fresh, got.body, header, now())).toBe(true);
    expect(verifyWebhook(old, got.body, header, now())).toBe(true);

    const r2 = await user.post(`/api/webhooks/${ep.id}/rotate-secret`, { overlapSeconds: 0 });
    expect(r2.body.endpoint.previousSecretExpiresAt).toBeNull();
    got = await ping();
    header = String(got.headers['x-ocp-signature']);
    expect(header.match(/v1=/g)).toHaveLength(1);
    expect(verifyWebhook(r2.body.secret, got.body, header, now())).toBe(true);
    expect(verifyWebhook(fresh, got.body, header, now())).toBe(false);
    expect(verifyWebhook(old, got.body, header, now())).toBe(false);
    for (const bad of [{ overlapSeconds: -1 }, { overlapSeconds: 8 * 86400 }, { overlapSeconds: 1.5 }, { secret: 'mine' }]) {
      expect((await user.post(`/api/webhooks/${ep.id}/rotate-secret`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });
});

describe('automatic disable', () => {
  it('disables an endpoint that has failed every attempt for WEBHOOK_AUTO_DISABLE_DAYS; a success before that clears the count', async () => {
    const { endpoint: ep } = await endpoint(['stream.live']);
    rx.state.status = 500;
    await goLive();
    await settled(ep.id);
    let row = await backend.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.id } });
    expect(row.failingSince).not.toBeNull();
    expect(row.enabled).toBe(true);
    // A success resets it.
    rx.state.status = 204;
    await user.post(`/api/webhooks/${ep.id}/test`);
    await settled(ep.id, 2);
    row = await backend.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.id } });
    expect(row.failingSince).toBeNull();

    // Failing for more than 3 days (the first failure is moved back in time), then one more failure.
    rx.state.status = 500;
    await goLive();
    await settled(ep.id, 3);
    await backend.ctx.db.webhookEndpoint.update({ where: { id: ep.id }, data: { failingSince: new Date(Date.now() - 3 * 86_400_000 - 60_000) } });
    expect((await backend.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.id } })).enabled).toBe(true);
    await goLive();
    await settled(ep.id, 4);
    const listed = (await user.get('/api/webhooks')).body.endpoints.find((e: { id: string }) => e.id === ep.id);
    expect(listed).toMatchObject({ enabled: false, disabledReason: 'failing', disabledAt: expect.any(String), failingSince: expect.any(String) });
    // No more events for it; a test ping still goes out so the owner can check a fix.
    const before = (await deliveries(ep.id)).length;
    await goLive();
    await new Promise((r) => setTimeout(r, 300));
    expect((await deliveries(ep.id)).length).toBe(before);
    rx.state.status = 204;
    expect((await user.post(`/api/webhooks/${ep.id}/test`)).status).toBe(202);
    expect((await settled(ep.id, before + 1))[0]).toMatchObject({ eventType: 'ping', status: 'succeeded' });
    const back = await user.patch(`/api/webhooks/${ep.id}`, { enabled: true });
    expect(back.body.endpoint).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });
});
