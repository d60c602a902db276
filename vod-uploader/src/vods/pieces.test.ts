import { describe, expect, it } from 'vitest';
import type { Rendition } from '../media/ffmpeg.js';
import { compatKey, joinReadiness, joinRuns, orderPieces, sessionVodKey } from './pieces.js';

const t = (s: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, s));

describe('joinReadiness', () => {
  it('waits while the session is open (live or reconnecting: endedAt not set), polling', () => {
    expect(joinReadiness(null, t(0), 30_000, 10_000)).toEqual({ state: 'open', retryAt: t(10) });
  });
  it('waits for the settle delay after the end, then is final', () => {
    expect(joinReadiness(t(0), t(5), 30_000, 10_000)).toEqual({ state: 'settling', retryAt: t(30) });
    expect(joinReadiness(t(0), t(30), 30_000, 10_000)).toEqual({ state: 'final' });
    expect(joinReadiness(t(0), t(0), 0, 10_000)).toEqual({ state: 'final' });
  });
  it('counts the settle delay from the newest piece when it arrived after the end', () => {
    // A rendition file listed 40 s after the end: its siblings get 30 s more to be listed.
    expect(joinReadiness(t(0), t(45), 30_000, 10_000, t(40))).toEqual({ state: 'settling', retryAt: t(70) });
    expect(joinReadiness(t(0), t(70), 30_000, 10_000, t(40))).toEqual({ state: 'final' });
    // Pieces listed before the end change nothing.
    expect(joinReadiness(t(10), t(40), 30_000, 10_000, t(5))).toEqual({ state: 'final' });
  });
});

describe('orderPieces', () => {
  const p = (recordingId: string, startedAt: Date | null, createdAt: Date, transactionId = recordingId, sequence = 0) => ({ recordingId, startedAt, createdAt, transactionId, sequence });
  it('orders by recording start, then split sequence, then arrival', () => {
    const pieces = [
      p('c', t(40), t(41)),
      p('a', t(0), t(50)),
      p('b2', t(20), t(21), 'b', 2),
      p('b1', t(20), t(22), 'b', 1),
      p('x', null, t(30)),
    ];
    expect(orderPieces(pieces).map((x) => x.recordingId)).toEqual(['a', 'b1', 'b2', 'x', 'c']);
  });
});

describe('compatKey / joinRuns', () => {
  const v = (width: number, height: number, codec = 'h264'): Rendition => ({ type: 'video', codec, profile: 'High', width, height, fps: 30 });
  const a = (sampleRate = 48_000): Rendition => ({ type: 'audio', codec: 'aac', profile: 'LC', sampleRate, channels: 2 });
  const piece = (id: string, ...renditions: Rendition[]) => ({ id, media: { renditions } });

  it('ignores frame rate and bitrate but not size, codec or audio layout', () => {
    expect(compatKey({ renditions: [v(640, 360), a()] })).toBe(compatKey({ renditions: [{ ...v(640, 360), fps: 25, bitrateBps: 1 }, a()] }));
    expect(compatKey({ renditions: [v(640, 360), a()] })).not.toBe(compatKey({ renditions: [v(1280, 720), a()] }));
    expect(compatKey({ renditions: [v(640, 360), a()] })).not.toBe(compatKey({ renditions: [v(640, 360, 'hevc'), a()] }));
    expect(compatKey({ renditions: [v(640, 360), a()] })).not.toBe(compatKey({ renditions: [v(640, 360), a(44_100)] }));
    expect(compatKey({ renditions: [v(640, 360), a()] })).not.toBe(compatKey({ renditions: [v(640, 360)] }));
  });
  it('groups consecutive equal pieces; a change starts a new run, also when it changes back', () => {
    const runs = joinRuns([piece('1', v(640, 360), a()), piece('2', v(640, 360), a()), piece('3', v(1280, 720), a()), piece('4', v(640, 360), a())]);
    expect(runs.map((r) => r.map((x) => x.id))).toEqual([['1', '2'], ['3'], ['4']]);
    expect(joinRuns([])).toEqual([]);
  });
});

it('sessionVodKey is the unique recording key of a session Vod', () => {
  expect(sessionVodKey('0b4a8e2e-0000-4000-8000-000000000001')).toBe('session-0b4a8e2e-0000-4000-8000-000000000001');
});
