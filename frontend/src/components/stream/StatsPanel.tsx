import { formatBitrate } from '../../utils/format';
import { useStats } from './useStats';

/** Stream health while live: input bitrate, fps, resolution, viewers. */
export function StatsPanel({ streamId }: { streamId: string }) {
  const state = useStats(streamId, true, 5000);
  const input = state.kind === 'ok' ? state.stats.input : null;
  const viewers = state.kind === 'ok' ? state.stats.viewers : { total: 0, webrtc: 0, llhls: 0 };
  return (
    <section className="card" aria-labelledby="health">
      <h2 id="health">Stream health</h2>
      {state.kind === 'loading' && <p className="muted">Loading stats…</p>}
      {state.kind === 'unavailable' && <p className="muted">Stats unavailable right now.</p>}
      {state.kind === 'error' && <p className="muted">Stats unavailable: {state.message}</p>}
      {state.kind === 'ok' && !state.stats.live && <p className="muted">The media server does not report this stream yet.</p>}
      {state.kind === 'ok' && state.stats.live && (
        <dl className="stats" data-testid="stats">
          <div>
            <dt>Bitrate</dt>
            <dd>{formatBitrate(input?.bitrateBps)}</dd>
          </div>
          <div>
            <dt>FPS</dt>
            <dd>{input?.fps != null ? Math.round(input.fps) : '—'}</dd>
          </div>
          <div>
            <dt>Resolution</dt>
            <dd>{input?.width != null && input.height != null ? `${input.width}×${input.height}` : '—'}</dd>
          </div>
          <div>
            <dt>Viewers</dt>
            <dd>
              {viewers.total}{' '}
              <span className="muted small">
                (WebRTC {viewers.webrtc}, LL-HLS {viewers.llhls})
              </span>
            </dd>
          </div>
          {(input?.videoCodec || input?.audioCodec) && (
            <div>
              <dt>Codecs</dt>
              <dd>{[input.videoCodec, input.audioCodec].filter(Boolean).join(' / ')}</dd>
            </div>
          )}
        </dl>
      )}
    </section>
  );
}
