import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import {
  getStreamHealth,
  ApiError,
  deleteStream,
  disableStream,
  enableStream,
  getIngest,
  getPlayback,
  getSessions,
  getStream,
  isApiError,
} from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBanner, Loading, errorMessage } from '../components/Feedback';
import { Player } from '../components/player/Player';
import { liveSources } from '../components/player/sources';
import { StatusBadge } from '../components/StatusBadge';
import { HealthPanel } from '../components/stream/HealthPanel';
import { LiveHealthCharts } from '../components/stream/HealthCharts';
import { IngestPanel } from '../components/stream/IngestPanel';
import { OutputsPanel } from '../components/stream/OutputsPanel';
import { SessionsTable } from '../components/stream/SessionsTable';
import { StatsPanel } from '../components/stream/StatsPanel';
import { ViewerLatencyPanel } from '../components/stream/ViewerLatencyPanel';
import { WatchLinkPanel } from '../components/stream/WatchLinkPanel';
import { LoadMore } from '../components/LoadMore';
import { useApi } from '../hooks/useApi';
import { usePagedList } from '../hooks/usePagedList';
import { useStatusEvents } from '../hooks/useStatusEvents';
import { formatDate } from '../utils/format';

export function StreamPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const [actionError, setActionError] = useState<string | null>(null);

  const stream = useApi((signal) => getStream(id, signal), [id]);
  const ingest = useApi((signal) => getIngest(id, signal), [id]);
  const playback = useApi((signal) => getPlayback(id, signal), [id]);
  const sessions = usePagedList((cursor, signal) => getSessions(id, { cursor, signal }), [id]);
  const health = useApi((signal) => getStreamHealth(id, signal), [id]);

  // On air but the list has no open broadcast: it was read just before this one started (the page
  // opened as it did, so no status change followed). Read it again, once per broadcast.
  const recheckedFor = useRef<string | null>(null);
  const st = stream.data?.stream;
  const missingOpen = (st?.status === 'live' || st?.status === 'reconnecting') && sessions.items !== undefined && !sessions.items.some((x) => !x.endedAt);
  useEffect(() => {
    const key = `${st?.id}:${st?.lastStartedAt}`;
    if (missingOpen && recheckedFor.current !== key) {
      recheckedFor.current = key;
      sessions.refresh();
    }
  }, [missingOpen, st?.id, st?.lastStartedAt, sessions.refresh]);

  useStatusEvents(id ? `/api/streams/${encodeURIComponent(id)}/events` : null, (ev) => {
    if (ev.streamId !== id) return;
    const before = stream.data?.stream.status;
    stream.setData((prev) => (prev ? { stream: { ...prev.stream, status: ev.status, reconnectDeadline: ev.reconnectDeadline } } : prev));
    if (before !== ev.status) {
      // Status changed: refresh what depends on it (timestamps, sessions, a fresh playback token).
      stream.reload();
      sessions.refresh();
      if (ev.status === 'live') playback.reload();
      health.reload();
    }
  }, (h) => {
    if (h.streamId !== id) return;
    // The event carries the whole open set; history is refreshed in the background.
    health.setData((prev) => ({ current: h.alerts, history: prev?.history ?? [] }));
    health.reload();
  });

  if (stream.loading && !stream.data) return <Loading label="Loading stream…" />;
  if (stream.error != null) {
    if (isApiError(stream.error, 'not_found'))
      return (
        <ErrorBanner error={stream.error}>
          This stream does not exist or you do not have access to it. <Link to="/streams">Back to streams</Link>
        </ErrorBanner>
      );
    return <ErrorBanner error={stream.error} retry={stream.reload} />;
  }
  if (!stream.data) return null;
  const s = stream.data.stream;
  const live = s.status === 'live';
  // Reconnecting: the broadcast is still open (its encoder dropped), so it cannot be deleted yet.
  const onAir = live || s.status === 'reconnecting';
  const onAirSession = onAir ? sessions.items?.find((x) => !x.endedAt) : undefined;

  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(
        e instanceof ApiError && e.code === 'stream_live'
          ? 'Stop the broadcast in OBS before deleting this stream.'
          : errorMessage(e),
      );
    }
  };

  return (
    <section>
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/streams">Streams</Link> /
          </p>
          <h1>
            {s.name} <StatusBadge status={s.status} deadline={s.reconnectDeadline} />
            {s.visibility === 'private' && <span className="tag">Private</span>}
          </h1>
          {s.description && <p className="muted">{s.description}</p>}
          <p className="muted small">
            {live
              ? `Live since ${formatDate(s.lastStartedAt)}`
              : s.lastStartedAt
                ? `Last live ${formatDate(s.lastEndedAt ?? s.lastStartedAt)}`
                : 'Not live yet'}{' '}
            · Recording {s.record ? 'on' : 'off'}
          </p>
        </div>
        <div className="actions">
          <Link to={`/streams/${s.id}/edit`} className="btn">
            Edit
          </Link>
          {s.status === 'disabled' ? (
            <button type="button" className="btn" onClick={() =>
                void act(async () => {
                  await enableStream(s.id);
                  stream.reload();
                })
              }>
              Enable
            </button>
          ) : (
            <ConfirmButton
              label="Disable"
              question="Disable this stream? Publishing and playback will be refused until you enable it again, and a live broadcast is cut off."
              confirmLabel="Yes, disable"
              onConfirm={() =>
                act(async () => {
                  await disableStream(s.id);
                  stream.reload();
                })
              }
            />
          )}
          <ConfirmButton
            label="Delete"
            question={`Delete “${s.name}”? This cannot be undone.`}
            confirmLabel="Yes, delete"
            danger
            disabled={onAir}
            onConfirm={() =>
              act(async () => {
                await deleteStream(s.id);
                navigate('/streams', { replace: true });
              })
            }
          />
          {onAir && <span className="muted small">Stop the broadcast to delete</span>}
        </div>
      </div>
      {created && s.status === 'idle' && !s.lastStartedAt && (
        <p className="banner banner-info" role="status">
          Stream created. Copy the OBS settings below, then start streaming.
        </p>
      )}
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      <div className="grid-2">
        <div className="stack">
          <section className="card" aria-labelledby="preview">
            <h2 id="preview">Preview</h2>
            {live && playback.data && <Player sources={liveSources(playback.data)} title={s.name} />}
            {live && playback.error != null && <ErrorBanner error={playback.error} retry={playback.reload} />}
            {live && !playback.data && playback.loading && <Loading label="Loading playback…" />}
            {!live && (
              <div className="player-placeholder">
                <p>
                  {s.status === 'disabled'
                    ? 'This stream is disabled.'
                    : s.status === 'reconnecting'
                      ? 'The encoder disconnected. Waiting for it to come back into this broadcast…'
                      : 'The preview appears here when you go live.'}
                </p>
              </div>
            )}
          </section>
          {live && <StatsPanel streamId={s.id} />}
          {onAirSession && <LiveHealthCharts key={onAirSession.id} streamId={s.id} sessionId={onAirSession.id} />}
          {health.data && <HealthPanel current={health.data.current} history={health.data.history} onAir={live || s.status === 'reconnecting'} />}
          {sessions.items && <ViewerLatencyPanel streamId={s.id} sessions={sessions.items} />}
        </div>
        <div className="stack">
          {ingest.data && <IngestPanel streamId={s.id} ingest={ingest.data} onRotated={(i) => ingest.setData(() => i)} />}
          {ingest.loading && !ingest.data && <Loading label="Loading OBS settings…" />}
          {ingest.error != null && <ErrorBanner error={ingest.error} retry={ingest.reload} />}
          <WatchLinkPanel stream={s} playback={playback.data} />
          <OutputsPanel streamId={s.id} onAir={live || s.status === 'reconnecting'} />
        </div>
      </div>
      <section className="card" aria-labelledby="sessions">
        <div className="page-head">
          <h2 id="sessions">Past broadcasts</h2>
          <Link to={`/vods?streamId=${encodeURIComponent(s.id)}`}>Recordings of this stream</Link>
        </div>
        {sessions.loading && !sessions.items && <Loading label="Loading broadcasts…" />}
        {sessions.error != null && <ErrorBanner error={sessions.error} retry={sessions.reload} />}
        {sessions.items && <SessionsTable streamId={s.id} sessions={sessions.items} />}
        <LoadMore list={sessions} what="broadcasts" />
      </section>
    </section>
  );
}
