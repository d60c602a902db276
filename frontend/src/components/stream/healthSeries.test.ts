import { describe, expect, it } from 'vitest';
import type { HealthSample, SessionHealth } from '../../api';
import { appendHealth, describeColumn, formatMbps, formatViewerMinutes, latest, peak, toHealthSeries } from './healthSeries';

const T0 = Date.parse('2026-12-04T04:00:00.000Z');
const sample = (offsetMs: number, over: Partial<HealthSample> = {}): HealthSample => ({
  at: new Date(T0 + offsetMs).toISOString(),
  bitrateInBps: 2_630_000,
  fps: 29.97,
  viewers: { webrtc: 3, llhls: 2, total: 5 },
  ...over,
});

describe('toHealthSeries', () => {
  it('puts time in Unix seconds and bitrate in Mbps, one column per line, in sample order', () => {
    const s = toHealthSeries(
      [sample(0), sample(5000, { bitrateInBps: 3_100_500, fps: null, viewers: { webrtc: 4, llhls: 0, total: 4 } })],
      5000,
    );
    expect(s.x).toEqual([T0 / 1000, T0 / 1000 + 5]);
    expect(s.bitrateMbps).toEqual([2.63, 3.101]);
    expect(s.fps).toEqual([29.97, null]); // no fps reported: a gap in that line only
    expect(s.webrtc).toEqual([3, 4]);
    expect(s.llhls).toEqual([2, 0]);
    expect(s.total).toEqual([5, 4]);
  });

  it('breaks every line where sampling paused for more than two intervals, and not for a late sample', () => {
    const s = toHealthSeries([sample(0), sample(10_000), sample(40_000)], 5000);
    // 0 → 10 s is two intervals (a late tick): joined. 10 → 40 s: a null row one interval after the last sample.
    expect(s.x).toEqual([T0 / 1000, T0 / 1000 + 10, T0 / 1000 + 15, T0 / 1000 + 40]);
    for (const col of [s.bitrateMbps, s.fps, s.webrtc, s.llhls, s.total]) expect(col[2]).toBeNull();
    expect(s.total).toEqual([5, 5, null, 5]);
  });

  it('is empty for no samples and skips a sample without a valid time', () => {
    expect(toHealthSeries([], 5000)).toEqual({ x: [], bitrateMbps: [], fps: [], webrtc: [], llhls: [], total: [] });
    expect(toHealthSeries([sample(0), { ...sample(5000), at: 'not a date' }], 5000).x).toHaveLength(1);
  });
});

describe('figures and words', () => {
  it('latest and peak skip gaps', () => {
    expect(latest([1, 7, null])).toBe(7);
    expect(peak([1, null, 7, 3])).toBe(7);
    expect(latest([null])).toBeNull();
    expect(peak([])).toBeNull();
  });

  it('describes a chart for screen readers', () => {
    expect(describeColumn([2.63, 3.101, 2.5], formatMbps)).toBe('latest 2.50 Mbps, peak 3.10 Mbps');
    expect(describeColumn([null], formatMbps)).toBe('no measurements');
  });

  it('groups viewer-minutes and keeps the backend\'s one decimal', () => {
    expect(formatViewerMinutes(12.5)).toBe('12.5');
    expect(formatViewerMinutes(1234.5)).toBe('1,234.5');
    expect(formatViewerMinutes(0)).toBe('0');
  });
});

describe('appendHealth', () => {
  const s = (sec: number, total: number): HealthSample => ({ at: new Date(Date.UTC(2026, 11, 4, 4, 0, sec)).toISOString(), bitrateInBps: 1, fps: 30, viewers: { webrtc: total, llhls: 0, total } });
  const h = (samples: HealthSample[], peakViewers: number): SessionHealth => ({ intervalMs: 5000, peakViewers, viewerMinutes: peakViewers / 10, samples });
  it('appends the newer samples only and takes the totals from the refresh', () => {
    const prev = h([s(0, 1), s(5, 2)], 2);
    const next = appendHealth(prev, h([s(5, 2), s(10, 7), s(15, 3)], 7));
    expect(next.samples.map((x) => x.viewers.total)).toEqual([1, 2, 7, 3]);
    expect(next).toMatchObject({ peakViewers: 7, viewerMinutes: 0.7 });
    // Nothing new: the same samples array (the charts are not redrawn for nothing), new totals.
    const same = appendHealth(next, h([], 8));
    expect(same.samples).toBe(next.samples);
    expect(same.peakViewers).toBe(8);
    expect(appendHealth(h([], 0), h([s(0, 4)], 4)).samples).toHaveLength(1);
  });
});
