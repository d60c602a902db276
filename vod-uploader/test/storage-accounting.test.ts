// Storage accounting backfill on real PostgreSQL and the GCS test server: ready VODs made before the
// worker measured stored bytes get them from the store's listing of their prefix.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { pino } from 'pino';
import { loadConfig } from '../src/config/index.js';
import { GcsStore } from '../src/storage/gcs.js';
import { VodRepo } from '../src/vods/repo.js';
import { backfillStorageBytes } from '../src/vods/storage-accounting.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, createStream } from './support/harness.js';

let gcs: GcsTestServer;
let db: Db;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
});

afterAll(async () => {
  await gcs?.stop();
  await db?.$disconnect();
});

it('fills in the stored bytes of ready VODs from their objects, once, and leaves measured or unfinished ones alone', async () => {
  const config = loadConfig({ DATABASE_URL: 'unused://', REDIS_URL: 'unused://', GCS_BUCKET: TEST_BUCKET, GCS_API_ENDPOINT: gcs.url, GCS_PROJECT_ID: 'ocp-test' });
  const store = new GcsStore(config.gcs);
  const { user, stream } = await createStream(db);
  const mk = (data: { status: 'ready' | 'processing'; storageBytes?: bigint }) => db.vod.create({ data: { ownerId: user.id, streamId: stream.id, recordingId: `b${randomBytes(6).toString('hex')}-0`, ...data } });
  const old = await mk({ status: 'ready' });
  const measured = await mk({ status: 'ready', storageBytes: 7n });
  const busy = await mk({ status: 'processing' });
  for (const v of [old, measured, busy]) await db.vod.update({ where: { id: v.id }, data: { objectPrefix: `vods/${v.id}/` } });
  const bucket = store.storage.bucket(TEST_BUCKET);
  await bucket.file(`vods/${old.id}/hls/master.m3u8`).save('#EXTM3U\n', { resumable: false });
  await bucket.file(`vods/${old.id}/hls/source_p1_00000.ts`).save(Buffer.alloc(188 * 100), { resumable: false });
  await bucket.file(`vods/${old.id}x/other.ts`).save(Buffer.alloc(1000), { resumable: false }); // not under its prefix
  await bucket.file(`vods/${measured.id}/a.ts`).save(Buffer.alloc(10), { resumable: false });

  const log = pino({ level: 'silent' });
  const repo = new VodRepo(db);
  expect(await backfillStorageBytes(repo, store, log, 1000)).toBeGreaterThanOrEqual(1);
  expect((await db.vod.findUnique({ where: { id: old.id } }))!.storageBytes).toBe(BigInt(8 + 188 * 100));
  expect((await db.vod.findUnique({ where: { id: measured.id } }))!.storageBytes).toBe(7n);
  expect((await db.vod.findUnique({ where: { id: busy.id } }))!.storageBytes).toBeNull();
  expect(await repo.readyWithoutStorageBytes(1000).then((r) => r.some((x) => x.id === old.id))).toBe(false);
});
