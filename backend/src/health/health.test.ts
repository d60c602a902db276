// Stream health from OME's Alert module (issue 15.1): a real backend, PostgreSQL and Redis; OME's
// notifications are the documented request bodies (test/fixtures/ome/alert), signed like OME signs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, OME_SECRET, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import { omeSignature } from '../ome/signature.js';
import type { RunningBackend } from '../server.js';
import { currentProblems, diffAlerts, OmeAlertBody, parseSourceUri } from './alert-payload.js';

const FIX = path.join(import.meta.dirname, '../../test/fixtures/ome/alert');
const notification = (name: string, streamId: string, app = 'app', vhost = 'default') =>
  readFileSync(path.join(FIX, `${name}.json`), 'utf8').replace('"#default#app/stream"', JSON.stringify(`#${vhost}#${app}/${streamId}`));

async function sendAlert(base: string, raw: string, signature: string | null = omeSignature(OME_SECRET, raw)) {
  const res = await fetch(`${base}/api/ome/alert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(signature === null ? {} : { 'x-ome-signature': signature }) },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

let backend: RunningBackend;
let user: Client;
let port = 64000;
beforeAll(async () => {
  backend = await startTestBackend({ WEBHOOK_WORKER: 'false' });
  user = new Client(backend.url);
  await user.signUp();
  await user.post('/api/webhooks', { url: 'https://hooks.example.com/health', events: ['stream.health'] });
});
afterAll(() => backend.stop());

async function liveStream() {
  const { stream, ingest } = await user.createStream({ name: `health ${port}`, reconnectWindowSeconds: 0 });
  const url = rtmpPublishUrl(ingest);
  const p = port++;
  expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url }, { port: p }))).body.allowed).toBe(true);
  return { id: stream.id as string, url, end: () => sendAdmission(backend.url, omeBody('rtmp-publish-closing', { url, new_url: url }, { port: p })) };
}
const health = async (id: string) => (await user.get(`/api/streams/${id}/health`)).body as { current: any[]; history: any[] };
const healthEvents = (id: string) => backend.ctx.db.webhookDelivery.findMany({ where: { eventType: 'stream.health', payload: { path: ['data', 'streamId'], equals: id } }, orderBy: { createdAt: 'asc' } });

describe('OME alert notifications', () => {
  it('refuse an unsigned or wrongly signed notification and store nothing', async () => {
    const s = await liveStream();
    const raw = notification('ingress-notification', s.id);
    for (const sig of [null, omeSignature('other-secret', raw), omeSignature(OME_SECRET, `${raw} `)]) {
      const r = await sendAlert(backend.url, raw, sig);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('invalid_signature');
    }
    expect((await health(s.id)).history).toEqual([]);
  });

  it('raise the problems OME reports with a fix a creator understands, over SSE and as stream.health', async () => {
    const s = await liveStream();
    const sse = await fetch(`${backend.url}/api/streams/${s.id}/events`, { headers: { authorization: `Bearer ${user.token}` } });
    const reader = sse.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const r = await sendAlert(backend.url, notification('ingress-notification', s.id));
    expect(r).toEqual({ status: 200, body: {} });
    const h = await health(s.id);
    expect(h.current.map((a) => [a.code, a.severity]).sort()).toEqual([['INGRESS_BITRATE_LOW', 'warning'], ['INGRESS_HAS_BFRAME', 'critical']]);
    const bframes = h.current.find((a) => a.code === 'INGRESS_HAS_BFRAME')!;
    expect(bframes.fix).toMatch(/OBS → Settings → Output/);
    expect(bframes.description).toBe('There are B-Frames in the ingress stream.');
    await waitFor(async () => {
      const { value } = await reader.read();
      text += value ?? '';
      return text.includes('event: stream.health');
    }, 'stream.health over SSE');
    const data = JSON.parse(/event: stream\.health\ndata: (.*)\n/.exec(text)![1]!);
    expect(data.streamId).toBe(s.id);
    expect(data.alerts.map((a: { code: string }) => a.code).sort()).toEqual(['INGRESS_BITRATE_LOW', 'INGRESS_HAS_BFRAME']);
    await reader.cancel();
    const [event] = await healthEvents(s.id);
    expect(event!.payload).toMatchObject({ type: 'stream.health', data: { streamId: s.id, raised: expect.arrayContaining(['INGRESS_HAS_BFRAME', 'INGRESS_BITRATE_LOW']), cleared: [] } });
    // The same list again (OME repeats nothing, but a retry might): no new alert, no new event.
    await sendAlert(backend.url, notification('ingress-notification', s.id));
    expect((await health(s.id)).history).toHaveLength(2);
    expect(await healthEvents(s.id)).toHaveLength(1);
  });

  it('clear what OME no longer lists, and everything on OK; history keeps them', async () => {
    const s = await liveStream();
    await sendAlert(backend.url, notification('ingress-notification', s.id));
    const onlyBitrate = JSON.parse(notification('ingress-notification', s.id));
    onlyBitrate.messages = onlyBitrate.messages.filter((m: { code: string }) => m.code === 'INGRESS_BITRATE_LOW');
    await sendAlert(backend.url, JSON.stringify(onlyBitrate));
    expect((await health(s.id)).current.map((a) => a.code)).toEqual(['INGRESS_BITRATE_LOW']);
    await sendAlert(backend.url, notification('ingress-recovered', s.id));
    const h = await health(s.id);
    expect(h.current).toEqual([]);
    expect(h.history.every((a) => a.clearedAt !== null)).toBe(true);
    const events = await healthEvents(s.id);
    expect(events.map((e) => (e.payload as { data: { cleared: string[] } }).data.cleared)).toEqual([[], ['INGRESS_HAS_BFRAME'], ['INGRESS_BITRATE_LOW']]);
  });

  it('a new broadcast starts with no problems: alerts left open when the last one ended are closed', async () => {
    const s = await liveStream();
    await sendAlert(backend.url, notification('ingress-notification', s.id));
    await s.end();
    expect((await health(s.id)).current).toEqual([]); // not on air: nothing current
    expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: s.url }, { port: port++ }))).body.allowed).toBe(true);
    const only = JSON.parse(notification('ingress-notification', s.id));
    only.messages = [only.messages[0]];
    await sendAlert(backend.url, JSON.stringify(only));
    const h = await health(s.id);
    expect(h.current.map((a) => a.code)).toEqual(['INGRESS_HAS_BFRAME']);
    expect(h.history.filter((a) => a.clearedAt === null)).toHaveLength(1);
  });

  it('ignore other vhosts, other apps, unknown streams and other alert types; refuse malformed bodies', async () => {
    const s = await liveStream();
    for (const raw of [notification('ingress-notification', s.id, 'other'), notification('ingress-notification', s.id, 'app', 'vh2'), notification('ingress-notification', crypto.randomUUID()), notification('ingress-notification', 'not-a-uuid')]) {
      expect(await sendAlert(backend.url, raw)).toEqual({ status: 200, body: {} });
    }
    const congestion = JSON.stringify({ type: 'INTERNAL_QUEUE', messages: [{ code: 'INTERNAL_QUEUE_CONGESTION', description: 'x' }] });
    expect((await sendAlert(backend.url, congestion)).status).toBe(200);
    expect((await health(s.id)).history).toEqual([]);
    for (const bad of ['{"type":"INGRESS"}', '{"type":"INGRESS","messages":[{"code":"bad code"}]}', '[]']) {
      const r = await sendAlert(backend.url, bad);
      expect(r.status, bad).toBe(400);
    }
    const other = new Client(backend.url);
    await other.signUp();
    expect((await other.get(`/api/streams/${s.id}/health`)).status).toBe(404);
  });
});

describe('alert payload rules', () => {
  it('parse OME source URIs and diff open alerts against a notification', () => {
    expect(parseSourceUri('#default#app/abc')).toEqual({ vhost: 'default', app: 'app', stream: 'abc' });
    for (const bad of ['default#app/abc', '#default#app/abc/x', '#default#app', '']) expect(parseSourceUri(bad)).toBeNull();
    const alert = OmeAlertBody.parse({ type: 'INGRESS', messages: [{ code: 'OK', description: 'OK' }] });
    expect(currentProblems(alert).size).toBe(0);
    const now = new Map([['A', 'a'], ['B', 'b']]);
    expect(diffAlerts(['B', 'C'], now)).toEqual({ raise: [['A', 'a']], clear: ['C'] });
  });
});
