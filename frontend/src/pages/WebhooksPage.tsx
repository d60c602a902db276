import { useState } from 'react';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  type WebhookEndpoint,
} from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBanner, Loading, errorMessage } from '../components/Feedback';
import { WebhookForm } from '../components/forms/WebhookForm';
import { LoadMore } from '../components/LoadMore';
import { SecretField } from '../components/SecretField';
import { usePagedList } from '../hooks/usePagedList';
import { formatDate } from '../utils/format';

function Deliveries({ endpointId }: { endpointId: string }) {
  const list = usePagedList((cursor, signal) => listDeliveries(endpointId, { cursor, signal }), [endpointId]);
  const { items: deliveries, error, loading, reload } = list;
  return (
    <div className="deliveries">
      <div className="page-head">
        <h3>Recent deliveries</h3>
        <button type="button" className="btn btn-small" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      {loading && !deliveries && <Loading label="Loading deliveries…" />}
      {error != null && <ErrorBanner error={error} retry={reload} />}
      {deliveries && deliveries.length === 0 && <p className="muted">No deliveries yet.</p>}
      {deliveries && deliveries.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Recent deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.eventType}</code>
                  </td>
                  <td>
                    <span className={`badge badge-delivery-${d.status}`}>{d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.lastStatusCode ?? d.lastError ?? '—'}</td>
                  <td>{formatDate(d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={list} what="deliveries" />
    </div>
  );
}

function EndpointItem({ endpoint, onDeleted }: { endpoint: WebhookEndpoint; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <li className="card" data-testid="webhook-endpoint">
      <div className="page-head">
        <div>
          <p className="mono break">{endpoint.url}</p>
          <p className="muted small">
            {endpoint.events.length > 0 ? endpoint.events.join(', ') : 'all events'} · added {formatDate(endpoint.createdAt)}
            {!endpoint.enabled && ' · disabled'}
          </p>
        </div>
        <div className="actions">
          <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide deliveries' : 'Show deliveries'}
          </button>
          <ConfirmButton
            label="Delete"
            question="Delete this endpoint? It stops receiving events."
            confirmLabel="Yes, delete"
            danger
            onConfirm={async () => {
              setError(null);
              try {
                await deleteWebhook(endpoint.id);
                onDeleted();
              } catch (e) {
                setError(errorMessage(e));
              }
            }}
          />
        </div>
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {open && <Deliveries endpointId={endpoint.id} />}
    </li>
  );
}

export function WebhooksPage() {
  const list = usePagedList((cursor, signal) => listWebhooks({ cursor, signal }), []);
  const { items: endpoints, error, loading, reload, setItems } = list;
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);

  return (
    <section>
      <h1>Webhooks</h1>
      <p className="muted">
        We POST a JSON event to your endpoint when a stream goes live or ends and when a recording is ready or failed.
        Verify the <code>X-OCP-Signature</code> header (<code>t=…,v1=…</code>, HMAC-SHA256 of <code>t.body</code>) with
        the endpoint’s signing secret.
      </p>
      <div className="grid-2">
        <section className="card" aria-labelledby="add-endpoint">
          <h2 id="add-endpoint">Add an endpoint</h2>
          <WebhookForm
            onSubmit={async (url, events) => {
              const result = await createWebhook(url, events);
              setCreated({ url: result.endpoint.url, secret: result.secret });
              setItems((prev) => [result.endpoint, ...prev]);
            }}
          />
        </section>
        {created && (
          <section className="card card-highlight" aria-labelledby="secret-title" data-testid="webhook-secret">
            <h2 id="secret-title">Save your signing secret</h2>
            <p>
              Copy the secret for <span className="mono break">{created.url}</span> now. It is shown only once.
            </p>
            <SecretField label="Signing secret" value={created.secret} />
            <button type="button" className="btn" onClick={() => setCreated(null)}>
              I have saved it
            </button>
          </section>
        )}
      </div>
      <h2>Endpoints</h2>
      {loading && !endpoints && <Loading label="Loading endpoints…" />}
      {error != null && <ErrorBanner error={error} retry={reload} />}
      {endpoints && endpoints.length === 0 && <p className="muted">No endpoints yet.</p>}
      {endpoints && endpoints.length > 0 && (
        <ul className="endpoint-list" aria-label="Webhook endpoints">
          {endpoints.map((ep) => (
            <EndpointItem key={ep.id} endpoint={ep} onDeleted={() => setItems((prev) => prev.filter((e) => e.id !== ep.id))} />
          ))}
        </ul>
      )}
      <LoadMore list={list} what="endpoints" />
    </section>
  );
}
