import { formatBitrate } from '../../utils/format';
import { useStats } from './useStats';

/** Viewer count and input bitrate of a live stream, for the streams list. */
export function StreamRowStats({ streamId }: { streamId: string }) {
  const state = useStats(streamId, true, 10_000);
  if (state.kind === 'loading') return <span className="muted">…</span>;
  if (state.kind !== 'ok') return <span className="muted">stats unavailable</span>;
  const { viewers, input } = state.stats;
  return (
    <span>
      {viewers.total} {viewers.total === 1 ? 'viewer' : 'viewers'} · {formatBitrate(input?.bitrateBps)}
    </span>
  );
}
