import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { setSession } from '../api';
import { fakeJwt, installFakeFetch, json, USER } from '../test/fakeFetch';
import { VodPage } from './VodPage';
import { VodsPage } from './VodsPage';

// OvenPlayer needs a real browser; the stand-in lets the test fire its state changes.
const players: { emit: (event: string, data: unknown) => void }[] = [];
vi.mock('../components/player/loadOvenPlayer', () => ({
  loadOvenPlayer: () =>
    Promise.resolve(() => {
      const handlers = new Map<string, ((d: unknown) => void)[]>();
      const p = {
        on: (e: string, cb: (d: unknown) => void) => void handlers.set(e, [...(handlers.get(e) ?? []), cb]),
        remove: vi.fn(),
        getPosition: () => 0,
        emit: (e: string, d: unknown) => handlers.get(e)?.forEach((cb) => cb(d)),
      };
      players.push(p);
      return p;
    }),
}));

afterEach(() => {
  players.length = 0;
  vi.unstubAllGlobals();
});

const vod = {
  id: 'v1', streamId: 's1', sessionId: null, title: 'Friday show', status: 'ready', error: null, durationMs: 3_600_000, sizeBytes: null, storageBytes: null, renditions: [],
  posterUrl: null, createdAt: '2026-12-01T20:00:00Z', readyAt: '2026-12-01T21:00:00Z', views: 3, watchTimeSeconds: 3_725,
  clip: null, download: { status: 'none', error: null, sizeBytes: null },
};

const renderAt = (path: string) =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/vods" element={<VodsPage />} />
        <Route path="/vods/:id" element={<VodPage />} />
      </Routes>
    </MemoryRouter>,
  );

describe('VOD views and watch time', () => {
  it('the VOD page shows them, and its player counts a view when playback starts (with the playlist token)', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const { calls } = installFakeFetch({
      'GET /api/vods/v1': () => json(200, { vod, playback: { hls: '/api/vods/v1/playlist.m3u8?token=tok.en', expiresAt: '2026-12-04T12:00:00Z' } }),
      'POST /api/beacons/vod': () => json(204, null),
    });
    renderAt('/vods/v1');
    expect(await screen.findByTestId('vod-views')).toHaveTextContent('3 views');
    expect(screen.getByText(/1 h 02 min watched/)).toBeInTheDocument();
    await vi.waitFor(() => expect(players).toHaveLength(1));
    act(() => players[0]!.emit('stateChanged', { newstate: 'playing' }));
    const sent = calls.filter((c) => c.url === '/api/beacons/vod');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ vodId: 'v1', viewerId: expect.any(String), token: 'tok.en', watchedMs: 0, positionMs: 0 });
    expect(sent[0]!.headers.authorization).toBeUndefined();
  });

  it('the VOD list shows them for ready recordings', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    installFakeFetch({
      'GET /api/vods': () => json(200, { vods: [vod, { ...vod, id: 'v2', status: 'processing', views: 0, watchTimeSeconds: 0 }, { ...vod, id: 'v3', views: 1, watchTimeSeconds: 42 }], nextCursor: null }),
      'GET /api/streams': () => json(200, { streams: [], nextCursor: null }),
    });
    renderAt('/vods');
    const shown = await screen.findAllByTestId('vod-views');
    expect(shown.map((e) => e.textContent?.trim())).toEqual(['· 3 views · 1 h 02 min watched', '· 1 view · 42 s watched']);
  });
});
