import type { StreamStatus, VodStatus } from '../api';

const LABELS: Record<StreamStatus | VodStatus, string> = {
  idle: 'Idle',
  live: 'LIVE',
  ended: 'Ended',
  disabled: 'Disabled',
  pending: 'Pending',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

export function StatusBadge({ status }: { status: StreamStatus | VodStatus }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status}>
      {LABELS[status]}
    </span>
  );
}
