// Streaming checksums in the encodings GCS reports: crc32c as base64 of the big-endian
// 32-bit value, md5Hash as base64 of the 16-byte digest.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32c } from '@node-rs/crc32';

export interface Checksums {
  crc32c: string;
  /** null when MD5 was not computed (it costs ~5x the CPU of crc32c). */
  md5Hash: string | null;
  size: number;
}

export function crc32cToBase64(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b.toString('base64');
}

/** A pass-through that checksums every byte flowing through it, once. */
export class ChecksumTap extends Transform {
  private crc = 0;
  private readonly md5: Hash | null;
  private bytes = 0;

  constructor(opts: { md5?: boolean } = {}) {
    super();
    this.md5 = opts.md5 === false ? null : createHash('md5');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.crc = crc32c(chunk, this.crc);
    this.md5?.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  result(): Checksums {
    return { crc32c: crc32cToBase64(this.crc), md5Hash: this.md5 ? this.md5.copy().digest('base64') : null, size: this.bytes };
  }
}

export async function checksumFile(filePath: string, opts: { md5?: boolean } = {}): Promise<Checksums> {
  const tap = new ChecksumTap(opts);
  await pipeline(createReadStream(filePath, { highWaterMark: 1024 * 1024 }), tap, async function* (src) {
    for await (const _ of src) {
      // drain: only the checksums matter
    }
  });
  return tap.result();
}
