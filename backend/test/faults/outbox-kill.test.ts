// The transactional outbox under SIGKILL (issue 16.1): the real API (src/main.ts) as a child process
// is killed between a transition's commit and the queueing of its event (TEST_FAULT_POINT). The
// event was written in the same transaction as the status change, so the next backend delivers it,
// exactly once per endpoint, with the event id the receiver dedupes on.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LOOPBACK_RECEIVERS, isolatedDatabase, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, testEnv, waitFor } from '../helpers.js';
import { startApi, type Child } from '../support/child-api.js';
import type { RunningBackend } from '../../src/server.js';

interface Got { headers: IncomingMessage['headers']; event: { id: string; type: string; data: { streamId: string } } }

let rx: { url: string; got: Got[]; close: () => Promise<unknown> };
let db: { url: string; drop: () => Promise<void> };
const children: Child[] = [];
const backends: RunningBackend[] = [];
beforeAll(async () => {
  const got: Got[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, event: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rx = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise((r) => server.close(r)) };
  db = await isolatedDatabase('outbox_kill');
});
afterAll(async () => {
  for (const c of children) c.proc.kill('SIGKILL');
  for (const b of backends) await b.stop();
  await rx.close();
  await db.drop();
});

describe('outbox: SIGKILL between commit and queue', () => {
  for (const type of ['stream.live', 'stream.ended'] as const) {
    it(`${type} is still delivered exactly once by the next backend`, { timeout: 60_000 }, async () => {
      // One Redis prefix for both processes, as two lives of one deployment.
      const env = testEnv({ DATABASE_URL: db.url, LOG_LEVEL: 'info', WEBHOOK_BACKOFF_MS: '50', ...LOOPBACK_RECEIVERS });
      const doomed = await startApi({ ...env, TEST_FAULT_POINT: `kill-after-commit:${type}` });
      children.push(doomed);
      const base = `http://127.0.0.1:${doomed.port}`;
      const c = new Client(base);
      await c.signUp();
      const ep = (await c.post('/api/webhooks', { url: rx.url, events: [type] })).body.endpoint;
      const { stream, ingest } = await c.createStream({ name: `kill ${type}`, reconnectWindowSeconds: 0 });
      const url = rtmpPublishUrl(ingest);
      const port = type === 'stream.live' ? 51001 : 51002;

      const opening = sendAdmission(base, omeBody('rtmp-publish-opening', { url }, { port }));
      if (type === 'stream.live') {
        await expect(opening).rejects.toThrow(); // the process died before answering
      } else {
        expect((await opening).body.allowed).toBe(true);
        await expect(sendAdmission(base, omeBody('rtmp-publish-closing', { url, new_url: url }, { port }))).rejects.toThrow();
      }
      expect((await doomed.exited).signal).toBe('SIGKILL');

      // What the dead process committed: the change and its event, nothing queued or sent yet.
      const next = await startTestBackend({ ...env, PORT: '0' });
      backends.push(next);
      const row = await next.ctx.db.stream.findUniqueOrThrow({ where: { id: stream.id } });
      expect(row.status).toBe(type === 'stream.live' ? 'live' : 'ended');

      const mine = () => rx.got.filter((g) => g.event.type === type && g.event.data.streamId === stream.id);
      await waitFor(async () => mine().length > 0, `${type} delivered after the restart`, 15_000);
      await new Promise((r) => setTimeout(r, 1_000)); // a second copy would show up by now
      expect(mine()).toHaveLength(1);
      const deliveries = await next.ctx.db.webhookDelivery.findMany({ where: { endpointId: ep.id, eventType: type } });
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(mine()[0]!.event.id).toBe(deliveries[0]!.eventId);
      expect(mine()[0]!.headers['x-ocp-delivery']).toBe(deliveries[0]!.id);
      await next.stop();
      backends.pop();
    });
  }
});
