import { describe, expect, it } from 'vitest';
import { render as rtlRender, screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import type { StreamSession } from '../../api';
import { SessionsTable } from './SessionsTable';

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
      <SessionsTable
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
      <SessionsTable
        sessions={[
          session({ id: 'r', gaps: [{ startedAt: '2026-12-04T04:05:00.000Z', endedAt: null }] }),
          session({ id: 'l', startedAt: '2026-12-04T03:00:00.000Z' }),
        ]}
      />,
    );
    const [reconnecting, live] = screen.getAllByTestId('session-row');
    expect(reconnecting).toHaveTextContent('waiting for the publisher');
    expect(reconnecting).toHaveTextContent(/reconnecting—$/);
    expect(live).toHaveTextContent(/still live—$/);
    expect(within(live!).queryByRole('list')).toBeNull();
  });

  it("links each past broadcast to its VOD once it plays, and says when it is still being made or failed", () => {
    render(
      <SessionsTable
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
});
