// GCS adapter: one lazily built client, streamed uploads (resumable for large objects) with
// checksums verified against the stored object before the caller may delete anything local.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { crc32c } from '@node-rs/crc32';
import { IdempotencyStrategy, Storage, type File, type StorageOptions } from '@google-cloud/storage';
import { deleteUnderPrefix } from '@ocp/backend/gcs-prefix';
import type { Config } from '../config/index.js';
import { ChecksumTap, checksumFile, crc32cToBase64, type Checksums } from './checksums.js';

// Read size: 4 and 8 MiB measured no faster than 1 MiB (bench/vod-upload.ts) but cost more memory.
const READ_CHUNK = 1024 * 1024;

export class ChecksumMismatchError extends Error {
  override name = 'ChecksumMismatchError';
}

/** The client library's crc32c is table-driven JS; this one is SIMD, same interface. */
function fastCrc32cGenerator() {
  let value = 0;
  return {
    update(data: Buffer) {
      value = crc32c(data, value);
    },
    toString() {
      return crc32cToBase64(value);
    },
    validate(expected: string) {
      return crc32cToBase64(value) === expected;
    },
  };
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['econnreset', 'econnrefused', 'epipe', 'etimedout', 'eai_again', 'socket connection timeout', 'unexpected connection closure']);

/**
 * The client's default predicate looks at `err.code` only; a failed resumable status query
 * surfaces as a GaxiosError whose HTTP status is in `status`, which the default treats as fatal
 * (and v7.22 then emits it where nothing listens). Same rules, reading every place a status lives.
 */
export function isRetryableStorageError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown }; errors?: { reason?: unknown }[] };
  for (const v of [e.code, e.status, e.response?.status]) {
    if (typeof v === 'number' && RETRYABLE_STATUS.has(v)) return true;
    if (typeof v === 'string' && (RETRYABLE_STATUS.has(Number(v)) || RETRYABLE_CODES.has(v.toLowerCase()))) return true;
  }
  return (e.errors ?? []).some((x) => typeof x?.reason === 'string' && RETRYABLE_CODES.has(x.reason.toLowerCase()));
}

/** A transfer cut short (connection lost, server busy, client gave up retrying): worth resuming. */
export function isInterruption(err: unknown): boolean {
  if (err instanceof RangeError) return true; // the client's "offset is lower than bytes written"
  if (isRetryableStorageError(err)) return true;
  return /Retry limit exceeded|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|aborted/i.test((err as Error)?.message ?? '');
}

export function storageOptions(gcs: Config['gcs']): StorageOptions {
  const opts: StorageOptions = {
    crc32cGenerator: fastCrc32cGenerator,
    retryOptions: {
      autoRetry: true,
      // By default the client retries uploads only with a generation precondition. Ours are
      // idempotent without one (same bytes, same name, deterministic naming per Vod), and a dropped
      // connection must resume the session rather than fail the whole job.
      idempotencyStrategy: IdempotencyStrategy.RetryAlways,
      retryableErrorFn: isRetryableStorageError,
      maxRetries: gcs.maxRetries,
      retryDelayMultiplier: gcs.retryDelayMultiplier,
      maxRetryDelay: gcs.maxRetryDelaySeconds,
      totalTimeout: 600,
    },
  };
  if (gcs.projectId) opts.projectId = gcs.projectId;
  if (gcs.credentialsFile) opts.keyFilename = gcs.credentialsFile;
  if (gcs.apiEndpoint) {
    // Emulators (fake-gcs-server, the test server) take no Google auth; the client skips it for
    // a custom endpoint unless useAuthWithCustomEndpoint is set.
    opts.apiEndpoint = gcs.apiEndpoint;
    opts.projectId ??= 'ocp-local';
  }
  return opts;
}

export interface UploadRequest {
  localPath: string;
  objectName: string;
  contentType: string;
  cacheControl: string;
  /** A resumable session started by an earlier run of the same job. */
  resumeUri?: string | undefined;
  /** Called with the session URI as soon as one exists (null once it must not be reused). */
  onSessionUri?: ((uri: string | null) => Promise<void> | void) | undefined;
  customMetadata?: Record<string, string>;
}

export interface UploadResult {
  objectName: string;
  size: number;
  crc32c: string;
  md5Hash: string | null;
  /** True when the object was already there with the same bytes (a retried job). */
  skipped: boolean;
  resumable: boolean;
}

interface RemoteMeta {
  size: number;
  crc32c: string | null;
  md5Hash: string | null;
}

export class GcsStore {
  private client: Storage | null = null;

  constructor(private readonly gcs: Config['gcs']) {}

  get storage(): Storage {
    this.client ??= new Storage(storageOptions(this.gcs));
    return this.client;
  }

  file(objectName: string): File {
    return this.storage.bucket(this.gcs.bucket).file(objectName);
  }

  /**
   * Deletes every object whose name starts with `prefix` (a VOD's folder); how many. Safe to repeat:
   * objects already gone are skipped. Refuses a prefix that is empty or not a folder (`…/`), so a
   * bad row can never empty the bucket.
   */
  deletePrefix(prefix: string): Promise<number> {
    return deleteUnderPrefix(this.storage.bucket(this.gcs.bucket), prefix);
  }

  /** Total size of the objects under `prefix` (a Vod's folder), from the store's own listing. */
  async prefixBytes(prefix: string): Promise<number> {
    if (!prefix || !prefix.endsWith('/')) throw new Error(`refusing to list prefix ${JSON.stringify(prefix)}`);
    const bucket = this.storage.bucket(this.gcs.bucket);
    let total = 0;
    let pageToken: string | undefined;
    do {
      const [files, next] = await bucket.getFiles({ prefix, autoPaginate: false, maxResults: 1000, pageToken });
      for (const f of files) total += Number(f.metadata.size ?? 0);
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
    return total;
  }

  async remoteMeta(objectName: string): Promise<RemoteMeta | null> {
    try {
      const [meta] = await this.file(objectName).getMetadata();
      return {
        size: Number(meta.size),
        crc32c: typeof meta.crc32c === 'string' ? meta.crc32c : null,
        md5Hash: typeof meta.md5Hash === 'string' ? meta.md5Hash : null,
      };
    } catch (err) {
      if ((err as { code?: number }).code === 404) return null;
      throw err;
    }
  }

  /** True only when the stored object has the local bytes: size, crc32c and (when reported) md5. */
  static matches(local: Checksums, remote: RemoteMeta | null): boolean {
    if (!remote || remote.crc32c === null) return false;
    if (remote.size !== local.size || remote.crc32c !== local.crc32c) return false;
    return remote.md5Hash === null || local.md5Hash === null || remote.md5Hash === local.md5Hash;
  }

  async upload(req: UploadRequest): Promise<UploadResult> {
    const { size } = await stat(req.localPath);
    const resumable = size >= this.gcs.resumableThresholdBytes;

    // A re-run skips objects that are already stored with the same bytes. Only worth a local read
    // when something with that name exists.
    const existing = await this.remoteMeta(req.objectName);
    if (existing && existing.size === size) {
      const local = await checksumFile(req.localPath, { md5: this.gcs.verifyMd5 });
      if (GcsStore.matches(local, existing)) {
        return { objectName: req.objectName, ...local, skipped: true, resumable };
      }
    }

    let sessionUri = resumable ? req.resumeUri : undefined;
    let savedSession = Boolean(sessionUri);
    const remember = async (uri: string | null) => {
      sessionUri = uri ?? undefined;
      if (req.onSessionUri) await req.onSessionUri(uri);
    };
    for (let resumes = 0; ; ) {
      let local: Checksums;
      try {
        local = await this.send(req, resumable, sessionUri, remember);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'FILE_NO_UPLOAD') {
          if (resumable) await remember(null);
          throw new ChecksumMismatchError(`checksum verification of ${req.objectName} failed (the client deleted the stored copy): ${(err as Error).message.split('\n')[0]}`);
        }
        if (sessionUri && resumes < this.gcs.maxRetries && isInterruption(err)) {
          // The session keeps what it received: reopen it with a fresh read of the file; the client
          // asks the session for its offset and skips that many bytes (they are still checksummed).
          resumes++;
          await new Promise((r) => setTimeout(r, Math.min(this.gcs.maxRetryDelaySeconds * 1000, 250 * 2 ** resumes)));
          continue;
        }
        if (resumable) await remember(null);
        if (savedSession) {
          // A session saved by a crashed run may have expired (GCS keeps them a week): start afresh once.
          savedSession = false;
          continue;
        }
        throw err;
      }
      if (local.size !== size) {
        throw new ChecksumMismatchError(`read ${local.size} bytes of ${req.localPath} but it has ${size}; was it modified during upload?`);
      }
      // Independent of the client's own check: ask GCS what it stored before anyone deletes the source.
      const stored = await this.remoteMeta(req.objectName);
      if (resumable) await remember(null);
      if (!GcsStore.matches(local, stored)) {
        throw new ChecksumMismatchError(
          `stored object ${req.objectName} does not match ${req.localPath}: local crc32c=${local.crc32c} md5=${local.md5Hash ?? 'not computed'} size=${local.size}, ` +
            `remote crc32c=${stored?.crc32c ?? 'none'} md5=${stored?.md5Hash ?? 'none'} size=${stored?.size ?? 'missing'}`,
        );
      }
      return { objectName: req.objectName, ...local, skipped: false, resumable };
    }
  }

  /** One streamed pass over the file into the object (a new or an existing resumable session). */
  private async send(req: UploadRequest, resumable: boolean, uri: string | undefined, onUri: (uri: string) => Promise<void>): Promise<Checksums> {
    const tap = new ChecksumTap({ md5: this.gcs.verifyMd5 });
    const writeOpts: Parameters<File['createWriteStream']>[0] = {
      resumable,
      validation: 'crc32c',
      metadata: {
        contentType: req.contentType,
        cacheControl: req.cacheControl,
        ...(req.customMetadata ? { metadata: req.customMetadata } : {}),
      },
    };
    if (resumable) {
      if (this.gcs.chunkSizeBytes > 0) writeOpts.chunkSize = this.gcs.chunkSizeBytes;
      if (uri) writeOpts.uri = uri;
    }
    const sink = this.file(req.objectName).createWriteStream(writeOpts);
    const pendingUri: Promise<void>[] = [];
    if (resumable) sink.on('uri', (u: string) => pendingUri.push(onUri(u)));
    try {
      await pipeline(createReadStream(req.localPath, { highWaterMark: READ_CHUNK }), tap, sink);
    } finally {
      await Promise.allSettled(pendingUri);
    }
    return tap.result();
  }
}
