// TEST SERVER — not an emulator for production use. A small in-process HTTP server implementing the
// parts of the Google Cloud Storage JSON API that @google-cloud/storage (v7) calls, following
// https://cloud.google.com/storage/docs/json_api and the resumable-upload protocol
// (https://cloud.google.com/storage/docs/performing-resumable-uploads):
//   POST   /upload/storage/v1/b/:bucket/o?uploadType=resumable   → 200, Location: session URI
//   PUT    <session URI> with Content-Range: bytes A-B/T | A-*/T | A-B/* | */T | */*
//          → 308 (+ Range: bytes=0-N when bytes were persisted) while incomplete, 200 + object at the end
//   POST   /upload/storage/v1/b/:bucket/o?uploadType=multipart|media
//   GET    /storage/v1/b/:bucket, /storage/v1/b/:bucket/o (prefix, delimiter, pageToken, maxResults)
//   GET    /storage/v1/b/:bucket/o/:object (metadata; ?alt=media = bytes, with Range)
//   PATCH  /storage/v1/b/:bucket/o/:object, DELETE /storage/v1/b/:bucket/o/:object
//   POST   /storage/v1/b/:bucket/o/:object/rewriteTo/b/:dest/o/:object (server-side copy; the body's
//          resource, when it has one, gives the copy's metadata, else the source's is kept)
//   GET    /:bucket/:object  (path-style media URL that V4 signed URLs point at; signature and expiry
//          verified when a public key is configured; response-content-disposition / -type honoured)
// md5Hash / crc32c are reported as GCS does: base64 of the MD5 digest / of the big-endian CRC32C.
// Object bytes live in a temp directory, so multi-hundred-MB objects do not sit in memory.
// Fault switches make it misbehave on demand: drop the connection after N bytes of an upload,
// answer 503 to the next K requests, report a corrupt checksum.
import { createHash, createVerify, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdtemp, rm, stat, truncate, rename } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { crc32c } from '@node-rs/crc32';

// Resumable uploads persist in multiples of 256 KiB; what arrives after the last full quantum of
// an interrupted request is lost, as with GCS.
const QUANTUM = 256 * 1024;

export interface StoredObject {
  bucket: string;
  name: string;
  generation: string;
  size: number;
  contentType: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
  updated: string;
  file: string;
}

interface UploadSession {
  id: string;
  bucket: string;
  name: string;
  resource: Record<string, unknown>;
  contentType: string;
  file: string;
  persisted: number;
  total: number | null;
  crc: number;
  md5: Hash;
  done: StoredObject | null;
  /** Set while a request on the session is being handled: the next one waits (no interleaving). */
  busy: Promise<void> | null;
}

export interface Faults {
  /** Destroy the socket once this many body bytes of one upload request have arrived (then disarm). */
  dropUploadAfterBytes: number | null;
  /** How many more drops to perform (each at dropUploadAfterBytes into a request). */
  dropCount: number;
  /** Answer the next N matching requests with `status` (503 by default). */
  failNext: { count: number; status: number; match: (req: IncomingMessage) => boolean };
  /** Report a wrong crc32c/md5Hash for object names matching this (the stored bytes stay correct). */
  corruptChecksum: ((objectName: string) => boolean) | null;
  /** Slow uploads down: pause this long after every received chunk of a resumable PUT. */
  uploadChunkDelayMs: number;
}

export interface RequestLogEntry {
  method: string;
  url: string;
  status: number;
  contentRange?: string;
}

export interface GcsTestServerOptions {
  buckets?: string[];
  port?: number;
  /** PEM public key: when set, path-style media GETs require a valid V4 signature from its private key. */
  signingPublicKey?: string;
}

function crcB64(v: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b.toString('base64');
}

function jsonError(res: ServerResponse, code: number, message: string, reason = 'invalid'): void {
  const body = JSON.stringify({ error: { code, message, errors: [{ message, domain: 'global', reason }] } });
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, code: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > limit) throw new Error('body too large for a non-resumable request');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export class GcsTestServer {
  readonly server: http.Server;
  readonly objects = new Map<string, StoredObject>();
  readonly buckets: Set<string>;
  readonly requests: RequestLogEntry[] = [];
  readonly faults: Faults = {
    dropUploadAfterBytes: null,
    dropCount: 0,
    failNext: { count: 0, status: 503, match: () => true },
    corruptChecksum: null,
    uploadChunkDelayMs: 0,
  };
  /** Server-side copies (rewrite calls) answered. */
  rewrites = 0;
  /** Bytes persisted per object name across its resumable sessions (for tests watching progress). */
  readonly receivedBytes = new Map<string, number>();
  private readonly sessions = new Map<string, UploadSession>();
  private dir = '';
  private generation = Date.now() * 1000;
  /** PEM public key checked on path-style media GETs (V4 signed URLs); null = not checked. */
  signingPublicKey: string | null;
  port = 0;

  constructor(private readonly opts: GcsTestServerOptions = {}) {
    this.buckets = new Set(opts.buckets ?? []);
    this.signingPublicKey = opts.signingPublicKey ?? null;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        if (!res.headersSent) jsonError(res, 500, `test server error: ${err.message}`, 'backendError');
        else res.destroy();
      });
    });
    // Large uploads take a while on a busy CI machine.
    this.server.requestTimeout = 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(opts: GcsTestServerOptions = {}): Promise<GcsTestServer> {
    const s = new GcsTestServer(opts);
    s.dir = await mkdtemp(path.join(os.tmpdir(), 'gcs-test-server-'));
    await new Promise<void>((resolve) => s.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
    s.port = (s.server.address() as { port: number }).port;
    return s;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    await rm(this.dir, { recursive: true, force: true });
  }

  resetFaults(): void {
    this.faults.dropUploadAfterBytes = null;
    this.faults.dropCount = 0;
    this.faults.failNext = { count: 0, status: 503, match: () => true };
    this.faults.corruptChecksum = null;
    this.faults.uploadChunkDelayMs = 0;
  }

  /** Objects under a prefix, sorted by name. */
  list(bucket: string, prefix = ''): StoredObject[] {
    return [...this.objects.values()].filter((o) => o.bucket === bucket && o.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  get(bucket: string, name: string): StoredObject | undefined {
    return this.objects.get(`${bucket}/${name}`);
  }

  resource(o: StoredObject): Record<string, unknown> {
    const corrupt = this.faults.corruptChecksum?.(o.name) ?? false;
    const enc = encodeURIComponent(o.name);
    return {
      kind: 'storage#object',
      id: `${o.bucket}/${o.name}/${o.generation}`,
      selfLink: `${this.url}/storage/v1/b/${o.bucket}/o/${enc}`,
      mediaLink: `${this.url}/download/storage/v1/b/${o.bucket}/o/${enc}?generation=${o.generation}&alt=media`,
      name: o.name,
      bucket: o.bucket,
      generation: o.generation,
      metageneration: '1',
      contentType: o.contentType,
      storageClass: 'STANDARD',
      size: String(o.size),
      md5Hash: corrupt ? createHash('md5').update('corrupt').digest('base64') : o.md5Hash,
      crc32c: corrupt ? crcB64(0xdeadbeef) : o.crc32c,
      etag: Buffer.from(o.generation).toString('base64'),
      timeCreated: o.timeCreated,
      updated: o.updated,
      timeStorageClassUpdated: o.timeCreated,
      ...(o.cacheControl ? { cacheControl: o.cacheControl } : {}),
      ...(o.metadata ? { metadata: o.metadata } : {}),
    };
  }

  private log(req: IncomingMessage, res: ServerResponse): void {
    res.on('finish', () => {
      const entry: RequestLogEntry = { method: req.method ?? '', url: req.url ?? '', status: res.statusCode };
      const cr = req.headers['content-range'];
      if (typeof cr === 'string') entry.contentRange = cr;
      this.requests.push(entry);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.log(req, res);
    const url = new URL(req.url ?? '/', this.url);
    const f = this.faults.failNext;
    if (f.count > 0 && f.match(req)) {
      f.count--;
      // The body is not read: like a front end shedding load, the connection is answered at once.
      req.resume();
      return jsonError(res, f.status, 'Service temporarily unavailable (test server fault)', 'backendError');
    }
    const method = req.method ?? 'GET';
    const p = url.pathname;
    let m: RegExpExecArray | null;

    if ((m = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(p))) {
      const bucket = decodeURIComponent(m[1]!);
      if (!this.buckets.has(bucket)) return jsonError(res, 404, 'The specified bucket does not exist.', 'notFound');
      const uploadId = url.searchParams.get('upload_id');
      if (method === 'PUT' && uploadId) return this.resumablePut(req, res, uploadId);
      if (method === 'POST') {
        const type = url.searchParams.get('uploadType');
        if (type === 'resumable') return this.startResumable(req, res, bucket, url);
        if (type === 'multipart') return this.multipart(req, res, bucket, url);
        if (type === 'media') return this.media(req, res, bucket, url);
        return jsonError(res, 400, `unsupported uploadType ${type}`);
      }
      if (method === 'DELETE' && uploadId) {
        this.sessions.delete(uploadId);
        res.writeHead(499).end();
        return;
      }
      return jsonError(res, 405, 'method not allowed');
    }
    if ((m = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)\/rewriteTo\/b\/([^/]+)\/o\/([^/]+)$/.exec(p)) && method === 'POST') {
      return this.rewrite(req, res, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), decodeURIComponent(m[3]!), decodeURIComponent(m[4]!));
    }
    if ((m = /^\/(?:download\/)?storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(p))) {
      const bucket = decodeURIComponent(m[1]!);
      const name = decodeURIComponent(m[2]!);
      const o = this.get(bucket, name);
      if (method === 'GET') {
        if (!o) return jsonError(res, 404, `No such object: ${bucket}/${name}`, 'notFound');
        if (url.searchParams.get('alt') === 'media') return this.sendMedia(req, res, o);
        return sendJson(res, 200, this.resource(o));
      }
      if (method === 'DELETE') {
        if (!o) return jsonError(res, 404, `No such object: ${bucket}/${name}`, 'notFound');
        this.objects.delete(`${bucket}/${name}`);
        await rm(o.file, { force: true });
        res.writeHead(204).end();
        return;
      }
      if (method === 'PATCH' || method === 'PUT') {
        if (!o) return jsonError(res, 404, `No such object: ${bucket}/${name}`, 'notFound');
        const patch = JSON.parse((await readBody(req)).toString() || '{}') as Record<string, unknown>;
        if (typeof patch.contentType === 'string') o.contentType = patch.contentType;
        if (typeof patch.cacheControl === 'string') o.cacheControl = patch.cacheControl;
        if (patch.metadata && typeof patch.metadata === 'object') o.metadata = { ...o.metadata, ...(patch.metadata as Record<string, string>) };
        o.updated = new Date().toISOString();
        return sendJson(res, 200, this.resource(o));
      }
      return jsonError(res, 405, 'method not allowed');
    }
    if ((m = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(p)) && method === 'GET') {
      return this.listObjects(res, decodeURIComponent(m[1]!), url);
    }
    if ((m = /^\/storage\/v1\/b\/([^/]+)$/.exec(p)) && method === 'GET') {
      const bucket = decodeURIComponent(m[1]!);
      if (!this.buckets.has(bucket)) return jsonError(res, 404, 'The specified bucket does not exist.', 'notFound');
      return sendJson(res, 200, { kind: 'storage#bucket', id: bucket, name: bucket, location: 'US', storageClass: 'STANDARD' });
    }
    // Path-style media URL (what V4 signed URLs address): /<bucket>/<object>
    if ((m = /^\/([^/]+)\/(.+)$/.exec(p)) && (method === 'GET' || method === 'HEAD')) {
      const bucket = decodeURIComponent(m[1]!);
      const name = decodeURIComponent(m[2]!);
      const bad = this.checkSignature(req, url);
      if (bad) {
        res.writeHead(bad.status, { 'content-type': 'application/xml' });
        res.end(`<?xml version='1.0' encoding='UTF-8'?><Error><Code>${bad.code}</Code><Message>${bad.message}</Message></Error>`);
        return;
      }
      const o = this.get(bucket, name);
      if (!o) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end("<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
        return;
      }
      // Signed URLs may name the headers storage answers with (GCS: response-content-disposition, -type).
      const overrides: Record<string, string> = {};
      const cd = url.searchParams.get('response-content-disposition');
      const ct = url.searchParams.get('response-content-type');
      if (cd) overrides['content-disposition'] = cd;
      if (ct) overrides['content-type'] = ct;
      return this.sendMedia(req, res, o, overrides);
    }
    return jsonError(res, 404, `Not Found: ${method} ${p}`, 'notFound');
  }

  /** V4 signature check (https://cloud.google.com/storage/docs/authentication/signatures). */
  private checkSignature(req: IncomingMessage, url: URL): { status: number; code: string; message: string } | null {
    if (!this.signingPublicKey) return null;
    const q = url.searchParams;
    const sig = q.get('X-Goog-Signature');
    const date = q.get('X-Goog-Date');
    const expires = Number(q.get('X-Goog-Expires'));
    if (!sig || !date || !Number.isFinite(expires) || q.get('X-Goog-Algorithm') !== 'GOOG4-RSA-SHA256') {
      return { status: 403, code: 'AccessDenied', message: 'Anonymous caller does not have storage.objects.get access.' };
    }
    const signedAt = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (!(signedAt + expires * 1000 > Date.now())) return { status: 400, code: 'ExpiredToken', message: 'Invalid argument.' };
    const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const canonicalQuery = [...q.entries()]
      .filter(([k]) => k !== 'X-Goog-Signature')
      .map(([k, v]) => [enc(k), enc(v)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    // The client library signs the host name without the port (GCS never has one).
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const signedHeaders = q.get('X-Goog-SignedHeaders') ?? 'host';
    const canonicalRequest = [req.method === 'HEAD' ? 'GET' : req.method, url.pathname, canonicalQuery, `host:${host}\n`, signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
    const scope = (q.get('X-Goog-Credential') ?? '').split('/').slice(1).join('/');
    const stringToSign = ['GOOG4-RSA-SHA256', date, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
    const ok = createVerify('RSA-SHA256').update(stringToSign).verify(this.signingPublicKey, Buffer.from(sig, 'hex'));
    return ok ? null : { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }

  /** A server-side copy, done in one call (GCS may need several, with a rewriteToken; the client loops). */
  private async rewrite(req: IncomingMessage, res: ServerResponse, bucket: string, name: string, destBucket: string, destName: string): Promise<void> {
    const body = (await readBody(req)).toString();
    if (!this.buckets.has(bucket) || !this.buckets.has(destBucket)) return jsonError(res, 404, 'The specified bucket does not exist.', 'notFound');
    const src = this.get(bucket, name);
    if (!src) return jsonError(res, 404, `No such object: ${bucket}/${name}`, 'notFound');
    const resource = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const given = ['contentType', 'cacheControl', 'metadata'].some((k) => resource[k] !== undefined);
    const meta = given ? resource : { contentType: src.contentType, cacheControl: src.cacheControl, metadata: src.metadata };
    const tmp = path.join(this.dir, `copy-${randomBytes(8).toString('hex')}`);
    await copyFile(src.file, tmp);
    const crc = Buffer.from(src.crc32c, 'base64').readUInt32BE(0);
    const o = await this.commit(destBucket, destName, tmp, src.size, crc, src.md5Hash, meta, src.contentType);
    this.rewrites += 1;
    return sendJson(res, 200, { kind: 'storage#rewriteResponse', totalBytesRewritten: String(o.size), objectSize: String(o.size), done: true, resource: this.resource(o) });
  }

  private sendMedia(req: IncomingMessage, res: ServerResponse, o: StoredObject, overrides: Record<string, string> = {}): void {
    const headers: Record<string, string> = {
      'content-type': o.contentType,
      'accept-ranges': 'bytes',
      'x-goog-generation': o.generation,
      'x-goog-hash': `crc32c=${o.crc32c},md5=${o.md5Hash}`,
      'x-goog-stored-content-length': String(o.size),
      etag: `"${o.md5Hash}"`,
      ...overrides,
    };
    if (o.cacheControl) headers['cache-control'] = o.cacheControl;
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = o.size - 1;
    let status = 200;
    if (range && (range[1] || range[2])) {
      if (range[1]) {
        start = Number(range[1]);
        end = range[2] ? Math.min(Number(range[2]), o.size - 1) : o.size - 1;
      } else {
        start = Math.max(0, o.size - Number(range[2]));
      }
      if (start >= o.size) {
        res.writeHead(416, { 'content-range': `bytes */${o.size}` }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${o.size}`;
    }
    headers['content-length'] = String(Math.max(0, end - start + 1));
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || o.size === 0) {
      res.end();
      return;
    }
    createReadStream(o.file, { start, end }).pipe(res);
  }

  private listObjects(res: ServerResponse, bucket: string, url: URL): void {
    if (!this.buckets.has(bucket)) return jsonError(res, 404, 'The specified bucket does not exist.', 'notFound');
    const prefix = url.searchParams.get('prefix') ?? '';
    const delimiter = url.searchParams.get('delimiter');
    const max = Math.min(Number(url.searchParams.get('maxResults') ?? 1000) || 1000, 1000);
    const after = url.searchParams.get('pageToken') ? Buffer.from(url.searchParams.get('pageToken')!, 'base64url').toString() : '';
    const all = this.list(bucket, prefix).filter((o) => o.name > after);
    const items: StoredObject[] = [];
    const prefixes = new Set<string>();
    let last = '';
    for (const o of all) {
      if (items.length + prefixes.size >= max) break;
      last = o.name;
      if (delimiter) {
        const rest = o.name.slice(prefix.length);
        const i = rest.indexOf(delimiter);
        if (i >= 0) {
          prefixes.add(prefix + rest.slice(0, i + delimiter.length));
          continue;
        }
      }
      items.push(o);
    }
    const more = all.length > 0 && last !== all[all.length - 1]!.name;
    sendJson(res, 200, {
      kind: 'storage#objects',
      ...(items.length ? { items: items.map((o) => this.resource(o)) } : {}),
      ...(prefixes.size ? { prefixes: [...prefixes] } : {}),
      ...(more ? { nextPageToken: Buffer.from(last).toString('base64url') } : {}),
    });
  }

  private nextGeneration(): string {
    this.generation += 1;
    return String(this.generation);
  }

  private async commit(bucket: string, name: string, file: string, size: number, crc: number, md5: string, meta: Record<string, unknown>, contentType: string): Promise<StoredObject> {
    const key = `${bucket}/${name}`;
    const old = this.objects.get(key);
    const dest = path.join(this.dir, `obj-${randomBytes(8).toString('hex')}`);
    await rename(file, dest);
    if (old) await rm(old.file, { force: true });
    const now = new Date().toISOString();
    const o: StoredObject = {
      bucket,
      name,
      generation: this.nextGeneration(),
      size,
      contentType: (typeof meta.contentType === 'string' && meta.contentType) || contentType || 'application/octet-stream',
      md5Hash: md5,
      crc32c: crcB64(crc),
      timeCreated: now,
      updated: now,
      file: dest,
    };
    if (typeof meta.cacheControl === 'string') o.cacheControl = meta.cacheControl;
    if (meta.metadata && typeof meta.metadata === 'object') o.metadata = meta.metadata as Record<string, string>;
    this.objects.set(key, o);
    return o;
  }

  /** The client sends X-Goog-Hash with the final request; GCS rejects the upload when it disagrees. */
  private hashMismatch(req: IncomingMessage, crc: number, md5: string): string | null {
    const h = req.headers['x-goog-hash'];
    if (typeof h !== 'string') return null;
    for (const part of h.split(',')) {
      const [k, ...v] = part.trim().split('=');
      const val = v.join('=');
      if (k === 'crc32c' && val !== crcB64(crc)) return `Provided CRC32C "${val}" doesn't match calculated CRC32C "${crcB64(crc)}".`;
      if (k === 'md5' && val !== md5) return `Provided MD5 hash "${val}" doesn't match calculated MD5 hash "${md5}".`;
    }
    return null;
  }

  private async startResumable(req: IncomingMessage, res: ServerResponse, bucket: string, url: URL): Promise<void> {
    const body = (await readBody(req)).toString();
    const resource = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const name = url.searchParams.get('name') ?? (typeof resource.name === 'string' ? resource.name : null);
    if (!name) return jsonError(res, 400, 'Required parameter: name', 'required');
    const id = randomBytes(12).toString('base64url');
    const file = path.join(this.dir, `upload-${id}`);
    await new Promise<void>((r, j) => createWriteStream(file).on('error', j).end(r));
    const lengthHeader = req.headers['x-upload-content-length'];
    this.sessions.set(id, {
      id,
      bucket,
      name,
      resource,
      contentType: (req.headers['x-upload-content-type'] as string | undefined) ?? '',
      file,
      persisted: 0,
      total: typeof lengthHeader === 'string' ? Number(lengthHeader) : null,
      crc: 0,
      md5: createHash('md5'),
      done: null,
      busy: null,
    });
    const location = `${this.url}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
    res.writeHead(200, { location, 'x-guploader-uploadid': id, 'content-length': '0' });
    res.end();
  }

  private incomplete(res: ServerResponse, s: UploadSession): void {
    const headers: Record<string, string> = { 'content-length': '0', 'x-guploader-uploadid': s.id };
    if (s.persisted > 0) headers.range = `bytes=0-${s.persisted - 1}`;
    res.writeHead(308, headers);
    res.end();
  }

  private async resumablePut(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) {
      req.resume();
      return jsonError(res, 404, 'No such upload session', 'notFound');
    }
    // A status query right after a cut must see what the cut request left persisted.
    while (s.busy) await s.busy;
    let release!: () => void;
    s.busy = new Promise<void>((r) => (release = r));
    try {
      await this.resumablePutLocked(req, res, s);
    } finally {
      s.busy = null;
      release();
    }
  }

  private async resumablePutLocked(req: IncomingMessage, res: ServerResponse, s: UploadSession): Promise<void> {
    const cr = (req.headers['content-range'] as string | undefined) ?? '';
    const status = /^bytes \*\/(\d+|\*)$/.exec(cr);
    const data = /^bytes (\d+)-(\d+|\*)\/(\d+|\*)$/.exec(cr);
    if (s.done) {
      req.resume();
      return sendJson(res, 200, this.resource(s.done));
    }
    if (status) {
      await readBody(req);
      if (status[1] !== '*') s.total = Number(status[1]);
      if (s.total !== null && s.persisted === s.total) return this.finish(req, res, s);
      return this.incomplete(res, s);
    }
    if (!data) {
      req.resume();
      return jsonError(res, 400, `Invalid Content-Range: "${cr}"`);
    }
    const first = Number(data[1]);
    if (data[3] !== '*') s.total = Number(data[3]);
    if (first > s.persisted) {
      req.resume();
      return jsonError(res, 400, `Invalid request. The Content-Range starts at byte ${first} but ${s.persisted} bytes were persisted.`);
    }
    // Bytes the server already has are skipped, as GCS does when a client re-sends an overlap.
    let skip = s.persisted - first;
    let received = 0;
    let pendingBytes = 0;
    const out: WriteStream = createWriteStream(s.file, { flags: 'a' });
    let dropped = false;
    const dropAt = this.faults.dropCount > 0 ? this.faults.dropUploadAfterBytes : null;

    const aborted = await new Promise<boolean>((resolve) => {
      let settled = false;
      const settle = (v: boolean) => {
        if (!settled) {
          settled = true;
          resolve(v);
        }
      };
      req.on('data', (chunk: Buffer) => {
        if (dropped) return;
        let c = chunk;
        received += c.length;
        if (dropAt !== null && received >= dropAt) {
          // Keep what arrived up to the drop point, then cut the connection mid-request.
          c = c.subarray(0, c.length - (received - dropAt));
          dropped = true;
          this.faults.dropCount--;
        }
        if (skip > 0) {
          const n = Math.min(skip, c.length);
          skip -= n;
          c = c.subarray(n);
        }
        if (c.length) {
          pendingBytes += c.length;
          s.crc = crc32c(c, s.crc);
          s.md5.update(c);
          this.receivedBytes.set(s.name, (this.receivedBytes.get(s.name) ?? 0) + c.length);
          const delay = this.faults.uploadChunkDelayMs;
          if (!out.write(c) || delay > 0) {
            req.pause();
            const resume = () => (delay > 0 ? setTimeout(() => req.resume(), delay) : req.resume());
            if (out.writableNeedDrain) out.once('drain', resume);
            else resume();
          }
        }
        if (dropped) {
          req.socket.destroy();
          settle(true);
        }
      });
      req.on('end', () => settle(false));
      req.on('aborted', () => settle(true));
      req.on('error', () => settle(true));
      req.on('close', () => settle(!req.complete));
    });
    await new Promise<void>((r) => out.end(r));

    if (aborted) {
      // Interrupted: keep only whole 256 KiB quanta beyond what was already persisted. The running
      // hashes cannot be rewound, so they are recomputed from the kept bytes.
      const total = s.persisted + pendingBytes;
      const keep = s.total !== null && total === s.total ? total : Math.floor(total / QUANTUM) * QUANTUM;
      await truncate(s.file, keep);
      s.persisted = keep;
      await this.rehash(s);
      return;
    }
    s.persisted += pendingBytes;
    // `bytes A-*/…`: this request carries the rest of the object, so its normal end completes it.
    if (data[2] === '*') s.total = s.persisted;
    if (s.total !== null && s.persisted >= s.total) return this.finish(req, res, s);
    return this.incomplete(res, s);
  }

  private async rehash(s: UploadSession): Promise<void> {
    let crc = 0;
    const md5 = createHash('md5');
    if (s.persisted > 0) {
      for await (const c of createReadStream(s.file, { start: 0, end: s.persisted - 1 })) {
        crc = crc32c(c as Buffer, crc);
        md5.update(c as Buffer);
      }
    }
    s.crc = crc;
    s.md5 = md5;
  }

  private async finish(req: IncomingMessage, res: ServerResponse, s: UploadSession): Promise<void> {
    const md5 = s.md5.copy().digest('base64');
    const mismatch = this.hashMismatch(req, s.crc, md5);
    if (mismatch) {
      this.sessions.delete(s.id);
      await rm(s.file, { force: true });
      return jsonError(res, 400, mismatch, 'invalid');
    }
    const { size } = await stat(s.file);
    s.done = await this.commit(s.bucket, s.name, s.file, size, s.crc, md5, s.resource, s.contentType);
    return sendJson(res, 200, this.resource(s.done));
  }

  private async multipart(req: IncomingMessage, res: ServerResponse, bucket: string, url: URL): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    const b = /boundary="?([^";]+)"?/i.exec(type);
    if (!/^multipart\/related/i.test(type) || !b) return jsonError(res, 400, 'multipart upload needs Content-Type multipart/related with a boundary');
    const body = await readBody(req);
    const delim = Buffer.from(`--${b[1]}`);
    const parts: Buffer[] = [];
    let i = body.indexOf(delim);
    while (i >= 0) {
      const startAt = i + delim.length;
      if (body.subarray(startAt, startAt + 2).toString() === '--') break;
      const next = body.indexOf(delim, startAt);
      if (next < 0) break;
      parts.push(body.subarray(startAt + 2, next - 2)); // strip CRLF after boundary and before the next
      i = next;
    }
    if (parts.length !== 2) return jsonError(res, 400, `multipart body must have 2 parts, got ${parts.length}`);
    const split = (p: Buffer) => {
      const sep = p.indexOf('\r\n\r\n');
      return { headers: p.subarray(0, sep).toString(), content: p.subarray(sep + 4) };
    };
    const metaPart = split(parts[0]!);
    const dataPart = split(parts[1]!);
    const resource = JSON.parse(metaPart.content.toString() || '{}') as Record<string, unknown>;
    const name = url.searchParams.get('name') ?? (typeof resource.name === 'string' ? resource.name : null);
    if (!name) return jsonError(res, 400, 'Required parameter: name', 'required');
    const ct = /content-type:\s*([^\r\n]+)/i.exec(dataPart.headers)?.[1] ?? '';
    return this.storeBuffer(req, res, bucket, name, dataPart.content, resource, ct);
  }

  private async media(req: IncomingMessage, res: ServerResponse, bucket: string, url: URL): Promise<void> {
    const name = url.searchParams.get('name');
    if (!name) return jsonError(res, 400, 'Required parameter: name', 'required');
    const data = await readBody(req);
    return this.storeBuffer(req, res, bucket, name, data, {}, (req.headers['content-type'] as string | undefined) ?? '');
  }

  private async storeBuffer(req: IncomingMessage, res: ServerResponse, bucket: string, name: string, data: Buffer, resource: Record<string, unknown>, ct: string): Promise<void> {
    const crc = crc32c(data, 0);
    const md5 = createHash('md5').update(data).digest('base64');
    // A multipart body may carry the client's hashes in the resource (crc32c / md5Hash).
    if (typeof resource.crc32c === 'string' && resource.crc32c !== crcB64(crc)) return jsonError(res, 400, 'Provided CRC32C does not match calculated CRC32C.');
    if (typeof resource.md5Hash === 'string' && resource.md5Hash !== md5) return jsonError(res, 400, 'Provided MD5 hash does not match calculated MD5 hash.');
    const mismatch = this.hashMismatch(req, crc, md5);
    if (mismatch) return jsonError(res, 400, mismatch);
    const tmp = path.join(this.dir, `upload-${randomBytes(8).toString('hex')}`);
    await new Promise<void>((r, j) => createWriteStream(tmp).on('error', j).end(data, () => r()));
    const o = await this.commit(bucket, name, tmp, data.length, crc, md5, resource, ct);
    return sendJson(res, 200, this.resource(o));
  }
}
