// A deleted user's VOD objects (backend admin delete → ObjectDeletion rows + jobs) are removed by
// this worker from the GCS test server, and nothing is orphaned when the worker was down or the
// job was lost: rows left behind are requeued at start-up. Real PostgreSQL and Redis.
import path from 'node:path';
import { Queue } from 'bullmq';
import { Storage } from '@google-cloud/storage';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '@ocp/backend/db';
import { OBJECT_DELETION_QUEUE, objectDeletionJobId } from '@ocp/backend/deletions';
import { startVodService, type VodService } from '../src/app.js';
import { storageOptions } from '../src/storage/gcs.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, recordingEvents, tempDir, testConfig, uniquePrefix, waitFor } from './support/harness.js';

let gcs: GcsTestServer;
let db: Db;
let root: string;
let service: VodService | null = null;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET] });
  db = createDb(inject('databaseUrl'));
  root = await tempDir('object-deletion');
});
afterAll(async () => {
  await service?.stop();
  await gcs?.stop();
  await db?.$disconnect();
  if (root) await rm(root, { recursive: true, force: true });
});

const config = (prefix: string) =>
  testConfig({ databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl'), redisPrefix: prefix, gcsUrl: gcs.url, recordingsDir: path.join(root, 'rec'), workDir: path.join(root, 'work'), extra: { RECORDINGS_RECONCILE_SECONDS: '1' } });

async function putObjects(cfg: ReturnType<typeof config>, names: string[]) {
  const bucket = new Storage(storageOptions(cfg.gcs)).bucket(TEST_BUCKET);
  for (const n of names) await bucket.file(n).save(Buffer.from(`bytes of ${n}`), { resumable: false });
}

describe('object deletions of deleted VODs', () => {
  it('rows written while the worker was down (no job in Redis at all) are requeued at start-up; every object under the prefix goes, neighbours stay', async () => {
    const cfg = config(uniquePrefix('ocp-del'));
    const tag = Math.random().toString(36).slice(2, 8);
    const a = `vods/del-${tag}-a/`;
    const b = `vods/del-${tag}-b/`;
    const keep = `vods/del-${tag}-keep/`;
    await putObjects(cfg, [`${a}playlist.m3u8`, `${a}720p/seg0.ts`, `${a}720p/seg1.ts`, `${b}poster.jpg`, `${keep}playlist.m3u8`]);
    const rows = await Promise.all([a, b].map((prefix) => db.objectDeletion.create({ data: { prefix, subject: `vod:${tag}` } })));

    service = await startVodService(cfg, { events: recordingEvents(), db });
    await waitFor('the rows to be done', async () => (await db.objectDeletion.count({ where: { id: { in: rows.map((r) => r.id) } } })) === 0, 15_000);
    expect(gcs.list(TEST_BUCKET, a)).toEqual([]);
    expect(gcs.list(TEST_BUCKET, b)).toEqual([]);
    expect(gcs.list(TEST_BUCKET, keep).map((o) => o.name)).toEqual([`${keep}playlist.m3u8`]);
  });

  it('a job queued by the backend while the worker runs; a storage outage longer than the GCS client retries fails the attempt, the job retries', async () => {
    const prefix = uniquePrefix('ocp-del2');
    const cfg = config(prefix);
    await service?.stop();
    service = await startVodService(cfg, { events: recordingEvents(), db });
    const tag = Math.random().toString(36).slice(2, 8);
    const p = `vods/del2-${tag}/`;
    await putObjects(cfg, [`${p}a.ts`, `${p}b.ts`]);
    const row = await db.objectDeletion.create({ data: { prefix: p, subject: `vod:${tag}` } });
    // More failing listings than the GCS client retries (GCS_MAX_RETRIES=3): the job attempt fails, the next one succeeds.
    gcs.faults.failNext = { count: 6, status: 503, match: (req: { method?: string; url?: string }) => req.method === 'GET' && (req.url ?? '').includes('/o?') };
    const q = new Queue(OBJECT_DELETION_QUEUE, { connection: { url: inject('redisUrl') }, prefix: cfg.bullPrefix });
    await q.add('delete-objects', { deletionId: row.id }, { jobId: objectDeletionJobId(row.id), attempts: 5, backoff: { type: 'fixed', delay: 200 } });
    await waitFor('the row to be done', async () => (await db.objectDeletion.findUnique({ where: { id: row.id } })) === null, 20_000);
    expect(gcs.list(TEST_BUCKET, p)).toEqual([]);
    await q.close();
  });

  it('refuses a prefix that is not a folder (a bad row never empties the bucket)', async () => {
    const cfg = config(uniquePrefix('ocp-del3'));
    const { GcsStore } = await import('../src/storage/gcs.js');
    const store = new GcsStore(cfg.gcs);
    for (const bad of ['', '/', 'vods']) await expect(store.deletePrefix(bad)).rejects.toThrow(/refusing/);
  });
});
