import type { StreamStatus, VodStatus } from '../api';
import { useNow } from '../hooks/useNow';
import { formatCountdown } from '../utils/format';

const LABELS: Record<StreamStatus | VodStatus, string> = {
  idle: 'Idle',
  live: 'LIVE',
  reconnecting: 'Reconnecting…',
  ended: 'Ended',
  disabled: 'Disabled',
  pending: 'Pending',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

/**
 * A status pill. While a stream is `reconnecting`, `deadline` (the server's reconnect deadline)
 * turns it into a live countdown: "Reconnecting… 0:42 left".
 */
export function StatusBadge({ status, deadline }: { status: StreamStatus | VodStatus; deadline?: string | null }) {
  const until = status === 'reconnecting' && deadline ? Date.parse(deadline) : NaN;
  const counting = !Number.isNaN(until);
  const now = useNow(counting);
  const label = counting ? `${LABELS[status]} ${formatCountdown(until, now)} left` : LABELS[status];
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status} {...(counting ? { role: 'timer', 'aria-live': 'off' as const } : {})}>
      {label}
    </span>
  );
}
