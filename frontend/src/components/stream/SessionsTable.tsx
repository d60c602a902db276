import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type { StreamSession } from '../../api';
import { formatDate, formatDuration, sessionDuration } from '../../utils/format';
import { HealthCharts } from './HealthCharts';

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

/** The broadcasts of a stream, newest first; an ended one opens its health charts below its row. */
export function SessionsTable({ streamId, sessions }: { streamId: string; sessions: StreamSession[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  if (sessions.length === 0) return <p className="muted">No broadcasts yet.</p>;
  return (
    <div className="table-wrap broadcasts">
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
            <th scope="col">Health</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const waiting = !s.endedAt && s.gaps.some((g) => !g.endedAt);
            const expanded = open.has(s.id) && s.endedAt !== null;
            const detailId = `session-health-${s.id}`;
            return (
              <Fragment key={s.id}>
                <tr data-testid="session-row">
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
                  <td>
                    {s.endedAt ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-expanded={expanded}
                        aria-controls={expanded ? detailId : undefined}
                        aria-label={`${expanded ? 'Hide' : 'Show'} charts of the broadcast started ${formatDate(s.startedAt)}`}
                        onClick={() => toggle(s.id)}
                      >
                        {expanded ? 'Hide charts' : 'Show charts'}
                      </button>
                    ) : (
                      <span className="muted">charts above</span>
                    )}
                  </td>
                </tr>
                {expanded && (
                  <tr id={detailId} className="session-detail" data-testid="session-health">
                    <td colSpan={7}>
                      <HealthCharts streamId={streamId} sessionId={s.id} live={false} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
