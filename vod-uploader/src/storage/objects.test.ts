import { describe, expect, it } from 'vitest';
import { CACHE_IMMUTABLE, cacheControlFor, contentTypeFor, vodObjectLayout } from './objects.js';
import { crc32cToBase64 } from './checksums.js';
import { isInterruption, isRetryableStorageError, GcsStore } from './gcs.js';

describe('object naming and headers', () => {
  it('lays a VOD out under its own prefix', () => {
    expect(vodObjectLayout('vods/', 'abc', 'mp4')).toEqual({
      prefix: 'vods/abc/',
      original: 'vods/abc/original.mp4',
      hlsDir: 'vods/abc/hls/',
      playlist: 'vods/abc/hls/index.m3u8',
      poster: 'vods/abc/poster.jpg',
    });
    expect(vodObjectLayout('', 'abc', 'ts').original).toBe('abc/original.ts');
  });
  it('gives playlists no-cache and media long-lived immutable caching, with the right types', () => {
    expect(contentTypeFor('a/index.m3u8')).toBe('application/vnd.apple.mpegurl');
    expect(contentTypeFor('a/seg_00001.ts')).toBe('video/mp2t');
    expect(contentTypeFor('a/seg.m4s')).toBe('video/iso.segment');
    expect(contentTypeFor('a/original.mp4')).toBe('video/mp4');
    expect(contentTypeFor('a/poster.jpg')).toBe('image/jpeg');
    expect(contentTypeFor('a/x.bin')).toBe('application/octet-stream');
    expect(cacheControlFor('index.m3u8')).toBe('no-cache');
    expect(cacheControlFor('seg_00000.ts')).toBe(CACHE_IMMUTABLE);
    expect(CACHE_IMMUTABLE).toContain('immutable');
  });
});

describe('checksums and retry rules', () => {
  it('encodes crc32c like GCS (base64 of the big-endian value)', () => {
    // crc32c("123456789") = 0xE3069283, the standard check value.
    expect(crc32cToBase64(0xe3069283)).toBe(Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'));
  });
  it('matches stored objects only on equal size and crc32c (and md5 when both sides have one)', () => {
    const local = { crc32c: 'AAAAAA==', md5Hash: 'm', size: 10 };
    expect(GcsStore.matches(local, { crc32c: 'AAAAAA==', md5Hash: 'm', size: 10 })).toBe(true);
    expect(GcsStore.matches({ ...local, md5Hash: null }, { crc32c: 'AAAAAA==', md5Hash: 'other', size: 10 })).toBe(true);
    expect(GcsStore.matches(local, { crc32c: 'AAAAAA==', md5Hash: 'other', size: 10 })).toBe(false);
    expect(GcsStore.matches(local, { crc32c: 'BBBBBB==', md5Hash: 'm', size: 10 })).toBe(false);
    expect(GcsStore.matches(local, { crc32c: 'AAAAAA==', md5Hash: 'm', size: 11 })).toBe(false);
    expect(GcsStore.matches(local, { crc32c: null, md5Hash: 'm', size: 10 })).toBe(false);
    expect(GcsStore.matches(local, null)).toBe(false);
  });
  it('treats busy servers and cut connections as retryable, client errors as final', () => {
    expect(isRetryableStorageError({ status: 503 })).toBe(true);
    expect(isRetryableStorageError({ response: { status: 429 } })).toBe(true);
    expect(isRetryableStorageError({ code: 'ECONNRESET' })).toBe(true);
    expect(isRetryableStorageError({ code: 404 })).toBe(false);
    expect(isRetryableStorageError({ status: 400 })).toBe(false);
    expect(isInterruption(new RangeError('The offset is lower than the number of bytes written'))).toBe(true);
    expect(isInterruption(new Error('Retry limit exceeded - read ECONNRESET'))).toBe(true);
    expect(isInterruption(Object.assign(new Error('Request failed with status code 404'), { status: 404 }))).toBe(false);
  });
});
