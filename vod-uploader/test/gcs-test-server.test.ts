// The GCS test server against the real client, for the calls the pipeline tests touch less:
// listing with pages, ranged downloads, errors, and the checks a real server makes on uploads.
import { generateKeyPairSync } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcsTestServer } from './support/gcs-test-server.js';

const BUCKET = 'ocp-test-server-selftest';
let gcs: GcsTestServer;
let storage: Storage;

beforeAll(async () => {
  gcs = await GcsTestServer.start({ buckets: [BUCKET] });
  storage = new Storage({ apiEndpoint: gcs.url, projectId: 'ocp-test' });
});
afterAll(() => gcs.stop());

describe('GCS test server', () => {
  it('lists by prefix across pages and with a delimiter', async () => {
    const bucket = storage.bucket(BUCKET);
    for (const n of ['p/a', 'p/b', 'p/c', 'p/d/e', 'q/z']) await bucket.file(n).save(Buffer.from(n), { resumable: false });
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const [files, next] = await bucket.getFiles({ prefix: 'p/', maxResults: 2, autoPaginate: false, pageToken });
      names.push(...files.map((f) => f.name));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
      pages++;
    } while (pageToken);
    expect(names).toEqual(['p/a', 'p/b', 'p/c', 'p/d/e']);
    expect(pages).toBe(2);
    const [, , api] = await bucket.getFiles({ prefix: 'p/', delimiter: '/', autoPaginate: false });
    expect((api as { prefixes?: string[] }).prefixes).toEqual(['p/d/']);
  });

  it('serves ranges, reports GCS hashes and answers 404 like GCS', async () => {
    const file = storage.bucket(BUCKET).file('r/data.bin');
    const data = Buffer.from('0123456789abcdef');
    await file.save(data, { resumable: false, contentType: 'application/octet-stream' });
    const [part] = await file.download({ start: 4, end: 9, validation: false });
    expect(part.toString()).toBe('456789');
    const [meta] = await file.getMetadata();
    expect(meta).toMatchObject({ size: '16', md5Hash: expect.any(String), crc32c: expect.any(String), generation: expect.any(String) });
    await expect(storage.bucket(BUCKET).file('r/missing').getMetadata()).rejects.toMatchObject({ code: 404 });
    await expect(storage.bucket('no-such-bucket').file('x').save('x', { resumable: false })).rejects.toMatchObject({ code: 404 });
  });

  it('rejects an upload whose X-Goog-Hash disagrees with the bytes, as GCS does', async () => {
    const res = await fetch(`${gcs.url}/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=h/x`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-goog-hash': 'crc32c=AAAAAA==' },
      body: 'hello',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/CRC32C/);
    expect(gcs.get(BUCKET, 'h/x')).toBeUndefined();
  });

  it('keeps only whole 256 KiB quanta of an interrupted resumable request and reports them with 308', async () => {
    const start = await fetch(`${gcs.url}/upload/storage/v1/b/${BUCKET}/o?uploadType=resumable&name=s/x`, { method: 'POST', body: '{}' });
    const session = start.headers.get('location')!;
    gcs.faults.dropUploadAfterBytes = 600 * 1024;
    gcs.faults.dropCount = 1;
    await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 0-*/*' }, body: Buffer.alloc(1024 * 1024, 1) }).catch(() => undefined);
    const status = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes */*' } });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe(`bytes=0-${512 * 1024 - 1}`);
    const rest = await fetch(session, { method: 'PUT', headers: { 'content-range': `bytes ${512 * 1024}-${1024 * 1024 - 1}/${1024 * 1024}` }, body: Buffer.alloc(512 * 1024, 1) });
    expect(rest.status).toBe(200);
    expect(gcs.get(BUCKET, 's/x')?.size).toBe(1024 * 1024);
  });

  it('copies server-side (rewrite): the source metadata by default, the request\'s when it gives some; 404 for a missing source', async () => {
    const bucket = storage.bucket(BUCKET);
    const src = bucket.file('c/src.ts');
    await src.save(Buffer.from('segment bytes'), { resumable: false, contentType: 'video/mp2t', metadata: { cacheControl: 'private, max-age=1', metadata: { vodId: 'a' } } });
    const before = gcs.rewrites;
    await src.copy(bucket.file('c/plain.ts'));
    await src.copy(bucket.file('c/own.ts'), { contentType: 'video/MP2T', cacheControl: 'no-cache', metadata: { vodId: 'b' } });
    expect(gcs.rewrites - before).toBe(2);
    const plain = gcs.get(BUCKET, 'c/plain.ts')!;
    const own = gcs.get(BUCKET, 'c/own.ts')!;
    expect([plain.contentType, plain.cacheControl, plain.metadata]).toEqual(['video/mp2t', 'private, max-age=1', { vodId: 'a' }]);
    expect([own.contentType, own.cacheControl, own.metadata]).toEqual(['video/MP2T', 'no-cache', { vodId: 'b' }]);
    const [meta] = await bucket.file('c/own.ts').getMetadata();
    expect([meta.size, meta.crc32c, meta.md5Hash]).toEqual([String(13), gcs.get(BUCKET, 'c/src.ts')!.crc32c, gcs.get(BUCKET, 'c/src.ts')!.md5Hash]);
    const [copied] = await bucket.file('c/own.ts').download();
    expect(copied.toString()).toBe('segment bytes');
    await expect(bucket.file('c/none.ts').copy(bucket.file('c/x.ts'))).rejects.toMatchObject({ code: 404 });
  });

  it('serves V4 signed URLs: the signed response headers, refused once expired or tampered with', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signed = await GcsTestServer.start({ buckets: [BUCKET], signingPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    try {
      const client = new Storage({ apiEndpoint: signed.url, projectId: 'ocp-test', credentials: { client_email: 'signer@ocp-test.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } });
      const file = client.bucket(BUCKET).file('d/clip.mp4');
      await file.save(Buffer.from('mp4 bytes'), { resumable: false, contentType: 'video/mp4' });
      const disposition = `attachment; filename="Cafe.mp4"; filename*=UTF-8''Caf%C3%A9.mp4`;
      const [url] = await file.getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 2_000, responseDisposition: disposition });
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-disposition')).toBe(disposition);
      expect(await ok.text()).toBe('mp4 bytes');
      // The disposition is part of what was signed: another one is refused.
      const other = new URL(url);
      other.searchParams.set('response-content-disposition', 'inline');
      expect((await fetch(other)).status).toBe(403);
      await new Promise((r) => setTimeout(r, 3_100));
      const late = await fetch(url);
      expect(late.status).toBe(400);
      expect(await late.text()).toContain('ExpiredToken');
    } finally {
      await signed.stop();
    }
  });
});
