// The transactional outbox on the worker's side (issue 16.1): the worker (src/main.ts, a child
// process) is SIGKILLed right after the transaction that makes a Vod ready and writes its vod.ready
// deliveries commits, before it queues them (TEST_FAULT_POINT). The backend that starts next queues
// what was recorded but never queued, and the receiver gets vod.ready exactly once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { LOOPBACK_RECEIVERS, startTestBackend } from '../../backend/test/helpers.js';
import type { RunningBackend } from '../../backend/src/server.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, createStream, tempDir, testEnv, uniquePrefix, waitForVod } from './support/harness.js';
import { makeRecording } from './support/media.js';
import { exitOf, placeRecording, startChild } from './support/worker-process.js';

let gcs: GcsTestServer;
let db: Db;
let root: string;
let backend: RunningBackend | null = null;
const got: { event: { id: string; type: string; data: { vod: { id: string } } }; delivery: string }[] = [];
let rx: ReturnType<typeof createServer>;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
  root = await tempDir('outbox-kill');
  rx = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ event: JSON.parse(body), delivery: String(req.headers['x-ocp-delivery']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  await backend?.stop();
  await new Promise((r) => rx.close(r));
  await gcs?.stop();
  await db?.$disconnect();
  if (root) await rm(root, { recursive: true, force: true });
});

it('vod.ready written with the ready status survives a SIGKILL before it was queued, and is delivered once', { timeout: 90_000 }, async () => {
  const { user, stream } = await createStream(db);
  const ep = await db.webhookEndpoint.create({
    data: { ownerId: user.id, url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`, secret: 'whsec_outbox_kill_test', events: ['vod.ready'] },
  });
  const recordingsDir = path.join(root, 'rec');
  const redisPrefix = uniquePrefix(inject('redisPrefix'));
  const env = testEnv({
    databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix, gcsUrl: gcs.url, recordingsDir, workDir: path.join(root, 'work'),
    extra: { LOG_LEVEL: 'info', TEST_FAULT_POINT: 'kill-after-commit:vod.ready' },
  });
  const source = await makeRecording(path.join(root, 'media', 'a.mp4'), { seconds: 2, videoBitrate: '200k' });
  const placed = await placeRecording(recordingsDir, stream.id, source);
  const worker = startChild(env);
  const output = () => `\n--- worker ---\n${worker.output.join('')}`;
  try {
    const exit = await Promise.race([exitOf(worker), new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(exit, output()).toEqual({ code: null, signal: 'SIGKILL' });
    const ready = await waitForVod(db, placed.recordingId, 'ready', 5_000);
    // Committed together: the Vod is ready and its delivery row exists, untouched (never queued).
    const rows = await db.webhookDelivery.findMany({ where: { endpointId: ep.id } });
    expect(rows, output()).toHaveLength(1);
    expect(rows[0]).toMatchObject({ eventType: 'vod.ready', status: 'pending', attempts: 0 });
    expect(got).toEqual([]);

    // The next backend on the same database and queues queues it at start-up.
    backend = await startTestBackend({ DATABASE_URL: inject('databaseUrl'), REDIS_PREFIX: redisPrefix, ...LOOPBACK_RECEIVERS });
    const until = Date.now() + 15_000;
    while (got.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1_000)); // a second copy would arrive by now
    expect(got.map((g) => [g.event.type, g.event.data.vod.id, g.delivery])).toEqual([['vod.ready', ready.id, rows[0]!.id]]);
    expect(got[0]!.event.id).toBe(rows[0]!.eventId);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: rows[0]!.id } })).toMatchObject({ status: 'succeeded', attempts: 1 });
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }
});
