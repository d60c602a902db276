import { useState } from 'react';
import { getSessionLatency, type ProtocolLatency, type SessionLatency, type StreamSession } from '../../api';
import { useApi, useInterval } from '../../hooks/useApi';
import { formatDate, sessionDuration } from '../../utils/format';

/** The live view covers the last this many minutes of the broadcast on air, refreshed this often. */
export const LIVE_WINDOW_MINUTES = 5;
export const LIVE_REFRESH_MS = 10_000;

const PROTOCOLS = [
  ['webrtc', 'WebRTC'],
  ['llhls', 'LL-HLS'],
] as const;

export function formatLatency(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function LatencyTable({ data, caption }: { data: SessionLatency; caption: string }) {
  const rows = PROTOCOLS.map(([key, label]) => [label, data.protocols[key]] as const);
  if (rows.every(([, p]) => p.samples === 0)) return <p className="muted">{caption}: no player has reported yet.</p>;
  return (
    <table aria-label={caption}>
      <thead>
        <tr>
          <th scope="col">Protocol</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
          <th scope="col">Viewers</th>
          <th scope="col">Samples</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, p]: readonly [string, ProtocolLatency]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{formatLatency(p.p50Ms)}</td>
            <td>{formatLatency(p.p95Ms)}</td>
            <td>{p.viewers}</td>
            <td>{p.samples}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The broadcast on air: its last LIVE_WINDOW_MINUTES, refreshed every LIVE_REFRESH_MS. */
function LiveLatency({ streamId, sessionId }: { streamId: string; sessionId: string }) {
  const live = useApi((signal) => getSessionLatency(streamId, sessionId, LIVE_WINDOW_MINUTES, signal), [streamId, sessionId]);
  useInterval(live.reload, LIVE_REFRESH_MS, true, false);
  if (live.data) return <LatencyTable data={live.data} caption={`Now (last ${LIVE_WINDOW_MINUTES} minutes)`} />;
  if (live.error != null) return <p className="muted">Viewer latency is unavailable right now.</p>;
  return <p className="muted">Loading viewer latency…</p>;
}

function PastLatency({ streamId, sessions }: { streamId: string; sessions: StreamSession[] }) {
  const [chosen, setChosen] = useState(sessions[0]!.id);
  const sessionId = sessions.some((s) => s.id === chosen) ? chosen : sessions[0]!.id;
  const past = useApi((signal) => getSessionLatency(streamId, sessionId, undefined, signal), [streamId, sessionId]);
  return (
    <div className="stack">
      <label className="field">
        <span>Past broadcast</span>
        <select value={sessionId} onChange={(e) => setChosen(e.target.value)}>
          {sessions.map((s) => (
            <option key={s.id} value={s.id}>
              {formatDate(s.startedAt)} ({sessionDuration(s.startedAt, s.endedAt)})
            </option>
          ))}
        </select>
      </label>
      {past.data && past.data.sessionId === sessionId && <LatencyTable data={past.data} caption="Whole broadcast" />}
      {past.error != null && <p className="muted">Viewer latency is unavailable right now.</p>}
      {past.loading && !past.error && (!past.data || past.data.sessionId !== sessionId) && <p className="muted">Loading…</p>}
    </div>
  );
}

/**
 * Latency as viewers see it: p50/p95 per protocol from the players' own measurements (beacons), for
 * the broadcast on air and for a chosen past broadcast. `sessions` is the stream's session list
 * (newest first); the one without an end is on air.
 */
export function ViewerLatencyPanel({ streamId, sessions }: { streamId: string; sessions: StreamSession[] }) {
  const current = sessions.find((s) => s.endedAt === null);
  const ended = sessions.filter((s) => s.endedAt !== null);
  if (!current && ended.length === 0) return null;
  return (
    <section className="card" aria-labelledby="viewer-latency">
      <h2 id="viewer-latency">Viewer latency</h2>
      <p className="muted small">As the players measure it: WebRTC jitter buffer plus round trip, LL-HLS distance to the live edge.</p>
      {current && <LiveLatency streamId={streamId} sessionId={current.id} />}
      {ended.length > 0 && <PastLatency streamId={streamId} sessions={ended} />}
    </section>
  );
}
