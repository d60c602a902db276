import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkFreshness, parseOmeTime } from './replay.js';

const dir = path.join(import.meta.dirname, '../../test/fixtures/ome/webhooks');
const captured = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { received_at: string; parsedBody: { request: { time: string } } });

describe('request.time', () => {
  it("reads OME's +00:00 form in every captured request, close to when it was received", () => {
    for (const c of captured) {
      const t = parseOmeTime(c.parsedBody.request.time);
      expect(t, c.parsedBody.request.time).not.toBeNull();
      expect(Math.abs(Date.parse(c.received_at) - t!)).toBeLessThan(1_000);
    }
  });
  it('reads Z, other offsets and fractions of any length, and refuses everything else', () => {
    expect(parseOmeTime('2026-11-22T00:41:56.474+00:00')).toBe(Date.parse('2026-11-22T00:41:56.474Z'));
    expect(parseOmeTime('2026-11-22T00:41:56Z')).toBe(Date.parse('2026-11-22T00:41:56Z'));
    expect(parseOmeTime('2026-11-22T02:41:56.474123+02:00')).toBe(Date.parse('2026-11-22T00:41:56.474Z'));
    expect(parseOmeTime('2026-11-21T19:41:56.474-0500')).toBe(Date.parse('2026-11-22T00:41:56.474Z'));
    for (const bad of ['', 'now', '2026-11-22', '2026-11-22T00:41:56', '2026-11-22 00:41:56Z', '1763772116', '2026-13-40T99:99:99Z', '2026-11-22T00:41:56.474+00:00x']) {
      expect(parseOmeTime(bad), bad).toBeNull();
    }
  });
  it('is fresh within ± the window (clock skew either way), stale outside it', () => {
    const now = Date.parse('2026-12-03T08:00:00Z');
    const w = 30_000;
    const at = (ms: number) => new Date(now + ms).toISOString().replace('Z', '+00:00');
    expect(checkFreshness(at(0), now, w).ok).toBe(true);
    expect(checkFreshness(at(-29_999), now, w).ok).toBe(true);
    expect(checkFreshness(at(29_999), now, w).ok).toBe(true);
    expect(checkFreshness(at(-30_001), now, w)).toEqual({ ok: false, reason: 'request time outside the allowed window' });
    expect(checkFreshness(at(30_001), now, w)).toEqual({ ok: false, reason: 'request time outside the allowed window' });
    expect(checkFreshness('2020-01-01T00:00:00.000+00:00', now, w)).toEqual({ ok: false, reason: 'request time outside the allowed window' });
    expect(checkFreshness(undefined, now, w)).toEqual({ ok: false, reason: 'request time missing' });
    expect(checkFreshness('yesterday', now, w)).toEqual({ ok: false, reason: 'request time malformed' });
  });
});
