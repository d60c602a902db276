import { describe, expect, it } from 'vitest';
import { isUuid, matchSession, matchSessionCovering, vodTitle } from './session-match.js';

const d = (s: string) => new Date(`2026-11-22T${s}Z`);

describe('matchSession', () => {
  const sessions = [
    { id: 'a', startedAt: d('00:00:00'), endedAt: d('00:10:00') },
    { id: 'b', startedAt: d('00:20:00'), endedAt: d('00:30:00') },
    { id: 'c', startedAt: d('00:40:00'), endedAt: null },
  ];
  it('picks the session covering the recording start', () => {
    expect(matchSession(sessions, d('00:25:00'), 30_000)).toBe('b');
    expect(matchSession(sessions, d('00:45:00'), 30_000)).toBe('c');
  });
  it('accepts a recording that starts slightly before the session (clock skew)', () => {
    expect(matchSession(sessions, d('00:19:50'), 30_000)).toBe('b');
  });
  it('falls back to the latest session before the recording', () => {
    expect(matchSession(sessions, d('00:35:00'), 0)).toBe('b');
  });
  it('returns null when nothing started before the recording', () => {
    expect(matchSession(sessions, new Date('2026-11-21T00:00:00Z'), 0)).toBeNull();
    expect(matchSession([], d('00:25:00'), 0)).toBeNull();
  });
  it('uses the latest session when the recording has no start time', () => {
    expect(matchSession(sessions, null, 0)).toBe('c');
  });
});

describe('helpers', () => {
  it('recognises stream ids and titles VODs', () => {
    expect(isUuid('0b6c3f2e-8d7a-4c55-9f1e-2a4b6c8d0e1f')).toBe(true);
    expect(isUuid('stream1')).toBe(false);
    expect(vodTitle('Show', d('12:34:56'))).toBe('Show — 2026-11-22 12:34 UTC');
  });
});

describe('matchSessionCovering (a piece of that broadcast)', () => {
  const sessions = [
    { id: 'a', startedAt: d('00:00:00'), endedAt: d('00:10:00') },
    { id: 'c', startedAt: d('00:40:00'), endedAt: null },
  ];
  it('only a session whose time covers the start, with the slack', () => {
    expect(matchSessionCovering(sessions, d('00:05:00'), 30_000)).toBe('a');
    expect(matchSessionCovering(sessions, d('00:10:20'), 30_000)).toBe('a');
    expect(matchSessionCovering(sessions, d('00:39:45'), 30_000)).toBe('c');
    expect(matchSessionCovering(sessions, d('01:45:00'), 30_000)).toBe('c');
  });
  it('none between sessions or without a start time (those keep one Vod per recording)', () => {
    expect(matchSessionCovering(sessions, d('00:20:00'), 30_000)).toBeNull();
    expect(matchSessionCovering(sessions, null, 30_000)).toBeNull();
    expect(matchSessionCovering([], d('00:05:00'), 30_000)).toBeNull();
  });
});
