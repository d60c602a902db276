import type { StreamSession } from '../../api';
import { formatDate, sessionDuration } from '../../utils/format';

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
            <th scope="col">Ended because</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>{formatDate(s.startedAt)}</td>
              <td>{sessionDuration(s.startedAt, s.endedAt)}</td>
              <td>{s.protocol.toUpperCase()}</td>
              <td>{s.endReason ?? (s.endedAt ? '—' : 'still live')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
