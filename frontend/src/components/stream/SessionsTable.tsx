import { Link } from 'react-router';
import type { StreamSession } from '../../api';
import { formatDate, formatDuration, sessionDuration } from '../../utils/format';

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** One gap of a broadcast: "12:01:02 – 12:01:10 (0:08)", or, never resumed, "12:01:02 – publisher did not return". */
function gapText(g: StreamSession['gaps'][number], open: boolean): string {
  if (g.endedAt) return `${time(g.startedAt)} – ${time(g.endedAt)} (${formatDuration(Date.parse(g.endedAt) - Date.parse(g.startedAt))})`;
  return `${time(g.startedAt)} – ${open ? 'waiting for the publisher' : 'publisher did not return'}`;
}

/** The broadcast's VOD: a link once it plays, its state while the worker is at it. */
function vodCell(s: StreamSession) {
  if (!s.vod) return <span className="muted">{s.endedAt ? 'none' : '—'}</span>;
  if (s.vod.status === 'ready') return <Link to={`/vods/${s.vod.id}`}>Watch VOD</Link>;
  return <span className="muted">{s.vod.status === 'failed' ? 'failed' : 'processing…'}</span>;
}

export function SessionsTable({ sessions }: { sessions: StreamSession[] }) {
  if (sessions.length === 0) return <p className="muted">No broadcasts yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Past broadcasts</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Protocol</th>
            <th scope="col">Reconnects</th>
            <th scope="col">Ended because</th>
            <th scope="col">Recording</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const waiting = !s.endedAt && s.gaps.some((g) => !g.endedAt);
            return (
              <tr key={s.id} data-testid="session-row">
                <td>{formatDate(s.startedAt)}</td>
                <td>{sessionDuration(s.startedAt, s.endedAt)}</td>
                <td>{s.protocol.toUpperCase()}</td>
                <td>
                  <span data-testid="reconnect-count">{s.reconnectCount}</span>
                  {s.gaps.length > 0 && (
                    <ul className="gaps small muted" aria-label="Gaps without a publisher">
                      {s.gaps.map((g) => (
                        <li key={g.startedAt}>{gapText(g, !s.endedAt)}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{s.endReason ?? (s.endedAt ? '—' : waiting ? 'reconnecting' : 'still live')}</td>
                <td data-testid="session-vod">{vodCell(s)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
