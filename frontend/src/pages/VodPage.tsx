import { useState } from 'react';
import type { OvenPlayerInstance } from 'ovenplayer';
import { Link, useNavigate, useParams } from 'react-router';
import { deleteVod, getVod, isApiError } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBanner, Loading } from '../components/Feedback';
import { Player } from '../components/player/Player';
import { playlistToken } from '../components/player/beacons';
import { QualityMenu } from '../components/player/QualityMenu';
import { vodSources } from '../components/player/sources';
import { StatusBadge } from '../components/StatusBadge';
import { ClipPanel } from '../components/vod/ClipPanel';
import { DownloadButton } from '../components/vod/DownloadButton';
import { useApi } from '../hooks/useApi';
import { formatBytes, formatDate, formatDuration, formatTimecode, formatViews, formatWatchTime } from '../utils/format';

export function VodPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useApi((signal) => getVod(id, signal), [id]);
  const [player, setPlayer] = useState<OvenPlayerInstance | null>(null);

  if (loading && !data) return <Loading label="Loading recording…" />;
  if (error != null)
    return isApiError(error, 'not_found') ? (
      <ErrorBanner error={error}>
        This recording does not exist. <Link to="/vods">Back to the library</Link>
      </ErrorBanner>
    ) : (
      <ErrorBanner error={error} retry={reload} />
    );
  if (!data) return null;
  const { vod, playback } = data;
  return (
    <section>
      <p className="crumbs">
        <Link to="/vods">VOD library</Link> /
      </p>
      <div className="page-head">
        <h1>
          {vod.title} <StatusBadge status={vod.status} />
        </h1>
        <div className="actions">
          <DownloadButton vod={vod} />
          <ConfirmButton
            label="Delete"
            question="Delete this recording and its files?"
            confirmLabel="Yes, delete"
            danger
            onConfirm={async () => {
              await deleteVod(vod.id);
              navigate('/vods', { replace: true });
            }}
          />
        </div>
      </div>
      {vod.clip && (
        <p className="clip-of" data-testid="clip-of">
          Clip of{' '}
          {vod.clip.sourceId ? <Link to={`/vods/${vod.clip.sourceId}`}>{vod.clip.sourceTitle ?? 'the recording'}</Link> : <span>a recording that was deleted</span>}
          {vod.clip.actualStartMs != null && vod.clip.actualEndMs != null ? (
            <>
              , {formatTimecode(vod.clip.actualStartMs)} to {formatTimecode(vod.clip.actualEndMs)}{' '}
              <span className="muted">
                (asked for {formatTimecode(vod.clip.startMs)} to {formatTimecode(vod.clip.endMs)}; cut at keyframes)
              </span>
            </>
          ) : (
            <>
              , {formatTimecode(vod.clip.startMs)} to {formatTimecode(vod.clip.endMs)}
            </>
          )}
        </p>
      )}
      {playback ? (
        <>
          <Player
            sources={vodSources(playback.hls)}
            title={vod.title}
            poster={vod.posterUrl}
            onPlayer={setPlayer}
            beacon={(() => {
              const token = playlistToken(playback.hls);
              return token ? { kind: 'vod' as const, vodId: vod.id, token } : undefined;
            })()}
          />
          <QualityMenu player={player} renditions={vod.renditions} />
        </>
      ) : (
        <div className="player-placeholder">
          <p>
            {vod.status === 'failed'
              ? `Processing failed: ${vod.error ?? 'unknown reason'}`
              : 'This recording is still being processed.'}
          </p>
        </div>
      )}
      <p className="muted">
        Duration {formatDuration(vod.durationMs)} · Recorded {formatDate(vod.createdAt)} ·{' '}
        {vod.renditions.length > 1 && <>{vod.renditions.length} renditions · </>}
        {vod.storageBytes != null && <>{formatBytes(vod.storageBytes)} stored · </>}
        <span data-testid="vod-views">{formatViews(vod.views)}</span> · {formatWatchTime(vod.watchTimeSeconds)} watched ·{' '}
        <Link to={`/streams/${vod.streamId}`}>Stream</Link>
      </p>
      {playback && vod.status === 'ready' && <ClipPanel vod={vod} player={player} />}
    </section>
  );
}
