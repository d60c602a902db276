import { Link } from 'react-router';
import { listStreams, type Stream } from '../api';
import { ErrorBanner, Loading } from '../components/Feedback';
import { StatusBadge } from '../components/StatusBadge';
import { StreamRowStats } from '../components/stream/StreamRowStats';
import { useApi } from '../hooks/useApi';
import { useStatusEvents } from '../hooks/useStatusEvents';
import { formatDate } from '../utils/format';

export function StreamsPage() {
  const { data, error, loading, reload, setData } = useApi((signal) => listStreams(signal), []);
  const connection = useStatusEvents('/api/events', (ev) => {
    setData((prev) => {
      if (!prev) return prev;
      return {
        streams: prev.streams.map((s: Stream) =>
          s.id === ev.streamId
            ? { ...s, status: ev.status, ...(ev.status === 'live' ? { lastStartedAt: ev.at } : {}) }
            : s,
        ),
      };
    });
    // A stream created elsewhere (another tab): fetch the list again.
    if (data && !data.streams.some((s) => s.id === ev.streamId)) reload();
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
      {loading && !data && <Loading label="Loading streams…" />}
      {error != null && <ErrorBanner error={error} retry={reload} />}
      {data && data.streams.length === 0 && (
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
      {data && data.streams.length > 0 && (
        <ul className="stream-list" aria-label="Your streams">
          {data.streams.map((s) => (
            <li key={s.id} className="card stream-item" data-testid="stream-item" data-stream-id={s.id}>
              <div className="stream-item-main">
                <Link to={`/streams/${s.id}`} className="stream-name">
                  {s.name}
                </Link>
                <StatusBadge status={s.status} />
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
    </section>
  );
}
