import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { installFakeFetch, json } from '../test/fakeFetch';
import { POLL_MS, RECONNECTING_POLL_MS, WatchPage } from './WatchPage';

// OvenPlayer needs a real browser; count the players the page builds.
const players: { remove: ReturnType<typeof vi.fn> }[] = [];
vi.mock('../components/player/loadOvenPlayer', () => ({
  loadOvenPlayer: () =>
    Promise.resolve(() => {
      // Playing LL-HLS 2.1 s behind the live edge (what the viewer beacons read).
      const p = { on: () => {}, remove: vi.fn(), getState: () => 'playing', getProviderName: () => 'hls', getMseInstance: () => ({ latency: 2.1 }) };
      players.push(p);
      return p;
    }),
}));

const playback = { webrtc: 'ws://live.test:3333/app/s1/abr', llhls: 'http://live.test:3333/app/s1/abr.m3u8', token: null, expiresAt: null };
const pub = (status: string) => ({ stream: { id: 's1', name: 'Friday show', description: '', status, reconnectDeadline: status === 'reconnecting' ? '2099-01-01T00:00:00.000Z' : null } });

function renderWatch() {
  return render(
    <MemoryRouter initialEntries={['/watch/s1']}>
      <Routes>
        <Route path="/watch/:id" element={<WatchPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

/** Lets the poll's fetches resolve and React render. */
const settle = () => act(async () => void (await vi.advanceTimersByTimeAsync(0)));

describe('WatchPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    players.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('while reconnecting says the broadcast will resume (no error), polls faster, and starts a fresh player when live again', async () => {
    let status = 'live';
    const { calls } = installFakeFetch({
      'GET /api/public/streams/s1': () => json(200, pub(status)),
      'GET /api/public/streams/s1/playback': () => json(200, playback),
    });
    renderWatch();
    await settle();
    await settle();
    expect(screen.getByTestId('player')).toBeInTheDocument();
    expect(players).toHaveLength(1);

    // The encoder drops: the next poll sees `reconnecting`.
    status = 'reconnecting';
    await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS)));
    expect(screen.getByRole('status')).toHaveTextContent('The broadcast will resume shortly.');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('player')).toBeNull();
    expect(screen.getByTestId('status-badge')).toHaveAttribute('data-status', 'reconnecting');
    expect(players[0]!.remove).toHaveBeenCalledOnce();

    // Polled every 2 s now, not every 10 s.
    const polls = () => calls.filter((c) => c.url.split('?')[0] === '/api/public/streams/s1').length;
    const before = polls();
    await act(async () => void (await vi.advanceTimersByTimeAsync(RECONNECTING_POLL_MS * 2)));
    expect(polls() - before).toBe(2);

    // Back: a new player is built with fresh playback URLs.
    status = 'live';
    await act(async () => void (await vi.advanceTimersByTimeAsync(RECONNECTING_POLL_MS)));
    await settle();
    expect(screen.getByTestId('player')).toBeInTheDocument();
    expect(screen.getByTestId('status-badge')).toHaveTextContent('LIVE');
    await vi.waitFor(() => expect(players).toHaveLength(2));
    expect(calls.filter((c) => c.url.endsWith('/playback'))).toHaveLength(2);
  });

  it('says the broadcast ended once the window passed', async () => {
    installFakeFetch({ 'GET /api/public/streams/s1': () => json(200, pub('ended')) });
    renderWatch();
    await settle();
    expect(screen.getByRole('status')).toHaveTextContent('The broadcast has ended. Thanks for watching!');
  });

  it('reports the latency the player measures every 10 s, for the broadcast on air', async () => {
    const { calls } = installFakeFetch({
      'GET /api/public/streams/s1': () => json(200, { stream: { ...pub('live').stream, sessionId: 'b1' } }),
      'GET /api/public/streams/s1/playback': () => json(200, playback),
      'POST /api/beacons/latency': () => json(204, null),
    });
    renderWatch();
    await settle();
    await settle();
    expect(players).toHaveLength(1);
    await act(async () => void (await vi.advanceTimersByTimeAsync(10_000)));
    const sent = calls.filter((c) => c.url === '/api/beacons/latency');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ streamId: 's1', sessionId: 'b1', viewerId: expect.any(String), protocol: 'llhls', latencyMs: 2100 });
  });
});
