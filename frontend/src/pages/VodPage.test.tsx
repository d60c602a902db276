import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { AppRoutes } from '../App';
import { setSession } from '../api';
import { apiError, fakeJwt, installFakeFetch, json, USER } from '../test/fakeFetch';

// The player's position is what "Set in" / "Set out" read.
const player = { position: 0 };
vi.mock('../components/player/loadOvenPlayer', () => ({
  loadOvenPlayer: () =>
    Promise.resolve(() => ({
      on: () => {},
      remove: () => {},
      getQualityLevels: () => [],
      getCurrentQuality: () => -1,
      setCurrentQuality: (i: number) => i,
      isAutoQuality: () => true,
      setAutoQuality: () => {},
      getPosition: () => player.position,
    })),
}));
const started: { url: string; filename: string }[] = [];
vi.mock('../components/vod/startDownload', () => ({ startDownload: (url: string, filename: string) => void started.push({ url, filename }) }));

beforeEach(() => {
  setSession({ token: fakeJwt(3600), user: USER });
  started.length = 0;
  player.position = 0;
});
afterEach(() => vi.unstubAllGlobals());

const vod = (over: Record<string, unknown> = {}) => ({
  id: 'v1', streamId: 's1', sessionId: null, title: 'Friday show', status: 'ready', error: null,
  durationMs: 60_000, sizeBytes: null, storageBytes: null, renditions: [], posterUrl: null, createdAt: '2026-11-22T00:00:00Z', readyAt: null,
  clip: null, download: { status: 'none', error: null, sizeBytes: null }, ...over,
});
const playback = { hls: '/api/vods/v1/playlist.m3u8?token=t', expiresAt: '2026-11-22T01:00:00Z' };
const clipInfo = (over: Record<string, unknown> = {}) => ({ sourceId: 'v1', sourceTitle: 'Friday show', startMs: 3300, endMs: 6400, actualStartMs: null, actualEndMs: null, ...over });

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

describe('clips on the VOD page', () => {
  it('sets in and out from the player position, creates the clip and follows it from processing to a ready link', async () => {
    const user = userEvent.setup();
    let clipStatus = 'processing';
    const { calls } = installFakeFetch({
      'GET /api/vods/v1': () => json(200, { vod: vod(), playback }),
      'GET /api/vods': () => json(200, { vods: [], nextCursor: null }),
      'POST /api/vods/v1/clips': () => json(202, { vod: vod({ id: 'c1', title: 'Best bit', status: 'processing', clip: clipInfo() }) }),
      'GET /api/vods/c1': () =>
        json(200, { vod: vod({ id: 'c1', title: 'Best bit', status: clipStatus, clip: clipInfo(clipStatus === 'ready' ? { actualStartMs: 3000, actualEndMs: 7000 } : {}) }), playback: null }),
    });
    renderAt('/vods/v1');
    const setIn = await screen.findByRole('button', { name: 'Set in' });
    await waitForEnabled(setIn);
    expect(screen.getByRole('button', { name: 'Create clip' })).toBeDisabled();
    player.position = 3.3;
    await user.click(setIn);
    player.position = 6.4004;
    await user.click(screen.getByRole('button', { name: 'Set out' }));
    expect(screen.getByTestId('clip-in')).toHaveTextContent('0:03.300');
    expect(screen.getByTestId('clip-out')).toHaveTextContent('0:06.400');
    const title = screen.getByLabelText('Clip title');
    await user.clear(title);
    await user.type(title, 'Best bit');
    await user.click(screen.getByRole('button', { name: 'Create clip' }));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ startMs: 3300, endMs: 6400, title: 'Best bit' });
    const item = await screen.findByTestId('clip-item');
    expect(item).toHaveTextContent('Best bit');
    expect(item).toHaveTextContent('Cutting…');
    expect(within(item).queryByRole('link')).toBeNull();
    clipStatus = 'ready';
    const link = await within(item).findByRole('link', { name: 'Best bit' }, { timeout: 5000 });
    expect(link).toHaveAttribute('href', '/vods/c1');
    // The actual bounds, cut at keyframes.
    expect(item).toHaveTextContent('0:03.000–0:07.000');
  });

  it('refuses an out point before the in point, and shows why the server refused one', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /api/vods/v1': () => json(200, { vod: vod(), playback }),
      'GET /api/vods': () => json(200, { vods: [], nextCursor: null }),
      'POST /api/vods/v1/clips': () => apiError(400, 'invalid_range', 'A clip must be at least 1 s long'),
    });
    renderAt('/vods/v1');
    const setIn = await screen.findByRole('button', { name: 'Set in' });
    await waitForEnabled(setIn);
    player.position = 5;
    await user.click(setIn);
    player.position = 4;
    await user.click(screen.getByRole('button', { name: 'Set out' }));
    expect(screen.getByText('The out point must be after the in point.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create clip' })).toBeDisabled();
    player.position = 5.5;
    await user.click(screen.getByRole('button', { name: 'Set out' }));
    await user.click(screen.getByRole('button', { name: 'Create clip' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A clip must be at least 1 s long');
  });

  it('lists the clips made before, with a failed one\'s reason', async () => {
    installFakeFetch({
      'GET /api/vods/v1': () => json(200, { vod: vod(), playback }),
      'GET /api/vods': (c) => {
        expect(new URL(c.url, 'http://x').searchParams.get('clipOf')).toBe('v1');
        return json(200, { vods: [vod({ id: 'c2', title: 'Broken clip', status: 'failed', error: 'the source VOD is incomplete', clip: clipInfo() })], nextCursor: null });
      },
    });
    renderAt('/vods/v1');
    const item = await screen.findByTestId('clip-item');
    expect(item).toHaveTextContent('Broken clip');
    expect(item).toHaveTextContent('the source VOD is incomplete');
  });

  it("a clip's page says what it is a clip of, with the bounds it really has", async () => {
    installFakeFetch({
      'GET /api/vods/c1': () => json(200, { vod: vod({ id: 'c1', title: 'Best bit', clip: clipInfo({ actualStartMs: 3000, actualEndMs: 7000 }) }), playback }),
      'GET /api/vods': () => json(200, { vods: [], nextCursor: null }),
    });
    renderAt('/vods/c1');
    const line = await screen.findByTestId('clip-of');
    expect(line).toHaveTextContent('Clip of Friday show, 0:03.000 to 0:07.000 (asked for 0:03.300 to 0:06.400; cut at keyframes)');
    expect(within(line).getByRole('link', { name: 'Friday show' })).toHaveAttribute('href', '/vods/v1');
  });

  it('a clip whose source was deleted still says it is a clip', async () => {
    installFakeFetch({
      'GET /api/vods/c1': () => json(200, { vod: vod({ id: 'c1', clip: clipInfo({ sourceId: null, sourceTitle: null, actualStartMs: 3000, actualEndMs: 7000 }) }), playback }),
      'GET /api/vods': () => json(200, { vods: [], nextCursor: null }),
    });
    renderAt('/vods/c1');
    expect(await screen.findByTestId('clip-of')).toHaveTextContent('Clip of a recording that was deleted, 0:03.000 to 0:07.000');
  });
});

describe('download on the VOD page', () => {
  it('asks for the MP4, waits while it is prepared, then hands the signed URL to the browser', async () => {
    const user = userEvent.setup();
    let status = 'none';
    let posts = 0;
    installFakeFetch({
      'GET /api/vods/v1': () => json(200, { vod: vod({ download: { status, error: null, sizeBytes: status === 'ready' ? 12_300_000 : null } }), playback }),
      'GET /api/vods': () => json(200, { vods: [], nextCursor: null }),
      'POST /api/vods/v1/download': () => {
        posts++;
        return status === 'ready'
          ? json(200, { url: 'https://storage.example.com/vods/v1/download.mp4?X-Goog-Signature=s', expiresAt: '2026-11-22T00:05:00Z', filename: 'Friday show.mp4' })
          : json(202, { status: 'preparing' });
      },
    });
    renderAt('/vods/v1');
    await user.click(await screen.findByRole('button', { name: 'Download MP4' }));
    expect(await screen.findByRole('button', { name: 'Preparing MP4…' })).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('starts by itself when ready');
    status = 'ready';
    await screen.findByRole('button', { name: 'Download MP4' }, { timeout: 5000 });
    expect(started).toEqual([{ url: 'https://storage.example.com/vods/v1/download.mp4?X-Goog-Signature=s', filename: 'Friday show.mp4' }]);
    expect(posts).toBe(2);
    expect(screen.getByText('12.3 MB')).toBeInTheDocument();
  });

  it('an MP4 that is there downloads at once; a build that failed says why and can be tried again', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /api/vods/v1': () => json(200, { vod: vod({ download: { status: 'failed', error: 'building the MP4 failed: no space', sizeBytes: null } }), playback }),
      'GET /api/vods': () => json(200, { vods: [], nextCursor: null }),
      'POST /api/vods/v1/download': () => json(200, { url: 'https://s.example/d.mp4', expiresAt: '2026-11-22T00:05:00Z', filename: 'Friday show.mp4' }),
    });
    renderAt('/vods/v1');
    expect(await screen.findByText('building the MP4 failed: no space')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try the download again' }));
    expect(started.map((s) => s.url)).toEqual(['https://s.example/d.mp4']);
    expect(screen.queryByText('building the MP4 failed: no space')).toBeNull();
  });

  it('no download button while the recording is processing', async () => {
    installFakeFetch({ 'GET /api/vods/v1': () => json(200, { vod: vod({ status: 'processing' }), playback: null }) });
    renderAt('/vods/v1');
    await screen.findByText('This recording is still being processed.');
    expect(screen.queryByRole('button', { name: 'Download MP4' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Set in' })).toBeNull();
  });
});

async function waitForEnabled(el: HTMLElement) {
  for (let i = 0; i < 50 && (el as HTMLButtonElement).disabled; i++) await act(() => new Promise((r) => setTimeout(r, 20)));
  expect(el).toBeEnabled();
}
