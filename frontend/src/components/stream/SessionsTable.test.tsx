import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import type { StreamSession } from '../../api';
import { SessionsTable } from './SessionsTable';

const session = (over: Partial<StreamSession>): StreamSession => ({
  id: 's1',
  protocol: 'rtmp',
  clientAddress: '203.0.113.9',
  startedAt: '2026-12-04T04:00:00.000Z',
  endedAt: null,
  endReason: null,
  reconnectCount: 0,
  gaps: [],
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
    expect(reconnecting).toHaveTextContent(/reconnecting$/);
    expect(live).toHaveTextContent(/still live$/);
    expect(within(live!).queryByRole('list')).toBeNull();
  });
});
