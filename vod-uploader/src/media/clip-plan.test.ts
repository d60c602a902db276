import { describe, expect, it } from 'vitest';
import {
  alignedPlaylists, ClipPlanError, endKeyframe, segmentCut, segmentForEnd, segmentForStart, segmentInPiece, segmentsBetween, startKeyframe, timeline,
} from './clip-plan.js';

const pl = (...pieces: number[][]) => ({ targetDuration: 2, pieces: pieces.map((p, i) => p.map((d, j) => ({ uri: `p${i}_${j}.ts`, durationS: d }))) });

describe('clip planning (pure)', () => {
  const tl = timeline(pl([2, 2, 1.5], [2, 1]));

  it('lays the segments on the player timeline across publishes', () => {
    expect(tl.map((s) => [s.piece, s.index, s.startS, s.endS])).toEqual([[0, 0, 0, 2], [0, 1, 2, 4], [0, 2, 4, 5.5], [1, 0, 5.5, 7.5], [1, 1, 7.5, 8.5]]);
  });

  it('a start is in the segment that covers it; an end on a boundary keeps the segment before it whole', () => {
    expect(segmentForStart(tl, 0).uri).toBe('p0_0.ts');
    expect(segmentForStart(tl, 2).uri).toBe('p0_1.ts');
    expect(segmentForStart(tl, 5.6).uri).toBe('p1_0.ts');
    expect(segmentForEnd(tl, 2).uri).toBe('p0_0.ts');
    expect(segmentForEnd(tl, 2.001).uri).toBe('p0_1.ts');
    expect(segmentForEnd(tl, 8.5).uri).toBe('p1_1.ts');
    expect(segmentForEnd(tl, 8.5004).uri).toBe('p1_1.ts'); // the API's whole milliseconds vs. EXTINF sums
    expect(() => segmentForStart(tl, 9)).toThrow(ClipPlanError);
    expect(segmentsBetween(tl, tl[1]!, tl[3]!).map((s) => s.uri)).toEqual(['p0_1.ts', 'p0_2.ts', 'p1_0.ts']);
    expect(segmentInPiece(tl, 1, 1.2).uri).toBe('p1_0.ts');
    expect(segmentInPiece(tl, 1, 2.2).uri).toBe('p1_1.ts');
    expect(segmentInPiece(tl, 1, 99).uri).toBe('p1_1.ts');
  });

  it('variants are aligned when every publish has the same EXTINF sequence (the last of a publish within a frame or two)', () => {
    expect(alignedPlaylists(pl([2, 2, 1.5]), pl([2, 2, 1.53]), 0.0005)).toBe(true);
    expect(alignedPlaylists(pl([2, 2, 1.5]), pl([2, 2.01, 1.5]), 0.0005)).toBe(false);
    expect(alignedPlaylists(pl([2, 2]), pl([2, 2], [1]), 0.0005)).toBe(false);
  });

  it('start: the last common keyframe at or before; end: the first after the segment start at or after, else the segment end', () => {
    const keys = [10, 11, 12.001];
    expect(startKeyframe(keys, 11.5, 0.004)).toBe(11);
    expect(startKeyframe(keys, 10.999, 0.004)).toBe(11); // within the tolerance: that keyframe
    expect(startKeyframe(keys, 10.2, 0.004)).toBe(10);
    expect(endKeyframe(keys, 10.2, 10, 0.004)).toBe(11);
    expect(endKeyframe(keys, 11, 10, 0.004)).toBe(11);
    expect(endKeyframe(keys, 12.5, 10, 0.004)).toBeNull();
    expect(endKeyframe([10], 10.5, 10, 0.004)).toBeNull();
  });

  it('what a segment keeps: cuts at keyframes, EXTINF of what is left', () => {
    const keys = [10, 11];
    // Start inside: cut at the keyframe, the tail is kept.
    expect(segmentCut(keys, 10, 2, 11, null, 0.004)).toMatchObject({ keptStart: 11, keptEnd: 12, cuts: [11], cutStart: true, cutEnd: false, durationS: 1, empty: false });
    // Start at the segment start: nothing to cut.
    expect(segmentCut(keys, 10, 2, 10.002, null, 0.004)).toMatchObject({ cuts: [], durationS: 2 });
    // End inside: the head is kept.
    expect(segmentCut(keys, 10, 2, null, 11, 0.004)).toMatchObject({ keptStart: 10, keptEnd: 11, cuts: [11], cutEnd: true, durationS: 1 });
    // End with no later keyframe: whole segment.
    expect(segmentCut(keys, 10, 2, null, 11.5, 0.004)).toMatchObject({ cuts: [], durationS: 2 });
    // Audio (every packet a cut point) cut at both ends.
    const audio = [10, 10.021, 10.043, 10.064, 10.085];
    const c = segmentCut(audio, 10, 0.106, 10.04, 10.07, 0.001);
    expect(c).toMatchObject({ keptStart: 10.043, keptEnd: 10.085, cuts: [10.043, 10.085], cutStart: true, cutEnd: true });
    expect(c.durationS).toBeCloseTo(0.042, 6);
    // An audio segment that starts at the clip's end holds nothing of it.
    expect(segmentCut(audio, 10, 0.106, null, 10.0005, 0.001).empty).toBe(true);
  });
});
