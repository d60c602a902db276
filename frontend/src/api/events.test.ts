import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_ENDED_MESSAGE, setUnauthorizedHandler } from './client';
import { backoffDelay, subscribeStatusEvents, type ConnectionState } from './events';
import { setSession, getSession, peekFlash } from './session';
import type { StreamStatusEvent } from './types';
import { apiError, fakeJwt, installFakeFetch, sseResponse, USER } from '../test/fakeFetch';

const token = fakeJwt(3600);
beforeEach(() => setSession({ token, user: USER }));
afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

const waitFor = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('subscribeStatusEvents', () => {
  it('delivers stream.status events over an authenticated fetch stream and reconnects when it ends', async () => {
    const first = sseResponse();
    const second = sseResponse();
    const responses = [first.response, second.response];
    const { calls } = installFakeFetch({ 'GET /api/events': () => responses.shift()! });
    const events: StreamStatusEvent[] = [];
    const states: ConnectionState[] = [];
    const stop = subscribeStatusEvents('/api/events', {
      onStatus: (e) => events.push(e),
      onConnection: (s) => states.push(s),
      minDelayMs: 10,
      maxDelayMs: 20,
    });

    await waitFor(() => states.includes('open'));
    first.push('event: stream.status\ndata: {"streamId":"s1","status":"idle","at":"t0"}\n\n');
    first.push('event: other\ndata: {}\n\nevent: stream.status\ndata: not json\n\n');
    first.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"t1"}\n\n');
    await waitFor(() => events.length === 2);
    expect(events).toEqual([
      { streamId: 's1', status: 'idle', at: 't0', reconnectDeadline: null },
      { streamId: 's1', status: 'live', at: 't1', reconnectDeadline: null },
    ]);
    expect(calls[0]!.headers).toMatchObject({ authorization: `Bearer ${token}`, accept: 'text/event-stream' });

    first.close(); // server went away: the client must come back by itself
    await waitFor(() => calls.length === 2);
    await waitFor(() => states.filter((s) => s === 'open').length === 2);
    second.push('event: stream.status\ndata: {"streamId":"s1","status":"ended","at":"t2"}\n\n');
    await waitFor(() => events.length === 3);
    expect(states).toContain('reconnecting');
    stop();
    expect(states.at(-1)).toBe('closed');
  });

  it('carries the reconnect deadline of a reconnecting stream (and only of one)', async () => {
    const res = sseResponse();
    installFakeFetch({ 'GET /api/events': () => res.response });
    const events: StreamStatusEvent[] = [];
    const stop = subscribeStatusEvents('/api/events', { onStatus: (e) => events.push(e) });
    res.push('event: stream.status\ndata: {"streamId":"s1","status":"reconnecting","at":"t0","reconnectDeadline":"2026-12-04T04:01:00.000Z"}\n\n');
    res.push('event: stream.status\ndata: {"streamId":"s1","status":"reconnecting","at":"t1","reconnectDeadline":"soon"}\n\n');
    res.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"t2","reconnectDeadline":"2026-12-04T04:01:00.000Z"}\n\n');
    await waitFor(() => events.length === 3);
    stop();
    expect(events.map((e) => [e.status, e.reconnectDeadline])).toEqual([
      ['reconnecting', '2026-12-04T04:01:00.000Z'],
      ['reconnecting', null],
      ['live', null],
    ]);
  });

  it('delivers stream.health events to onHealth, apart from status events, and skips malformed ones', async () => {
    const res = sseResponse();
    installFakeFetch({ 'GET /api/events': () => res.response });
    const status: StreamStatusEvent[] = [];
    const health: unknown[] = [];
    const stop = subscribeStatusEvents('/api/events', { onStatus: (e) => status.push(e), onHealth: (e) => health.push(e) });
    res.push('event: stream.health\ndata: {"streamId":"s1","alerts":[{"code":"INGRESS_HAS_BFRAME"}]}\n\n');
    res.push('event: stream.health\ndata: {"streamId":"s1"}\n\nevent: stream.health\ndata: nope\n\n');
    res.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"t2"}\n\n');
    await waitFor(() => status.length === 1);
    stop();
    expect(health).toEqual([{ streamId: 's1', alerts: [{ code: 'INGRESS_HAS_BFRAME' }] }]);
  });

  it('stops and reports an expired session on 401', async () => {
    installFakeFetch({ 'GET /api/events': () => apiError(401, 'unauthorized', 'expired') });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    const states: ConnectionState[] = [];
    subscribeStatusEvents('/api/events', { onStatus: () => {}, onConnection: (s) => states.push(s), minDelayMs: 5 });
    await waitFor(() => handler.mock.calls.length === 1);
    expect(states.at(-1)).toBe('closed');
    expect(getSession()).toBeNull();
  });

  it('on a 401 for a session ended elsewhere leaves the "you were logged out" message', async () => {
    installFakeFetch({ 'GET /api/events': () => apiError(401, 'unauthorized', 'This session has been logged out, log in again') });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    subscribeStatusEvents('/api/events', { onStatus: () => {}, minDelayMs: 5 });
    await waitFor(() => handler.mock.calls.length === 1);
    expect(peekFlash()).toBe(SESSION_ENDED_MESSAGE);
  });

  it('backs off exponentially up to a cap', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 1000, 8000))).toEqual([1000, 2000, 4000, 8000, 8000]);
    vi.restoreAllMocks();
  });
});
