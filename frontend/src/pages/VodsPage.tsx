import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { deleteVod, getStream, getUsage, isUnavailable, listStreams, listVods, type Vod, type VodStatus } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBanner, Loading, errorMessage } from '../components/Feedback';
import { ListFilters, type ListFilter } from '../components/ListFilters';
import { LoadMore } from '../components/LoadMore';
import { StatusBadge } from '../components/StatusBadge';
import { useApi, useInterval } from '../hooks/useApi';
import { usePagedList } from '../hooks/usePagedList';
import { formatBytes, formatDate, formatDuration, formatViews, formatWatchTime } from '../utils/format';

const inProgress = (v: Vod) => v.status === 'pending' || v.status === 'processing';
const STATUSES = [
  { value: 'ready', label: 'Ready' },
  { value: 'processing', label: 'Processing' },
  { value: 'pending', label: 'Pending' },
  { value: 'failed', label: 'Failed' },
] as const satisfies readonly { value: VodStatus; label: string }[];
// Every status of the contract is offered (a new one is a compile error until it is listed).
const everyStatus: [Exclude<VodStatus, (typeof STATUSES)[number]['value']>] extends [never] ? true : false = true;
void everyStatus;

export function VodsPage() {
  const [params] = useSearchParams();
  const streamId = params.get('streamId') ?? undefined;
  const [filter, setFilter] = useState<ListFilter<VodStatus>>({ q: '', status: '' });
  const filtered = filter.q !== '' || filter.status !== '';
  const vods = usePagedList(
    (cursor, signal) => listVods({ streamId, q: filter.q || undefined, status: filter.status || undefined }, { cursor, signal }),
    [streamId, filter.q, filter.status],
  );
  // Names for the newest streams (one page of 100); older ones are linked as "stream".
  const streams = useApi((signal) => listStreams({}, { limit: 100, signal }), []);
  const filteredStream = useApi((signal) => (streamId ? getStream(streamId, signal) : Promise.resolve(null)), [streamId]);
  const usage = useApi((signal) => getUsage(signal), []);
  const [actionError, setActionError] = useState<string | null>(null);
  const names = new Map((streams.data?.items ?? []).map((s) => [s.id, s.name]));
  if (filteredStream.data) names.set(filteredStream.data.stream.id, filteredStream.data.stream.name);
  const list = vods.items ?? [];

  // Recordings being processed change status on their own: refresh the pages shown until none is left.
  useInterval(() => vods.refresh(), 10_000, list.some(inProgress), false);

  const filterName = streamId ? names.get(streamId) : undefined;
  return (
    <section>
      <div className="page-head">
        <h1>VOD library{filterName ? `: ${filterName}` : ''}</h1>
        {usage.data && (
          <p className="muted storage-used" data-testid="storage-used">
            Storage used: <strong>{formatBytes(usage.data.storageBytes)}</strong> in {usage.data.vods} {usage.data.vods === 1 ? 'recording' : 'recordings'}
            {usage.data.unmeasuredVods > 0 && ` (${usage.data.unmeasuredVods} not measured yet)`}
          </p>
        )}
        {streamId && <Link to="/vods">Show all recordings</Link>}
      </div>
      {(filtered || list.length > 0) && <ListFilters label="recordings" statuses={STATUSES} value={filter} onChange={setFilter} />}
      {vods.loading && !vods.items && <Loading label="Loading recordings…" />}
      {vods.error != null && isUnavailable(vods.error) && (
        <p className="banner banner-info" role="status">
          The VOD library is not available on this server yet.
        </p>
      )}
      {vods.error != null && !isUnavailable(vods.error) && <ErrorBanner error={vods.error} retry={vods.reload} />}
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      {vods.items && list.length === 0 && filtered && <p className="muted">No recordings match.</p>}
      {vods.items && list.length === 0 && !filtered && (
        <div className="empty card">
          <h2>No recordings yet</h2>
          <p>Broadcasts of streams with recording turned on show up here once processing finishes.</p>
        </div>
      )}
      {list.length > 0 && (
        <ul className="vod-grid" aria-label="Recordings">
          {list.map((v) => (
            <li key={v.id} className="card vod-item" data-testid="vod-item" data-status={v.status}>
              <div className="poster">
                {v.posterUrl ? <img src={v.posterUrl} alt={`Poster of ${v.title}`} loading="lazy" /> : <span aria-hidden="true">▶</span>}
              </div>
              <div className="vod-body">
                <h2 className="vod-title">
                  {v.status === 'ready' ? <Link to={`/vods/${v.id}`}>{v.title}</Link> : v.title}
                </h2>
                <p>
                  <StatusBadge status={v.status} /> <span className="muted">{formatDuration(v.durationMs)}</span>
                  {(v.storageBytes ?? v.sizeBytes) != null && <span className="muted"> · {formatBytes(v.storageBytes ?? v.sizeBytes)}</span>}
                  {v.status === 'ready' && (
                    <span className="muted" data-testid="vod-views">
                      {' '}· {formatViews(v.views)} · {formatWatchTime(v.watchTimeSeconds)} watched
                    </span>
                  )}
                </p>
                {v.status === 'failed' && v.error && <p className="field-error">Failed: {v.error}</p>}
                <p className="muted small">
                  {v.streamId === null ? 'Deleted stream' : <Link to={`/streams/${v.streamId}`}>{names.get(v.streamId) ?? 'Stream'}</Link>} ·{' '}
                  {formatDate(v.createdAt)}
                </p>
                <ConfirmButton
                  label="Delete"
                  question={`Delete the recording “${v.title}”? Its files are removed too.`}
                  confirmLabel="Yes, delete"
                  danger
                  onConfirm={async () => {
                    setActionError(null);
                    try {
                      await deleteVod(v.id);
                      vods.setItems((prev) => prev.filter((x) => x.id !== v.id));
                    } catch (e) {
                      setActionError(errorMessage(e));
                    }
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      <LoadMore list={vods} what="recordings" />
    </section>
  );
}
