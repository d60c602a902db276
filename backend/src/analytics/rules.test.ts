import { describe, expect, it } from 'vitest';
import { foldVodBeacons, MAX_WATCHED_PER_BEACON_MS, percentile, summarizeLatency, vodTokenUsable, type HistogramBin } from './rules.js';

const bins = (values: number[]): HistogramBin[] => {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([ms, count]) => ({ ms, count }));
};
/** The textbook nearest-rank definition on the raw values, to check the histogram version against. */
const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * values.length)) - 1];

describe('percentile (nearest rank, from a histogram)', () => {
  it('matches the definition on raw values, whatever the order of the bins', () => {
    expect(percentile(bins([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.5)).toBe(5);
    expect(percentile(bins([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.95)).toBe(10);
    expect(percentile(bins(Array.from({ length: 100 }, (_, i) => i + 1)), 0.95)).toBe(95);
    expect(percentile([{ ms: 9000, count: 1 }, { ms: 2000, count: 3 }], 0.5)).toBe(2000);
    expect(percentile([{ ms: 300, count: 1 }], 0.95)).toBe(300);
    for (let seed = 1; seed < 200; seed++) {
      const values = Array.from({ length: (seed % 37) + 1 }, (_, i) => (seed * 7919 + i * 104729) % 5000);
      for (const p of [0.5, 0.9, 0.95, 0.99]) expect(percentile(bins(values).reverse(), p), `${seed} ${p}`).toBe(nearestRank(values, p));
    }
  });

  it('is null without samples (empty bins and zero counts alike)', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([{ ms: 5, count: 0 }], 0.5)).toBeNull();
  });
});

describe('summarizeLatency', () => {
  it('lists every protocol, with counts, and nulls where nothing was reported', () => {
    const s = summarizeLatency(
      [{ protocol: 'webrtc', ms: 200, count: 3 }, { protocol: 'webrtc', ms: 900, count: 1 }],
      [{ protocol: 'webrtc', viewers: 2 }],
    );
    expect(s).toEqual({
      webrtc: { p50Ms: 200, p95Ms: 900, samples: 4, viewers: 2 },
      llhls: { p50Ms: null, p95Ms: null, samples: 0, viewers: 0 },
    });
  });
});

describe('foldVodBeacons', () => {
  const t = 1_000_000;
  it('one delta per (VOD, viewer), in key order, with the latest position', () => {
    const d = foldVodBeacons([
      { vodId: 'b', viewerId: 'x', at: t, watchedMs: 5_000, positionMs: 5_000 },
      { vodId: 'a', viewerId: 'y', at: t, watchedMs: 1_000, positionMs: 1_000 },
      { vodId: 'b', viewerId: 'x', at: t + 10_000, watchedMs: 10_000, positionMs: 15_000 },
      { vodId: 'a', viewerId: 'x', at: t, watchedMs: 0, positionMs: 0 },
    ]);
    expect(d).toEqual([
      { vodId: 'a', viewerId: 'x', firstAt: t, lastAt: t, watchedMs: 0, positionMs: 0 },
      { vodId: 'a', viewerId: 'y', firstAt: t, lastAt: t, watchedMs: 1_000, positionMs: 1_000 },
      { vodId: 'b', viewerId: 'x', firstAt: t, lastAt: t + 10_000, watchedMs: 15_000, positionMs: 15_000 },
    ]);
  });

  it('caps each beacon at the maximum and a viewer at its time span plus one maximum', () => {
    const [one] = foldVodBeacons([{ vodId: 'v', viewerId: 'x', at: t, watchedMs: 3_600_000, positionMs: 0 }]);
    expect(one!.watchedMs).toBe(MAX_WATCHED_PER_BEACON_MS);
    // A burst of ten "15 s" beacons in 1 s is at most 16 s, not 150 s.
    const burst = foldVodBeacons(Array.from({ length: 10 }, (_, i) => ({ vodId: 'v', viewerId: 'x', at: t + i * 100, watchedMs: 15_000, positionMs: 0 })));
    expect(burst[0]!.watchedMs).toBe(900 + MAX_WATCHED_PER_BEACON_MS);
    // Negative and fractional claims count as what they can be.
    expect(foldVodBeacons([{ vodId: 'v', viewerId: 'x', at: t, watchedMs: -5, positionMs: 0 }])[0]!.watchedMs).toBe(0);
  });
});

describe('vodTokenUsable', () => {
  const now = 10_000_000_000;
  it('lasts the configured lifetime, or as long as the segment URLs of a long VOD (2 × its duration + 15 min)', () => {
    const s = now / 1000;
    expect(vodTokenUsable(s - 3_599, now, 3600, null)).toBe(true);
    expect(vodTokenUsable(s - 3_601, now, 3600, null)).toBe(false);
    expect(vodTokenUsable(s - 2 * 3600, now, 3600, 3_600_000)).toBe(true);
    expect(vodTokenUsable(s - (2 * 3600 + 901), now, 3600, 3_600_000)).toBe(false);
    // Never past the 7 days of a V4 signed URL.
    expect(vodTokenUsable(s - 8 * 86_400, now, 3600, 30 * 86_400_000)).toBe(false);
  });
});
