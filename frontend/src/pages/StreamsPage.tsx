import { useState } from 'react';
import { Link } from 'react-router';
import { listStreams, type StreamStatus } from '../api';
import { ErrorBanner, Loading } from '../components/Feedback';
import { ListFilters, type ListFilter } from '../components/ListFilters';
import { LoadMore } from '../components/LoadMore';
import { StatusBadge } from '../components/StatusBadge';
import { StreamRowStats } from '../components/stream/StreamRowStats';
import { usePagedList } from '../hooks/usePagedList';
import { useStatusEvents } from '../hooks/useStatusEvents';
import { formatDate } from '../utils/format';

const STATUSES = [
  { value: 'live', label: 'Live' },
  { value: 'reconnecting', label: 'Reconnecting' },
  { value: 'idle', label: 'Idle' },
  { value: 'ended', label: 'Ended' },
  { value: 'disabled', label: 'Disabled' },
] as const satisfies readonly { value: StreamStatus; label: string }[];
// Every status of the contract is offered (a new one is a compile error until it is listed).
const everyStatus: [Exclude<StreamStatus, (typeof STATUSES)[number]['value']>] extends [never] ? true : false = true;
void everyStatus;

export function StreamsPage() {
  const [filter, setFilter] = useState<ListFilter<StreamStatus>>({ q: '', status: '' });
  const filtered = filter.q !== '' || filter.status !== '';
  const list = usePagedList(
    (cursor, signal) => listStreams({ q: filter.q || undefined, status: filter.status || undefined }, { cursor, signal }),
    [filter.q, filter.status],
  );
  const streams = list.items;
  const connection = useStatusEvents('/api/events', (ev) => {
    if (!streams) return;
    if (streams.some((s) => s.id === ev.streamId)) {
      list.setItems((prev) =>
        prev.map((s) =>
          s.id === ev.streamId
            ? { ...s, status: ev.status, reconnectDeadline: ev.reconnectDeadline, ...(ev.status === 'live' && s.status !== 'reconnecting' ? { lastStartedAt: ev.at } : {}) }
            : s,
        ),
      );
      // A status filter may no longer hold for this stream: fetch the pages shown again.
      if (filter.status) list.refresh();
    } else {
      // A stream created elsewhere (another tab), one on a page not loaded yet, or one that now matches the filter.
      list.refresh();
    }
  });

  return (
    <section>
      <div className="page-head">
        <h1>Streams</h1>
        <Link to="/streams/new" className="btn btn-primary">
          New stream
        </Link>
      </div>
      <p className="muted small" aria-live="polite">
        {connection === 'open' ? 'Live updates on' : connection === 'reconnecting' ? 'Reconnecting to live updates…' : ''}
      </p>
      {(filtered || (streams && streams.length > 0)) && <ListFilters label="streams" statuses={STATUSES} value={filter} onChange={setFilter} />}
      {list.loading && !streams && <Loading label="Loading streams…" />}
      {list.error != null && <ErrorBanner error={list.error} retry={list.reload} />}
      {streams && streams.length === 0 && filtered && <p className="muted">No streams match.</p>}
      {streams && streams.length === 0 && !filtered && (
        <div className="empty card">
          <h2>No streams yet</h2>
          <p>
            Create your first stream, then copy its RTMP server and stream key into OBS (Settings → Stream → Service:
            Custom) and press <strong>Start Streaming</strong>.
          </p>
          <Link to="/streams/new" className="btn btn-primary">
            Create your first stream
          </Link>
        </div>
      )}
      {streams && streams.length > 0 && (
        <ul className="stream-list" aria-label="Your streams">
          {streams.map((s) => (
            <li key={s.id} className="card stream-item" data-testid="stream-item" data-stream-id={s.id}>
              <div className="stream-item-main">
                <Link to={`/streams/${s.id}`} className="stream-name">
                  {s.name}
                </Link>
                <StatusBadge status={s.status} deadline={s.reconnectDeadline} />
                {s.visibility === 'private' && <span className="tag">Private</span>}
              </div>
              <div className="stream-item-meta muted">
                {s.status === 'live' && <StreamRowStats streamId={s.id} />}
                <span>Created {formatDate(s.createdAt)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <LoadMore list={list} what="streams" />
    </section>
  );
}
