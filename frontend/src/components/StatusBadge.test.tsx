import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { useLayoutEffect } from 'react';
import { StatusBadge } from './StatusBadge';
import { formatCountdown } from '../utils/format';

describe('StatusBadge', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-04T04:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('counts down to the reconnect deadline, live, and stops at 0:00', () => {
    render(<StatusBadge status="reconnecting" deadline="2026-12-04T04:00:42.000Z" />);
    const badge = screen.getByTestId('status-badge');
    expect(badge).toHaveTextContent('Reconnecting… 0:42 left');
    expect(badge).toHaveAttribute('data-status', 'reconnecting');
    act(() => void vi.advanceTimersByTime(1_000));
    expect(badge).toHaveTextContent('Reconnecting… 0:41 left');
    act(() => void vi.advanceTimersByTime(40_500));
    expect(badge).toHaveTextContent('Reconnecting… 0:01 left');
    act(() => void vi.advanceTimersByTime(5_000));
    expect(badge).toHaveTextContent('Reconnecting… 0:00 left');
  });

  it('a badge that turns into a countdown starts from the current time, not from when it was first shown', () => {
    // What each commit put on screen, read before effects run (a stale first frame would flash "1:05").
    const painted: string[] = [];
    function Probe() {
      useLayoutEffect(() => void painted.push(screen.getByTestId('status-badge').textContent!));
      return null;
    }
    const { rerender } = render(<><StatusBadge status="live" /><Probe /></>);
    vi.setSystemTime(new Date('2026-12-04T04:00:05.000Z')); // live for 5 s, no timer of the badge running
    rerender(<><StatusBadge status="reconnecting" deadline="2026-12-04T04:01:05.000Z" /><Probe /></>);
    expect(painted).toEqual(['LIVE', 'Reconnecting… 1:00 left']);
  });

  it('shows minutes for long windows, and plain labels without a deadline or in other statuses', () => {
    const { rerender } = render(<StatusBadge status="reconnecting" deadline="2026-12-04T04:30:00.000Z" />);
    expect(screen.getByTestId('status-badge')).toHaveTextContent('Reconnecting… 30:00 left');
    rerender(<StatusBadge status="reconnecting" deadline={null} />);
    expect(screen.getByTestId('status-badge')).toHaveTextContent(/^Reconnecting…$/);
    // Back to live: the deadline of the old window is ignored.
    rerender(<StatusBadge status="live" deadline="2026-12-04T04:30:00.000Z" />);
    expect(screen.getByTestId('status-badge')).toHaveTextContent(/^LIVE$/);
  });

  it('formats the time left', () => {
    expect(formatCountdown(60_000, 0)).toBe('1:00');
    expect(formatCountdown(59_001, 0)).toBe('1:00');
    expect(formatCountdown(59_000, 0)).toBe('0:59');
    expect(formatCountdown(0, 5_000)).toBe('0:00');
    expect(formatCountdown(1_800_000, 0)).toBe('30:00');
  });
});
