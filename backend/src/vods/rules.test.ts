import { describe, expect, it } from 'vitest';
import { MAX_SIGNED_URL_SECONDS, deletable, objectDir, segmentUrlTtlSeconds } from './rules.js';

describe('VOD rules', () => {
  it('signs segments long enough to watch the whole VOD, within the V4 limit', () => {
    expect(segmentUrlTtlSeconds(3600, 60_000)).toBe(3600);
    expect(segmentUrlTtlSeconds(3600, 3 * 3600_000)).toBe(6 * 3600 + 900);
    expect(segmentUrlTtlSeconds(3600, 30 * 24 * 3600_000)).toBe(MAX_SIGNED_URL_SECONDS);
    expect(segmentUrlTtlSeconds(600, null)).toBe(600);
  });
  it('derives folders and deletability', () => {
    expect(objectDir('vods/abc/hls/index.m3u8')).toBe('vods/abc/hls/');
    expect(objectDir('index.m3u8')).toBe('');
    expect(deletable('ready')).toBe(true);
    expect(deletable('failed')).toBe(true);
    expect(deletable('processing')).toBe(false);
    expect(deletable('pending')).toBe(false);
  });
});
