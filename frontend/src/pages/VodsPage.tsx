import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { deleteVod, isUnavailable, listStreams, listVods, type Vod } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBanner, Loading, errorMessage } from '../components/Feedback';
import { StatusBadge } from '../components/StatusBadge';
import { useApi, useInterval } from '../hooks/useApi';
import { formatBytes, formatDate, formatDuration } from '../utils/format';

const inProgress = (v: Vod) => v.status === 'pending' || v.status === 'processing';

export function VodsPage() {
  const [params] = useSearchParams();
  const streamId = params.get('streamId') ?? undefined;
  const vods = useApi((signal) => listVods(streamId, signal), [streamId]);
  const streams = useApi((signal) => listStreams(signal), []);
  const [actionError, setActionError] = useState<string | null>(null);
  const names = new Map((streams.data?.streams ?? []).map((s) => [s.id, s.name]));
  const list = vods.data?.vods ?? [];

  // Recordings being processed change status on their own: refresh until none is left.
  useInterval(() => vods.reload(), 10_000, list.some(inProgress), false);

  const filterName = streamId ? names.get(streamId) : undefined;
  return (
    <section>
      <div className="page-head">
        <h1>VOD library{filterName ? `: ${filterName}` : ''}</h1>
        {streamId && <Link to="/vods">Show all recordings</Link>}
      </div>
      {vods.loading && !vods.data && <Loading label="Loading recordings…" />}
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
      {vods.data && list.length === 0 && (
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
                  {v.sizeBytes != null && <span className="muted"> · {formatBytes(v.sizeBytes)}</span>}
                </p>
                {v.status === 'failed' && v.error && <p className="field-error">Failed: {v.error}</p>}
                <p className="muted small">
                  {names.get(v.streamId) ?? 'Deleted stream'} · {formatDate(v.createdAt)}
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
                      vods.setData((prev) => (prev ? { vods: prev.vods.filter((x) => x.id !== v.id) } : prev));
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
    </section>
  );
}
