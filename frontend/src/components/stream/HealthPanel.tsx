import type { HealthAlert } from '../../api';
import { formatDate } from '../../utils/format';

/**
 * Ingest problems OME reported for the broadcast on air (live over SSE), each with the encoder
 * setting to change; the latest alerts of past broadcasts below.
 */
export function HealthPanel({ current, history, onAir }: { current: HealthAlert[]; history: HealthAlert[]; onAir: boolean }) {
  const past = history.filter((h) => h.clearedAt !== null).slice(0, 10);
  return (
    <section className="card" aria-labelledby="health-title" data-testid="health-panel">
      <h2 id="health-title">Encoder warnings</h2>
      {onAir && current.length === 0 && <p className="muted">No problems reported by the media server.</p>}
      {!onAir && current.length === 0 && <p className="muted">Shown while you are live: OME checks your encoder settings.</p>}
      {current.length > 0 && (
        <ul className="health-alerts" aria-label="Current problems">
          {current.map((a) => (
            <li key={a.id} className={`banner ${a.severity === 'critical' ? 'banner-error' : 'banner-warning'}`} role="alert" data-testid="health-alert">
              <strong>{a.title}</strong>
              <p>{a.fix}</p>
              <p className="small muted">
                {a.description} · since {formatDate(a.raisedAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
      {past.length > 0 && (
        <details>
          <summary>Earlier problems ({past.length})</summary>
          <ul className="small">
            {past.map((a) => (
              <li key={a.id}>
                {a.title}: {formatDate(a.raisedAt)} – {formatDate(a.clearedAt!)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
