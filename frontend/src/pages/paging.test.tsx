// Every dashboard list pages through the API with "Load more": the next request carries the
// previous page's nextCursor, pages are appended in order, and the button goes away on the last page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { AppRoutes } from '../App';
import { setSession } from '../api';
import { apiError, fakeJwt, installFakeFetch, json, sseResponse, USER, type RecordedCall } from '../test/fakeFetch';

vi.mock('../components/player/loadOvenPlayer', () => ({
  loadOvenPlayer: () => Promise.resolve(() => ({ on: () => {}, remove: () => {} })),
}));

afterEach(() => vi.unstubAllGlobals());

const at = (i: number) => new Date(Date.UTC(2026, 10, 22) - i * 60_000).toISOString();
const stream = (i: number, over: Record<string, unknown> = {}) => ({
  id: `s${i}`, ownerId: 'u1', name: `Show ${i}`, description: '', visibility: 'public', record: true, status: 'idle',
  lastStartedAt: null, lastEndedAt: null, createdAt: at(i), updatedAt: at(i), ...over,
});
const vod = (i: number, over: Record<string, unknown> = {}) => ({
  id: `v${i}`, streamId: null, sessionId: null, title: `Recording ${i}`, status: 'ready', error: null,
  durationMs: 60_000, sizeBytes: null, posterUrl: null, createdAt: at(i), readyAt: at(i), ...over,
});
const session = (i: number) => ({
  id: `b${i}`, protocol: 'rtmp', clientAddress: '203.0.113.1', startedAt: at(i), endedAt: at(i - 0.5), endReason: `reason ${i}`, reconnectCount: 0, gaps: [], vod: null,
});
const delivery = (i: number) => ({
  id: `d${i}`, eventId: `e${i}`, eventType: 'stream.live', status: 'succeeded', attempts: 1, lastStatusCode: 200 + i,
  lastError: null, createdAt: at(i), deliveredAt: at(i),
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

/** Answers a list route page by page: `pages[0]` without a cursor, then `pages[n]` for cursor `c<n>`. */
function paged(key: string, pages: unknown[][]) {
  return (c: RecordedCall) => {
    const cursor = new URL(c.url, 'http://x').searchParams.get('cursor');
    const n = cursor === null ? 0 : Number(cursor.slice(1));
    const items = pages[n];
    if (!items) return apiError(400, 'validation_error', 'Invalid query');
    return json(200, { [key]: items, nextCursor: n + 1 < pages.length ? `c${n + 1}` : null });
  };
}
const cursorsOf = (calls: RecordedCall[], path: string) =>
  calls.filter((c) => c.url.split('?')[0] === path).map((c) => new URL(c.url, 'http://x').searchParams.get('cursor'));

function renderAt(path: string) {
  setSession({ token: fakeJwt(3600), user: USER });
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

describe('Load more', () => {
  it('streams: appends the next pages in order and stops on the last one', async () => {
    const { calls } = installFakeFetch({
      'GET /api/streams': paged('streams', [range(0, 3).map((i) => stream(i)), range(3, 6).map((i) => stream(i)), [stream(6)]]),
      'GET /api/events': () => sseResponse().response,
    });
    renderAt('/streams');
    expect(await screen.findAllByTestId('stream-item')).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Load more streams' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('stream-item')).toHaveLength(6));
    await userEvent.click(screen.getByRole('button', { name: 'Load more streams' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('stream-item')).toHaveLength(7));
    expect(screen.getAllByTestId('stream-item').map((li) => li.getAttribute('data-stream-id'))).toEqual(range(0, 7).map((i) => `s${i}`));
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
    expect(cursorsOf(calls, '/api/streams')).toEqual([null, 'c1', 'c2']);
  });

  it('streams: a live status event updates a row from a later page', async () => {
    const sse = sseResponse();
    installFakeFetch({
      'GET /api/streams': paged('streams', [[stream(0)], [stream(1)]]),
      'GET /api/events': () => sse.response,
      'GET /api/streams/s1/stats': () => apiError(404, 'not_found', 'Not found'),
    });
    renderAt('/streams');
    await userEvent.click(await screen.findByRole('button', { name: 'Load more streams' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('stream-item')).toHaveLength(2));
    await screen.findByText('Live updates on');
    sse.push('event: stream.status\ndata: {"streamId":"s1","status":"live","at":"2026-11-22T01:00:00.000Z"}\n\n');
    const second = screen.getAllByTestId('stream-item')[1]!;
    await vi.waitFor(() => expect(within(second).getByTestId('status-badge')).toHaveTextContent('LIVE'));
  });

  it('streams: search and status filter go to the API and start from the first page', async () => {
    const { calls } = installFakeFetch({
      'GET /api/streams': (c) => {
        const q = new URL(c.url, 'http://x').searchParams;
        if (q.get('q') === 'friday' && q.get('status') === 'live') return json(200, { streams: [stream(9, { name: 'Friday', status: 'live' })], nextCursor: null });
        return paged('streams', [[stream(0)], [stream(1)]])(c);
      },
      'GET /api/events': () => sseResponse().response,
      'GET /api/streams/s9/stats': () => apiError(404, 'not_found', 'Not found'),
    });
    renderAt('/streams');
    await screen.findAllByTestId('stream-item');
    await userEvent.type(screen.getByRole('searchbox'), 'friday');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'live');
    await vi.waitFor(() => expect(screen.getAllByTestId('stream-item').map((li) => li.textContent)).toEqual([expect.stringContaining('Friday')]));
    expect(calls.filter((c) => c.url.startsWith('/api/streams?')).at(-1)!.url).toBe('/api/streams?q=friday&status=live');
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
  });

  it('VODs: the next page failing says so and can be retried; nothing loaded is lost', async () => {
    let fail = true;
    const pages = paged('vods', [range(0, 2).map((i) => vod(i)), range(2, 4).map((i) => vod(i))]);
    installFakeFetch({
      'GET /api/vods': (c) => (c.url.includes('cursor=') && fail ? apiError(503, 'unavailable', 'Database busy') : pages(c)),
      'GET /api/streams': () => json(200, { streams: [], nextCursor: null }),
    });
    renderAt('/vods');
    expect(await screen.findAllByTestId('vod-item')).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Load more recordings' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load more recordings: Database busy');
    expect(screen.getAllByTestId('vod-item')).toHaveLength(2);
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Load more recordings' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('vod-item')).toHaveLength(4));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(range(0, 4).map((i) => `Recording ${i}`));
  });

  it('VODs: the 10 s refresh while a recording is processing keeps every loaded page', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let ready = false;
      const { calls } = installFakeFetch({
        'GET /api/vods': (c) => paged('vods', [[vod(0, { status: ready ? 'ready' : 'processing' })], [vod(1)]])(c),
        'GET /api/streams': () => json(200, { streams: [], nextCursor: null }),
      });
      renderAt('/vods');
      await screen.findAllByTestId('vod-item');
      await userEvent.click(screen.getByRole('button', { name: 'Load more recordings' }));
      await vi.waitFor(() => expect(screen.getAllByTestId('vod-item')).toHaveLength(2));
      ready = true;
      await vi.advanceTimersByTimeAsync(10_000);
      await vi.waitFor(() => expect(screen.getAllByTestId('vod-item')[0]).toHaveAttribute('data-status', 'ready'));
      expect(screen.getAllByTestId('vod-item')).toHaveLength(2);
      expect(cursorsOf(calls, '/api/vods')).toEqual([null, 'c1', null, 'c1']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('past broadcasts on the stream page', async () => {
    const { calls } = installFakeFetch({
      'GET /api/streams/s1': () => json(200, { stream: stream(1) }),
      'GET /api/streams/s1/ingest': () => json(200, { rtmp: { server: 'rtmp://m/app', streamKey: 'k' }, srt: { url: 'srt://m' }, whip: { url: 'http://m' } }),
      'GET /api/streams/s1/playback': () => json(200, { webrtc: 'ws://m/app/s1', llhls: 'http://m/app/s1/llhls.m3u8', token: null, expiresAt: null }),
      'GET /api/streams/s1/sessions': paged('sessions', [[session(1), session(2)], [session(3)]]),
      'GET /api/streams/s1/events': () => sseResponse().response,
    });
    renderAt('/streams/s1');
    expect(await screen.findByText('reason 2')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more broadcasts' }));
    expect(await screen.findByText('reason 3')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(1 + 3);
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
    expect(cursorsOf(calls, '/api/streams/s1/sessions')).toEqual([null, 'c1']);
  });

  it('webhook endpoints and their deliveries', async () => {
    const endpoint = (i: number) => ({ id: `w${i}`, url: `https://example.com/h${i}`, events: ['stream.live'], enabled: true, createdAt: at(i) });
    const { calls } = installFakeFetch({
      'GET /api/webhooks': paged('endpoints', [[endpoint(1)], [endpoint(2)]]),
      'GET /api/webhooks/w2/deliveries': paged('deliveries', [[delivery(1), delivery(2)], [delivery(3)]]),
    });
    renderAt('/webhooks');
    expect(await screen.findAllByTestId('webhook-endpoint')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Load more endpoints' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('webhook-endpoint')).toHaveLength(2));
    const second = screen.getAllByTestId('webhook-endpoint')[1]!;
    await userEvent.click(within(second).getByRole('button', { name: 'Show deliveries' }));
    expect(await within(second).findByRole('cell', { name: '202' })).toBeInTheDocument();
    await userEvent.click(within(second).getByRole('button', { name: 'Load more deliveries' }));
    expect(await within(second).findByRole('cell', { name: '203' })).toBeInTheDocument();
    expect(within(second).queryByRole('button', { name: /Load more/ })).toBeNull();
    expect(cursorsOf(calls, '/api/webhooks/w2/deliveries')).toEqual([null, 'c1']);
  });
});
