import { afterEach, describe, expect, it, vi } from 'vitest';
import { render as rtlRender, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import type { StreamSession } from '../../api';
import { setSession } from '../../api';
import { fakeJwt, installFakeFetch, json, USER } from '../../test/fakeFetch';
import { plots, plotWith } from '../../test/fakeUPlot';
import { SessionsTable } from './SessionsTable';

vi.mock('../charts/loadUPlot', async () => {
  const { FakeUPlot } = await import('../../test/fakeUPlot');
  return { loadUPlot: () => Promise.resolve(FakeUPlot) };
});

afterEach(() => {
  plots.length = 0;
  vi.unstubAllGlobals();
});

const render = (ui: ReactElement) => rtlRender(<MemoryRouter>{ui}</MemoryRouter>);

const session = (over: Partial<StreamSession>): StreamSession => ({
  id: 's1',
  protocol: 'rtmp',
  clientAddress: '203.0.113.9',
  startedAt: '2026-12-04T04:00:00.000Z',
  endedAt: null,
  endReason: null,
  reconnectCount: 0,
  gaps: [],
  vod: null,
  ...over,
});

describe('SessionsTable', () => {
  it('shows the reconnect count and every gap with its length; an expired last gap says the publisher did not return', () => {
    render(
      <SessionsTable streamId="st1"
        sessions={[
          session({
            id: 'a',
            endedAt: '2026-12-04T04:30:00.000Z',
            endReason: 'reconnect_window_expired',
            reconnectCount: 2,
            gaps: [
              { startedAt: '2026-12-04T04:05:00.000Z', endedAt: '2026-12-04T04:05:08.000Z' },
              { startedAt: '2026-12-04T04:10:00.000Z', endedAt: '2026-12-04T04:10:42.000Z' },
              { startedAt: '2026-12-04T04:30:00.000Z', endedAt: null },
            ],
          }),
        ]}
      />,
    );
    const row = screen.getByTestId('session-row');
    expect(within(row).getByTestId('reconnect-count')).toHaveTextContent('2');
    const gaps = within(row).getAllByRole('listitem').map((li) => li.textContent);
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toMatch(/\(0:08\)$/);
    expect(gaps[1]).toMatch(/\(0:42\)$/);
    expect(gaps[2]).toMatch(/publisher did not return$/);
    expect(row).toHaveTextContent('reconnect_window_expired');
  });

  it('an open session with an open gap is reconnecting; without one it is still live', () => {
    render(
      <SessionsTable streamId="st1"
        sessions={[
          session({ id: 'r', gaps: [{ startedAt: '2026-12-04T04:05:00.000Z', endedAt: null }] }),
          session({ id: 'l', startedAt: '2026-12-04T03:00:00.000Z' }),
        ]}
      />,
    );
    const [reconnecting, live] = screen.getAllByTestId('session-row');
    expect(reconnecting).toHaveTextContent('waiting for the publisher');
    // Ended because, then Recording: an open broadcast has neither yet.
    const cellsOf = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cellsOf(reconnecting!).slice(4, 6)).toEqual(['reconnecting', '—']);
    expect(cellsOf(live!).slice(4, 6)).toEqual(['still live', '—']);
    expect(within(live!).queryByRole('list')).toBeNull();
  });

  it("links each past broadcast to its VOD once it plays, and says when it is still being made or failed", () => {
    render(
      <SessionsTable streamId="st1"
        sessions={[
          session({ id: 'ready', endedAt: '2026-12-04T04:30:00.000Z', endReason: 'publisher_left', vod: { id: '11111111-2222-4333-8444-555555555555', status: 'ready' } }),
          session({ id: 'busy', endedAt: '2026-12-04T03:30:00.000Z', endReason: 'publisher_left', vod: { id: '21111111-2222-4333-8444-555555555555', status: 'processing' } }),
          session({ id: 'bad', endedAt: '2026-12-04T02:30:00.000Z', endReason: 'publisher_left', vod: { id: '31111111-2222-4333-8444-555555555555', status: 'failed' } }),
          session({ id: 'none', endedAt: '2026-12-04T01:30:00.000Z', endReason: 'publisher_left' }),
        ]}
      />,
    );
    const cells = screen.getAllByTestId('session-vod');
    expect(within(cells[0]!).getByRole('link', { name: 'Watch VOD' })).toHaveAttribute('href', '/vods/11111111-2222-4333-8444-555555555555');
    expect(cells[1]).toHaveTextContent('processing…');
    expect(within(cells[1]!).queryByRole('link')).toBeNull();
    expect(cells[2]).toHaveTextContent('failed');
    expect(cells[3]).toHaveTextContent('none');
  });

  it('opens a past broadcast\'s health charts with its peak viewers and viewer-minutes below its row, and closes them', async () => {
    setSession({ token: fakeJwt(3600), user: USER });
    const at = '2026-12-04T04:00:05.000Z';
    const { calls } = installFakeFetch({
      'GET /api/streams/st1/sessions/past/health': () =>
        json(200, { intervalMs: 5000, peakViewers: 9, viewerMinutes: 41.5, samples: [{ at, bitrateInBps: 4_000_000, fps: 60, viewers: { webrtc: 7, llhls: 2, total: 9 } }] }),
    });
    render(
      <SessionsTable
        streamId="st1"
        sessions={[session({ id: 'open' }), session({ id: 'past', startedAt: '2026-12-04T04:00:00.000Z', endedAt: '2026-12-04T04:30:00.000Z', endReason: 'publisher_left' })]}
      />,
    );
    const [open, past] = screen.getAllByTestId('session-row');
    expect(within(open!).queryByRole('button')).toBeNull(); // the broadcast on air has its charts on the page
    expect(open).toHaveTextContent('charts above');
    const button = within(past!).getByRole('button', { name: /^Show charts of the broadcast started/ });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(calls).toHaveLength(0); // nothing fetched until asked
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const detail = screen.getByTestId('session-health');
    expect(button).toHaveAttribute('aria-controls', detail.id);
    expect(await within(detail).findByTestId('peak-viewers')).toHaveTextContent('9');
    expect(within(detail).getByTestId('viewer-minutes')).toHaveTextContent('41.5');
    await vi.waitFor(() => expect(plots).toHaveLength(3));
    expect(plotWith('WebRTC').data).toEqual([[Date.parse(at) / 1000], [7], [2], [9]]);
    expect(plotWith('Input bitrate').data).toEqual([[Date.parse(at) / 1000], [4]]);
    await userEvent.click(within(past!).getByRole('button', { name: /^Hide charts/ }));
    expect(screen.queryByTestId('session-health')).toBeNull();
    expect(plots.every((p) => p.destroyed)).toBe(true);
  });
});
