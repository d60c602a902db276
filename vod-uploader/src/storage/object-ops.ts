// Reading and copying stored objects for clips and downloads: small playlists read into memory,
// segments fetched to disk (checksum checked by the client), and server-side copies (GCS rewrite:
// the bytes never pass through the worker), each checked against the source's crc32c and size.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { GcsStore } from './gcs.js';
import { cacheControlFor, contentTypeFor } from './objects.js';

export class ObjectMissingError extends Error {
  override name = 'ObjectMissingError';
}

const isNotFound = (err: unknown) => (err as { code?: unknown }).code === 404;

export async function readObjectText(store: GcsStore, objectName: string): Promise<string> {
  try {
    const [data] = await store.file(objectName).download({ validation: 'crc32c' });
    return data.toString('utf8');
  } catch (err) {
    if (isNotFound(err)) throw new ObjectMissingError(`stored object ${objectName} is missing`);
    throw err;
  }
}

export async function downloadObject(store: GcsStore, objectName: string, localPath: string): Promise<string> {
  await mkdir(path.dirname(localPath), { recursive: true });
  try {
    await pipeline(store.file(objectName).createReadStream({ validation: 'crc32c' }), createWriteStream(localPath));
  } catch (err) {
    if (isNotFound(err)) throw new ObjectMissingError(`stored object ${objectName} is missing`);
    throw err;
  }
  return localPath;
}

export interface CopyResult {
  objectName: string;
  size: number;
  crc32c: string;
  /** Already there with the same bytes (a retried job). */
  skipped: boolean;
}

/**
 * A server-side copy of `source` to `dest` (GCS rewrite, repeated by the client until done), with
 * the destination's own headers and custom metadata; then the stored copy must have the source's
 * size and crc32c. A destination already holding those bytes is left alone.
 */
export async function copyObject(store: GcsStore, source: string, dest: string, metadata: Record<string, string>): Promise<CopyResult> {
  const src = await store.remoteMeta(source);
  if (!src || !src.crc32c) throw new ObjectMissingError(`stored object ${source} is missing`);
  const existing = await store.remoteMeta(dest);
  if (existing && existing.size === src.size && existing.crc32c === src.crc32c) return { objectName: dest, size: src.size, crc32c: src.crc32c, skipped: true };
  try {
    await store.file(source).copy(store.file(dest), { contentType: contentTypeFor(dest), cacheControl: cacheControlFor(dest), metadata });
  } catch (err) {
    if (isNotFound(err)) throw new ObjectMissingError(`stored object ${source} is missing`);
    throw err;
  }
  const stored = await store.remoteMeta(dest);
  if (!stored || stored.size !== src.size || stored.crc32c !== src.crc32c) {
    throw new Error(`copy of ${source} to ${dest} does not match: source size=${src.size} crc32c=${src.crc32c}, copy size=${stored?.size ?? 'missing'} crc32c=${stored?.crc32c ?? 'none'}`);
  }
  return { objectName: dest, size: src.size, crc32c: src.crc32c, skipped: false };
}
