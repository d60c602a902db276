import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, isUnavailable, request, SESSION_ENDED_MESSAGE, SESSION_EXPIRED_MESSAGE, setUnauthorizedHandler } from './client';
import * as api from './endpoints';
import { getSession, peekFlash, setSession } from './session';
import { apiError, fakeJwt, installFakeFetch, json, USER } from '../test/fakeFetch';

const token = fakeJwt(3600);

beforeEach(() => setSession({ token, user: USER }));
afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe('api client', () => {
  it('sends the session token as a Bearer header and JSON bodies with a content type', async () => {
    const { calls } = installFakeFetch({
      'POST /api/streams': (c) => json(201, { stream: { id: 's1', name: (c.body as { name: string }).name }, ingest: {} }),
    });
    const res = await api.createStream({ name: 'My show', visibility: 'private', record: false });
    expect(res.stream.name).toBe('My show');
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/streams',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: { name: 'My show', visibility: 'private', record: false },
    });
  });

  it('turns the error body into an ApiError with code, message and field details', async () => {
    installFakeFetch({
      'PATCH /api/streams/s1': () =>
        apiError(400, 'validation_error', 'Invalid request', [{ path: 'name', message: 'Too long' }]),
    });
    const err = await api.updateStream('s1', { name: 'x'.repeat(200) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.status, e.code, e.message]).toEqual([400, 'validation_error', 'Invalid request']);
    expect(e.fieldMessage('name')).toBe('Too long');
    expect(e.fieldMessage('description')).toBeUndefined();
  });

  it('maps a non-JSON proxy error to an http_<status> ApiError that counts as unavailable', async () => {
    installFakeFetch({
      'GET /api/streams/s1/stats': () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    const e = (await api.getStats('s1').catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe('http_502');
    expect(isUnavailable(e)).toBe(true);
    expect(isUnavailable(new ApiError(409, 'conflict', 'x'))).toBe(false);
  });

  it('on 401 clears the session, leaves the "session expired" message and calls the handler', async () => {
    installFakeFetch({ 'GET /api/streams': () => apiError(401, 'unauthorized', 'Token expired') });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    await expect(api.listStreams()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(getSession()).toBeNull();
    expect(peekFlash()).toBe(SESSION_EXPIRED_MESSAGE);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('on a 401 for a session ended on purpose (revoked, password changed) says it was logged out, not expired', async () => {
    installFakeFetch({ 'GET /api/streams': () => apiError(401, 'unauthorized', 'This session has been logged out, log in again') });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    await expect(api.listStreams()).rejects.toMatchObject({ status: 401 });
    expect(peekFlash()).toBe(SESSION_ENDED_MESSAGE);
    expect(getSession()).toBeNull();
    expect(handler).toHaveBeenCalledOnce();
  });

  it('a later 401 (a call in flight, sent without the cleared token) keeps the first 401\'s reason', async () => {
    installFakeFetch({
      'GET /api/streams': () => apiError(401, 'unauthorized', 'This session has been logged out, log in again'),
      'GET /api/vods': () => apiError(401, 'unauthorized', 'Authentication required'),
    });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    await expect(api.listStreams()).rejects.toMatchObject({ status: 401 });
    await expect(api.listVods()).rejects.toMatchObject({ status: 401 });
    expect(peekFlash()).toBe(SESSION_ENDED_MESSAGE);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('leaves a 401 on logout to the caller (no redirect, no message)', async () => {
    installFakeFetch({ 'POST /api/auth/logout': () => apiError(401, 'unauthorized', 'This session has been logged out, log in again') });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    await expect(api.logout()).rejects.toMatchObject({ status: 401 });
    expect(handler).not.toHaveBeenCalled();
    expect(peekFlash()).toBeNull();
  });

  it('does not treat a failed login (401 invalid_credentials) as an expired session', async () => {
    const { calls } = installFakeFetch({
      'POST /api/auth/login': () => apiError(401, 'invalid_credentials', 'Wrong email or password'),
    });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    await expect(api.login('a@b.co', 'password1')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(handler).not.toHaveBeenCalled();
    expect(getSession()).not.toBeNull();
    expect(calls[0]!.headers.authorization).toBeUndefined();
  });

  it('returns undefined for 204 and reports network failures as network_error', async () => {
    installFakeFetch({ 'DELETE /api/streams/s1': () => json(204, null) });
    await expect(api.deleteStream('s1')).resolves.toBeUndefined();
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(request('GET', '/api/streams')).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });

  it('public endpoints send no Authorization and pass the playback token as a query parameter', async () => {
    const { calls } = installFakeFetch({
      'GET /api/public/streams/s%2F1/playback': () =>
        json(200, { webrtc: 'ws://h/app/s1?token=t', llhls: 'http://h/app/s1/llhls.m3u8?token=t', token: 't', expiresAt: null }),
    });
    await api.getPublicPlayback('s/1', 'tok en');
    expect(calls[0]!.url).toBe('/api/public/streams/s%2F1/playback?token=tok+en');
    expect(calls[0]!.headers.authorization).toBeUndefined();
  });

  it('builds the webhook and VOD requests of the contract', async () => {
    const { calls } = installFakeFetch({
      'POST /api/webhooks': () => json(201, { endpoint: { id: 'w1' }, secret: 's' }),
      'GET /api/vods': () => json(200, { vods: [] }),
    });
    await api.createWebhook('https://example.com/h', []);
    await api.createWebhook('https://example.com/h', ['vod.ready']);
    await api.listVods({ streamId: 's1' });
    await api.listVods();
    expect(calls.map((c) => [c.url, c.body])).toEqual([
      ['/api/webhooks', { url: 'https://example.com/h' }],
      ['/api/webhooks', { url: 'https://example.com/h', events: ['vod.ready'] }],
      ['/api/vods?streamId=s1', undefined],
      ['/api/vods', undefined],
    ]);
  });
});

describe('session', () => {
  it('ignores an expired token', () => {
    setSession({ token: fakeJwt(-10), user: USER });
    expect(getSession()).toBeNull();
  });
});
