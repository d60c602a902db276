// End to end: a recording processed by the worker is played back through the backend's VOD API,
// with the same GCS test server behind both (signed URLs checked against the backend's key).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { localSigningKey } from '../../backend/src/vods/storage.js';
import { Client, startTestBackend } from '../../backend/test/helpers.js';
import type { RunningBackend } from '../../backend/src/server.js';
import { startVodService, type VodService } from '../src/app.js';
import { GcsTestServer } from './support/gcs-test-server.js';
import { TEST_BUCKET, recordingEvents, tempDir, testConfig, uniquePrefix, waitForVod } from './support/harness.js';
import { makeRecording, writeInfo } from './support/media.js';

const run = promisify(execFile);
let gcs: GcsTestServer;
let backend: RunningBackend;
let worker: VodService;
let root: string;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [TEST_BUCKET], signingPublicKey: localSigningKey().publicKeyPem });
  const gcsEnv = { GCS_BUCKET: TEST_BUCKET, GCS_API_ENDPOINT: gcs.url, GCS_PROJECT_ID: 'ocp-test', GCS_PREFIX: 'vods/' };
  backend = await startTestBackend(gcsEnv);
  root = await tempDir('e2e');
  await mkdir(path.join(root, 'rec'), { recursive: true });
  worker = await startVodService(
    testConfig({
      databaseUrl: inject('databaseUrl'),
      redisUrl: inject('redisUrl'),
      redisPrefix: uniquePrefix(inject('redisPrefix')),
      gcsUrl: gcs.url,
      recordingsDir: path.join(root, 'rec'),
      workDir: path.join(root, 'work'),
    }),
    { events: recordingEvents(), db: backend.ctx.db },
  );
});

afterAll(async () => {
  await worker?.stop();
  await backend?.stop();
  await gcs?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

it('a recording uploaded by the worker plays back through GET /api/vods/:id (ffprobe reads the served playlist)', async () => {
  const owner = new Client(backend.url);
  await owner.signUp();
  const { stream } = await owner.createStream({ name: 'E2E show' });

  const dir = path.join(root, 'rec', 'default', 'app', stream.id);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, '20261122010000_20261122010006.ts');
  await copyFile(await makeRecording(path.join(root, 'src.ts')), file);
  const transactionId = randomBytes(8).toString('hex');
  await writeInfo(path.join(dir, 'info.xml'), [{ transactionId, stream: stream.id, filePath: file }]);
  const vod = await waitForVod(backend.ctx.db, `${transactionId}-0`, 'ready');

  const listed = await owner.get(`/api/vods?streamId=${stream.id}`);
  expect(listed.body.vods).toEqual([expect.objectContaining({ id: vod.id, status: 'ready', title: expect.stringContaining('E2E show') })]);
  const r = await owner.get(`/api/vods/${vod.id}`);
  expect(r.status).toBe(200);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', backend.url + r.body.playback.hls]);
  expect(Number(JSON.parse(stdout).format.duration)).toBeCloseTo(vod.durationMs! / 1000, 0);

  // Deleting the VOD removes what the worker stored.
  expect(gcs.list(TEST_BUCKET, `vods/${vod.id}/`).length).toBeGreaterThan(3);
  expect((await owner.del(`/api/vods/${vod.id}`)).status).toBe(204);
  expect(gcs.list(TEST_BUCKET, `vods/${vod.id}/`)).toEqual([]);
});
