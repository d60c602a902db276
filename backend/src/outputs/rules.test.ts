import { describe, expect, it } from 'vitest';
import { checkDestination, parsePushId, planTick, pushIdFor, pushTarget, retryDelayMs, stateFromOme, type OutputRow } from './rules.js';

const id = '11111111-2222-4333-8444-555555555555';
const row = (over: Partial<OutputRow> = {}): OutputRow => ({ id, enabled: true, onAir: true, state: 'idle', pushId: null, nextAttemptAt: null, ...over });
const now = new Date('2026-12-04T07:00:00Z');

describe('checkDestination', () => {
  it.each([
    ['rtmp://a.rtmp.youtube.com/live2', 'rtmp', 'rtmp://a.rtmp.youtube.com/live2'],
    ['rtmps://a.rtmps.youtube.com:443/live2/', 'rtmp', 'rtmps://a.rtmps.youtube.com:443/live2'],
    ['rtmp://live.twitch.tv/app', 'rtmp', 'rtmp://live.twitch.tv/app'],
    ['srt://live.cloudflare.com:778?mode=caller&latency=2000000', 'srt', 'srt://live.cloudflare.com:778?mode=caller&latency=2000000'],
  ])('accepts %s', (url, protocol, normalised) => {
    expect(checkDestination(url)).toEqual({ ok: true, protocol, url: normalised });
  });
  it.each([
    ['https://example.com/live', 'output_url_scheme'],
    ['udp://1.2.3.4:2400', 'output_url_scheme'],
    ['not a url', 'output_url_invalid'],
    ['rtmp://live.twitch.tv', 'output_url_invalid'],
    ['rtmp://live.twitch.tv/app?key=1', 'output_url_invalid'],
    ['rtmp://user:pw@live.twitch.tv/app', 'output_url_invalid'],
    ['rtmp://live.twitch.tv/app#x', 'output_url_invalid'],
    ['srt://h:1?streamid=abc', 'output_url_has_credentials'],
    ['srt://h:1?PassPhrase=abc', 'output_url_has_credentials'],
    ['srt://h:1?mode=listener', 'output_url_invalid'],
  ])('refuses %s (%s)', (url, code) => {
    expect(checkDestination(url)).toMatchObject({ ok: false, code });
  });
});

describe('pushTarget', () => {
  it('RTMP: url and key as they are (OME connects to url/key)', () => {
    expect(pushTarget('rtmp', 'rtmp://live.twitch.tv/app', 'live_1')).toEqual({ protocol: 'rtmp', url: 'rtmp://live.twitch.tv/app', streamKey: 'live_1' });
  });
  it('SRT: the key goes into the query, as streamid or as the parameters it holds; streamKey stays empty', () => {
    expect(pushTarget('srt', 'srt://h:1?latency=1', 'abc')).toEqual({ protocol: 'srt', url: 'srt://h:1?latency=1&streamid=abc', streamKey: '' });
    expect(pushTarget('srt', 'srt://h:1', 'streamid=a b&passphrase=p')).toEqual({ protocol: 'srt', url: 'srt://h:1?streamid=a+b&passphrase=p', streamKey: '' });
    expect(pushTarget('srt', 'srt://h:1', '')).toEqual({ protocol: 'srt', url: 'srt://h:1', streamKey: '' });
  });
});

describe('push ids, backoff, OME states', () => {
  it('round-trips push ids and ignores foreign ones', () => {
    expect(parsePushId(pushIdFor(id, 7))).toEqual({ outputId: id, seq: 7 });
    expect(parsePushId('gJUfvQ')).toBeNull();
    expect(parsePushId(`ocp-${id}`)).toBeNull();
  });
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 40].map((n) => retryDelayMs(n, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('maps OME push states', () => {
    expect(['ready', 'connecting', 'pushing', 'stopping', 'stopped', 'error'].map((s) => stateFromOme(s as never))).toEqual(['starting', 'starting', 'active', 'stopped', 'stopped', 'error']);
  });
});

describe('planTick', () => {
  const p1 = pushIdFor(id, 1);
  it('starts an enabled output of a stream on air that has no push', () => {
    expect(planTick([row()], new Map(), now)).toEqual([{ kind: 'start', outputId: id }]);
  });
  it('waits out the backoff', () => {
    expect(planTick([row({ state: 'error', nextAttemptAt: new Date(now.getTime() + 1) })], new Map(), now)).toEqual([]);
    expect(planTick([row({ state: 'error', nextAttemptAt: now })], new Map(), now)).toEqual([{ kind: 'start', outputId: id }]);
  });
  it('records what OME reports, and only changes', () => {
    expect(planTick([row({ state: 'starting', pushId: p1 })], new Map([[p1, 'pushing']]), now)).toEqual([{ kind: 'observe', outputId: id, pushId: p1, state: 'active' }]);
    expect(planTick([row({ state: 'active', pushId: p1 })], new Map([[p1, 'pushing']]), now)).toEqual([]);
    // Publisher reconnecting: OME waits (`ready`); the push stays.
    expect(planTick([row({ state: 'active', pushId: p1 })], new Map([[p1, 'ready']]), now)).toEqual([{ kind: 'observe', outputId: id, pushId: p1, state: 'starting' }]);
  });
  it('fails a push OME reports in error', () => {
    expect(planTick([row({ state: 'active', pushId: p1 })], new Map([[p1, 'error']]), now)).toEqual([expect.objectContaining({ kind: 'fail', outputId: id, pushId: p1 })]);
  });
  it('starts again when OME lost the push (restart) or stopped it', () => {
    expect(planTick([row({ state: 'active', pushId: p1 })], new Map(), now)).toEqual([{ kind: 'start', outputId: id }]);
    expect(planTick([row({ state: 'active', pushId: p1 })], new Map([[p1, 'stopped']]), now)).toEqual([{ kind: 'start', outputId: id }]);
  });
  it('stops pushes of streams off air or disabled outputs; marks a running state stopped even without a push', () => {
    expect(planTick([row({ onAir: false, state: 'active', pushId: p1 })], new Map([[p1, 'pushing']]), now)).toEqual([{ kind: 'stop', outputId: id, pushId: p1 }]);
    expect(planTick([row({ enabled: false, state: 'active', pushId: p1 })], new Map([[p1, 'pushing']]), now)).toEqual([{ kind: 'stop', outputId: id, pushId: p1 }]);
    expect(planTick([row({ onAir: false, state: 'active', pushId: p1 })], new Map(), now)).toEqual([{ kind: 'stop', outputId: id, pushId: null }]);
    expect(planTick([row({ onAir: false, state: 'stopped' })], new Map(), now)).toEqual([]);
  });
  it('stops our pushes no output owns, never foreign ones', () => {
    const stale = pushIdFor(id, 1);
    const current = pushIdFor(id, 2);
    expect(planTick([row({ state: 'active', pushId: current })], new Map([[stale, 'pushing'], [current, 'pushing'], ['gJUfvQ', 'pushing']]), now)).toEqual([{ kind: 'stop_orphan', pushId: stale }]);
  });
});
