// Clip and download routes over real HTTP, PostgreSQL and Redis (no VOD worker here: the jobs are
// looked at in the queue, and a built download is stood in for by its row and object). Hostile and
// wrong inputs: every answer a 4xx with the error shape, never a 5xx, nothing written.
import { randomUUID } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { GcsTestServer } from '../../../vod-uploader/test/support/gcs-test-server.js';
import { clipJobId, downloadJobId } from './edit-jobs.js';
import { localSigningKey } from './storage.js';

const BUCKET = 'ocp-test-vod-edits';
let gcs: GcsTestServer;
let backend: RunningBackend;
let alice: Client;
let bob: Client;
let aliceId: string;
let streamId: string;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [BUCKET], signingPublicKey: localSigningKey().publicKeyPem });
  backend = await startTestBackend({ GCS_BUCKET: BUCKET, GCS_API_ENDPOINT: gcs.url, GCS_PROJECT_ID: 'ocp-test', CLIP_MIN_SECONDS: '1', CLIP_MAX_SECONDS: '30', DOWNLOAD_URL_TTL_SECONDS: '60' });
  alice = new Client(backend.url);
  bob = new Client(backend.url);
  aliceId = (await alice.signUp()).id;
  await bob.signUp();
  streamId = (await alice.createStream({ name: 'Edits show' })).stream.id;
});

afterAll(async () => {
  await backend?.stop();
  await gcs?.stop();
});

async function vodRow(data: { status?: 'pending' | 'processing' | 'ready' | 'failed'; durationMs?: number; title?: string } = {}) {
  const id = randomUUID();
  return backend.ctx.db.vod.create({
    data: {
      id, ownerId: aliceId, streamId, recordingId: `rec-${id}`, status: data.status ?? 'ready', title: data.title ?? 'Edits show — full',
      durationMs: data.durationMs ?? 60_000, objectPrefix: `vods/${id}/`, playlistObject: data.status && data.status !== 'ready' ? null : `vods/${id}/hls/index.m3u8`,
    },
  });
}

const wellFormed = (r: { status: number; body: any }) => {
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(typeof r.body.error.code).toBe('string');
  expect(typeof r.body.error.message).toBe('string');
};

describe('POST /api/vods/:id/clips', () => {
  it('202: a new processing VOD linked to its source, its job queued once by the clip id', async () => {
    const src = await vodRow();
    const r = await alice.post(`/api/vods/${src.id}/clips`, { startMs: 1500, endMs: 9000, title: '  The goal  ' });
    expect(r.status).toBe(202);
    expect(r.body.vod).toMatchObject({
      status: 'processing', title: 'The goal', streamId, durationMs: null,
      clip: { sourceId: src.id, sourceTitle: 'Edits show — full', startMs: 1500, endMs: 9000, actualStartMs: null, actualEndMs: null },
      download: { status: 'none', error: null, sizeBytes: null },
    });
    const row = (await backend.ctx.db.vod.findUnique({ where: { id: r.body.vod.id } }))!;
    expect([row.ownerId, row.clipOfId, row.recordingId, row.sessionId]).toEqual([aliceId, src.id, `clip-${row.id}`, null]);
    const job = await backend.ctx.vodEditQueue.getJob(clipJobId(row.id));
    expect([job?.name, job?.data]).toEqual(['make-clip', { clipId: row.id }]);
    // The clip is listed, and under its source.
    expect((await alice.get(`/api/vods?clipOf=${src.id}`)).body.vods.map((v: { id: string }) => v.id)).toEqual([row.id]);
    // While it is being cut, its source cannot be deleted (its segments are being copied).
    const del = await alice.del(`/api/vods/${src.id}`);
    expect([del.status, del.body.error.code]).toEqual([409, 'vod_clips_processing']);
  });

  it('the whole VOD, to its very last millisecond, is a valid range', async () => {
    const src = await vodRow({ durationMs: 20_000 });
    expect((await alice.post(`/api/vods/${src.id}/clips`, { startMs: 0, endMs: 20_000, title: 'all' })).status).toBe(202);
  });

  it.each([
    [{ startMs: 5000, endMs: 5000, title: 't' }, 'invalid_range', /after startMs/],
    [{ startMs: 6000, endMs: 5000, title: 't' }, 'invalid_range', /after startMs/],
    [{ startMs: 0, endMs: 60_001, title: 't' }, 'invalid_range', /end of the VOD \(60000 ms\)/],
    [{ startMs: 1000, endMs: 1999, title: 't' }, 'invalid_range', /at least 1 s/],
    [{ startMs: 0, endMs: 30_001, title: 't' }, 'invalid_range', /at most 30 s/],
    [{ startMs: -1, endMs: 2000, title: 't' }, 'validation_error', /startMs/],
    [{ startMs: 1.5, endMs: 2000, title: 't' }, 'validation_error', /whole number/],
    [{ startMs: '0', endMs: 2000, title: 't' }, 'validation_error', /startMs/],
    [{ startMs: 0, endMs: 2 ** 53, title: 't' }, 'validation_error', /too large/],
    [{ startMs: 0, endMs: 2000, title: 'a\u0000b' }, 'validation_error', /control/],
    [{ startMs: 0, endMs: 2000, title: '   ' }, 'validation_error', /title is required/],
    [{ startMs: 0, endMs: 2000, title: 'x'.repeat(201) }, 'validation_error', /at most 200/],
    [{ startMs: 0, endMs: 2000 }, 'validation_error', /title/],
    [{ startMs: 0, endMs: 2000, title: 't', clipOfId: randomUUID() }, 'validation_error', /.+/],
  ])('400 for %j: nothing written, nothing queued', async (body, code, message) => {
    const src = await vodRow();
    const before = await backend.ctx.db.vod.count();
    const jobs = await backend.ctx.vodEditQueue.count();
    const r = await alice.post(`/api/vods/${src.id}/clips`, body);
    wellFormed(r);
    expect([r.status, r.body.error.code]).toEqual([400, code]);
    expect(JSON.stringify(r.body.error)).toMatch(message);
    expect(await backend.ctx.db.vod.count()).toBe(before);
    expect(await backend.ctx.vodEditQueue.count()).toBe(jobs);
  });

  it("404 for another user's VOD, an unknown id or a junk id; 409 for a VOD that is not ready", async () => {
    const src = await vodRow();
    const body = { startMs: 0, endMs: 2000, title: 't' };
    for (const [who, id] of [[bob, src.id], [alice, randomUUID()], [alice, 'not-a-uuid'], [alice, '%00']] as const) {
      const r = await who.post(`/api/vods/${encodeURIComponent(id)}/clips`, body);
      wellFormed(r);
      expect([r.status, r.body.error.code]).toEqual([404, 'not_found']);
    }
    for (const status of ['processing', 'pending', 'failed'] as const) {
      const v = await vodRow({ status });
      const r = await alice.post(`/api/vods/${v.id}/clips`, body);
      wellFormed(r);
      expect([r.status, r.body.error.code]).toEqual([409, 'vod_not_ready']);
    }
    const anon = new Client(backend.url);
    expect((await anon.post(`/api/vods/${src.id}/clips`, body)).status).toBe(401);
  });

  it('an API key needs vods:write', async () => {
    const src = await vodRow();
    const read = (await alice.post('/api/api-keys', { name: 'read', scopes: ['vods:read'] })).body.key as string;
    const write = (await alice.post('/api/api-keys', { name: 'write', scopes: ['vods:write'] })).body.key as string;
    const as = (key: string) => Object.assign(new Client(backend.url), { token: key });
    const body = { startMs: 0, endMs: 2000, title: 'by key' };
    expect((await as(read).post(`/api/vods/${src.id}/clips`, body)).body.error.code).toBe('insufficient_scope');
    expect((await as(write).post(`/api/vods/${src.id}/clips`, body)).status).toBe(202);
  });
});

describe('POST /api/vods/:id/download', () => {
  it('202 preparing and one job; asking again while it is built queues nothing new; a failed build is retried', async () => {
    const v = await vodRow();
    const r = await alice.post(`/api/vods/${v.id}/download`);
    expect([r.status, r.body]).toEqual([202, { status: 'preparing' }]);
    expect((await alice.get(`/api/vods/${v.id}`)).body.vod.download).toEqual({ status: 'preparing', error: null, sizeBytes: null });
    const job = await backend.ctx.vodEditQueue.getJob(downloadJobId(v.id));
    expect(job?.data).toEqual({ vodId: v.id });
    const again = await alice.post(`/api/vods/${v.id}/download`);
    expect(again.status).toBe(202);
    // While the worker builds it, the VOD cannot be deleted (the MP4 would land under an emptied prefix).
    const del = await alice.del(`/api/vods/${v.id}`);
    expect([del.status, del.body.error.code]).toEqual([409, 'vod_download_preparing']);
    expect((await backend.ctx.vodEditQueue.getJobs(['waiting', 'delayed', 'active'])).filter((j) => j.id === downloadJobId(v.id))).toHaveLength(1);
    // As the worker's failure hook leaves it (the job kept for operators).
    await job!.moveToFailed(new Error('boom'), '0', false).catch(() => undefined);
    await backend.ctx.db.vod.update({ where: { id: v.id }, data: { downloadStatus: 'failed', downloadError: 'building the MP4 failed: boom' } });
    expect((await alice.get(`/api/vods/${v.id}`)).body.vod.download).toMatchObject({ status: 'failed', error: 'building the MP4 failed: boom' });
    const retry = await alice.post(`/api/vods/${v.id}/download`);
    expect(retry.status).toBe(202);
    expect((await backend.ctx.db.vod.findUnique({ where: { id: v.id } }))!.downloadStatus).toBe('preparing');
    expect(await (await backend.ctx.vodEditQueue.getJob(downloadJobId(v.id)))?.getState()).toBe('waiting');
  });

  it('200 once built: a signed attachment URL with the title as file name, short-lived, never cached', async () => {
    const v = await vodRow({ title: 'Überraschung: "Live" / Finale' });
    const objectName = `vods/${v.id}/download.mp4`;
    await new Storage({ apiEndpoint: gcs.url, projectId: 'ocp-test' }).bucket(BUCKET).file(objectName).save(Buffer.from('mp4'), { resumable: false, contentType: 'video/mp4' });
    await backend.ctx.db.vod.update({ where: { id: v.id }, data: { downloadStatus: 'ready', downloadObject: objectName, downloadBytes: 3n } });
    const r = await alice.post(`/api/vods/${v.id}/download`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body.filename).toBe('Überraschung Live Finale.mp4');
    const expires = new Date(r.body.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan(50_000);
    expect(expires).toBeLessThanOrEqual(60_000);
    const url = new URL(r.body.url);
    expect(url.searchParams.get('X-Goog-Expires')).toBe('60');
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="Uberraschung Live Finale.mp4"; filename*=UTF-8''%C3%9Cberraschung%20Live%20Finale.mp4`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''%C3%9Cberraschung%20Live%20Finale.mp4");
    // No job for a download that exists.
    expect(await backend.ctx.vodEditQueue.getJob(downloadJobId(v.id))).toBeUndefined();
  });

  it("404 for another user's VOD or a junk id, 409 for one that is not ready", async () => {
    const v = await vodRow();
    for (const [who, id] of [[bob, v.id], [alice, randomUUID()], [alice, 'x']] as const) {
      const r = await who.post(`/api/vods/${id}/download`);
      wellFormed(r);
      expect(r.status).toBe(404);
    }
    const p = await vodRow({ status: 'processing' });
    const r = await alice.post(`/api/vods/${p.id}/download`);
    wellFormed(r);
    expect([r.status, r.body.error.code]).toEqual([409, 'vod_not_ready']);
    expect((await backend.ctx.db.vod.findUnique({ where: { id: p.id } }))!.downloadStatus).toBeNull();
  });
});
