import { describe, expect, it } from 'vitest';
import { attachmentDisposition, clipRangeProblem, downloadFilename } from './edit-rules.js';

const limits = { minMs: 1000, maxMs: 60_000 };

describe('clipRangeProblem', () => {
  it('accepts a range inside the VOD within the limits, the very start and the very end included', () => {
    expect(clipRangeProblem(10_000, 0, 10_000, limits)).toBeNull();
    expect(clipRangeProblem(10_000, 2_000, 3_000, limits)).toBeNull();
  });
  it.each([
    [-1, 2000, /startMs/],
    [3000, 3000, /after startMs/],
    [4000, 3000, /after startMs/],
    [0, 10_001, /end of the VOD \(10000 ms\)/],
    [1000, 1999, /at least 1 s/],
  ])('refuses start %d end %d', (start, end, message) => {
    expect(clipRangeProblem(10_000, start, end, limits)).toEqual({ code: 'invalid_range', message: expect.stringMatching(message) });
  });
  it('refuses a clip longer than the maximum', () => {
    expect(clipRangeProblem(120_000, 0, 60_001, limits)?.message).toMatch(/at most 60 s/);
  });
  it('refuses NaN', () => {
    expect(clipRangeProblem(10_000, Number.NaN, 2000, limits)).not.toBeNull();
    expect(clipRangeProblem(10_000, 0, Number.NaN, limits)).not.toBeNull();
  });
});

describe('downloadFilename', () => {
  it('keeps a plain title, adds .mp4 once', () => {
    expect(downloadFilename('Launch day', 'abcdef12-0000')).toBe('Launch day.mp4');
    expect(downloadFilename('talk.MP4', 'abcdef12-0000')).toBe('talk.mp4');
  });
  it('drops path separators, quotes, control and bidi characters and leading dots', () => {
    expect(downloadFilename('../../etc/passwd', 'abcdef12')).toBe('etc passwd.mp4');
    expect(downloadFilename('a"b\\c\r\nd\u202ee\u0000f', 'abcdef12')).toBe('a b c de f.mp4');
  });
  it('falls back to the id when nothing is left, and caps the length', () => {
    expect(downloadFilename(' ../ ', 'abcdef12-3456')).toBe('vod-abcdef12.mp4');
    expect(downloadFilename('é'.repeat(300), 'x')).toBe(`${'é'.repeat(120)}.mp4`);
  });
});

describe('attachmentDisposition', () => {
  it('an ASCII name: one quoted filename', () => {
    expect(attachmentDisposition('Launch day.mp4')).toBe('attachment; filename="Launch day.mp4"');
  });
  it('a non-ASCII name: an ASCII fallback and filename* in UTF-8 (RFC 6266 / 8187)', () => {
    expect(attachmentDisposition('Café – über 🎥.mp4')).toBe(
      `attachment; filename="Cafe _ uber _.mp4"; filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20%C3%BCber%20%F0%9F%8E%A5.mp4`,
    );
  });
  it('filename* decodes back to the name', () => {
    const name = 'Ünïcödé — 日本語.mp4';
    const star = /filename\*=UTF-8''(.+)$/.exec(attachmentDisposition(name))![1]!;
    expect(decodeURIComponent(star)).toBe(name);
  });
});
