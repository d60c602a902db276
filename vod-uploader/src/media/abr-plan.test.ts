import { describe, expect, it } from 'vitest';
import {
  alignmentProblems, commonKeyframes, cutsAfter, dropLeadIn, formatCutList, missingCuts, parseSegmentCsv, planAcceptable, planCuts, planQuality, timingTolerance,
} from './abr-plan.js';

const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => +(from + i * step).toFixed(6));

describe('cut plan (pure)', () => {
  it('keeps the keyframes every rendition has, within the tolerance (timestamps of one frame differ by a rounding)', () => {
    const source = range(0.022, 10.022, 2); // every 2 s
    const rung = range(0.0225, 10.0225, 1); // every 1 s, 0.5 ms off (another time base)
    expect(commonKeyframes([source, rung], 0.005)).toEqual(source);
    expect(commonKeyframes([source, rung.map((k) => k + 0.1)], 0.005)).toEqual([]);
    expect(commonKeyframes([source], 0.005)).toEqual(source);
    expect(commonKeyframes([], 0.005)).toEqual([]);
  });

  it('cuts at the first common keyframe, then at the first one at least a segment later; no tiny tail', () => {
    const common = range(0, 20, 1);
    expect(planCuts(common, { segmentSeconds: 6, endS: 20.4, tolS: 0.01 })).toEqual([0, 6, 12, 18]);
    // 19.8 s: a cut at 18 would leave 1.8 s; at 19.5 only 0.3 s (merged into the one before).
    expect(planCuts(range(0, 19.5, 1.5), { segmentSeconds: 6, endS: 19.8, tolS: 0.01 })).toEqual([0, 6, 12, 18]);
    expect(planCuts(range(0, 19.5, 1.5), { segmentSeconds: 6, endS: 19.9, tolS: 0.01 }).at(-1)).toBe(18);
    expect(planCuts([], { segmentSeconds: 6, endS: 10, tolS: 0.01 })).toEqual([]);
    // Irregular keyframes: the cut waits for the next common one.
    expect(planCuts([0, 2.5, 5, 7.5, 10, 12.5], { segmentSeconds: 6, endS: 14, tolS: 0.01 })).toEqual([0, 7.5]);
  });

  it('bounds the number of cuts (one ffmpeg argument): a very long recording gets longer segments', () => {
    const common = range(0, 100_000, 2);
    const cuts = planCuts(common, { segmentSeconds: 6, endS: 100_001, tolS: 0.01, maxCuts: 1000 });
    expect(cuts.length).toBeLessThanOrEqual(1001);
    expect(cuts[1]).toBeGreaterThanOrEqual(100);
    expect(formatCutList(cuts).length).toBeLessThan(131_072);
  });

  it('judges a plan: segments at most twice the target (or target + 2 s), lead-in no longer than that', () => {
    expect(planAcceptable(planQuality([0, 6, 12], 0, 18), 6)).toBe(true);
    expect(planAcceptable(planQuality([0, 13], 0, 18), 6)).toBe(false);
    expect(planAcceptable(planQuality([0, 2, 4], 0, 6), 2)).toBe(true);
    expect(planAcceptable(planQuality([0, 5], 0, 8), 2)).toBe(false);
    expect(planAcceptable(planQuality([5, 7], 0, 9), 2)).toBe(false); // 5 s lost at the start
  });

  it('passes ffmpeg only the cuts after a track starts; counts the cuts a track has no keyframe at', () => {
    expect(cutsAfter([0.022, 2.022, 4.022], 0.022, 0.01)).toEqual([2.022, 4.022]);
    expect(cutsAfter([0.022, 2.022, 4.022], 0, 0.01)).toEqual([0.022, 2.022, 4.022]);
    expect(missingCuts(range(0, 10, 1), [0, 2, 4, 6], 0.01)).toBe(0);
    expect(missingCuts(range(0, 10, 2.5), [0, 2, 4, 6], 0.01)).toBe(3);
  });

  it('formats cut lists as ffmpeg reads durations', () => {
    expect(formatCutList([0, 2.022, 10, 100.5, 1234.5678901])).toBe('0,2.022,10,100.5,1234.56789');
  });

  it('reads the segment muxer CSV, drops the lead-in before the first cut, and checks alignment', () => {
    const rows = parseSegmentCsv('aud_00000.ts,0.000000,0.021333\naud_00001.ts,0.021333,2.026667\naud_00002.ts,2.026667,4.032000\n');
    expect(rows).toEqual([
      { file: 'aud_00000.ts', startS: 0, endS: 0.021333 },
      { file: 'aud_00001.ts', startS: 0.021333, endS: 2.026667 },
      { file: 'aud_00002.ts', startS: 2.026667, endS: 4.032 },
    ]);
    expect(dropLeadIn(rows, 0.022, 0.01).map((r) => r.file)).toEqual(['aud_00001.ts', 'aud_00002.ts']);
    expect(() => parseSegmentCsv('garbage')).toThrow(/unreadable/);
    const video = parseSegmentCsv('v_0.ts,0,2.022\nv_1.ts,2.022,4.022\nv_2.ts,4.022,6\n');
    expect(alignmentProblems(video, [0.022, 2.022, 4.022], 0.005)).toEqual([]);
    expect(alignmentProblems(video, [0.022, 2.5, 4.022], 0.005)).toEqual(['segment 1 starts at 2.022 s, the plan cuts at 2.500 s']);
    expect(alignmentProblems(video.slice(0, 2), [0.022, 2.022, 4.022], 0.005)).toEqual(['2 segments where the plan has 3']);
  });

  it('tolerance: half a frame of the fastest video, within 5-40 ms', () => {
    expect(timingTolerance([30, 25])).toBeCloseTo(1 / 60, 6);
    expect(timingTolerance([120])).toBeCloseTo(0.005, 6);
    expect(timingTolerance([5])).toBe(0.04);
    expect(timingTolerance([undefined])).toBe(0.02);
  });
});
