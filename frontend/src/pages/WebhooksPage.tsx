import { useState } from 'react';
import {
  WEBHOOK_EVENT_TYPES,
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliverWebhook,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
  type WebhookEndpoint,
} from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorBanner, Loading, errorMessage } from '../components/Feedback';
import { ListTable } from '../components/ListTable';
import { WebhookForm } from '../components/forms/WebhookForm';
import { LoadMore } from '../components/LoadMore';
import { SecretField } from '../components/SecretField';
import { usePagedList } from '../hooks/usePagedList';
import { formatDate } from '../utils/format';

function Deliveries({ endpoint, refreshKey }: { endpoint: WebhookEndpoint; refreshKey: number }) {
  const endpointId = endpoint.id;
  const list = usePagedList((cursor, signal) => listDeliveries(endpointId, { cursor, signal }), [endpointId, refreshKey]);
  const { items: deliveries, error, loading, reload, setItems } = list;
  const [actionError, setActionError] = useState<string | null>(null);
  const redeliver = async (deliveryId: string) => {
    setActionError(null);
    try {
      const { delivery } = await redeliverWebhook(endpointId, deliveryId);
      setItems((prev) => prev.map((d) => (d.id === delivery.id ? delivery : d)));
    } catch (e) {
      setActionError(errorMessage(e));
    }
  };
  return (
    <div className="deliveries">
      <div className="page-head">
        <h3>Recent deliveries</h3>
        <button type="button" className="btn btn-small" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      <ListTable
        caption="Recent deliveries"
        columns={['Event', 'Status', 'Attempts', 'Response', 'Created', null]}
        items={deliveries}
        loading={loading}
        error={error}
        reload={reload}
        loadingLabel="Loading deliveries…"
        empty="No deliveries yet."
      >
        {(rows) =>
          rows.map((d) => (
            <tr key={d.id} data-testid="webhook-delivery">
              <td>
                <code>{d.eventType}</code>
              </td>
              <td>
                <span className={`badge badge-delivery-${d.status}`}>{d.status}</span>
              </td>
              <td>{d.attempts}</td>
              <td className="break">{d.lastStatusCode ?? d.lastError ?? '—'}</td>
              <td>{formatDate(d.createdAt)}</td>
              <td>
                {d.status !== 'pending' && (endpoint.enabled || d.eventType === 'ping') && (
                  <button type="button" className="btn btn-small" onClick={() => void redeliver(d.id)}>
                    Redeliver
                  </button>
                )}
              </td>
            </tr>
          ))
        }
      </ListTable>
      <LoadMore list={list} what="deliveries" />
    </div>
  );
}

const OVERLAPS = [
  { seconds: 0, label: 'stop at once' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 24 * 3600, label: '24 hours' },
  { seconds: 7 * 24 * 3600, label: '7 days' },
];

/** Why an endpoint gets no events, in words its owner can act on. */
function DisabledNotice({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (endpoint.enabled) return null;
  if (endpoint.disabledReason === 'failing') {
    return (
      <p className="banner banner-error" role="status" data-testid="webhook-auto-disabled">
        Disabled automatically{endpoint.disabledAt ? ` on ${formatDate(endpoint.disabledAt)}` : ''}: every delivery failed
        {endpoint.failingSince ? ` since ${formatDate(endpoint.failingSince)}` : ''}. Fix the receiver, send a test event,
        then enable the endpoint; events from the time it was off are not sent.
      </p>
    );
  }
  return (
    <p className="banner" role="status">
      Paused{endpoint.disabledAt ? ` since ${formatDate(endpoint.disabledAt)}` : ''}: it gets no events until you resume it.
    </p>
  );
}

function EndpointItem({ endpoint, onChanged, onDeleted }: { endpoint: WebhookEndpoint; onChanged: (e: WebhookEndpoint) => void; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [overlap, setOverlap] = useState(24 * 3600);
  const [refreshKey, setRefreshKey] = useState(0);
  const act = async (what: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await what();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const allEvents = endpoint.events.length === 0 || endpoint.events.length === WEBHOOK_EVENT_TYPES.length;
  return (
    <li className="card" data-testid="webhook-endpoint">
      <div className="page-head">
        <div>
          <p className="mono break">{endpoint.url}</p>
          <p className="muted small">
            {allEvents ? 'all events' : endpoint.events.join(', ')} · added {formatDate(endpoint.createdAt)}
            {!endpoint.enabled && (endpoint.disabledReason === 'failing' ? ' · disabled (failing)' : ' · paused')}
            {endpoint.enabled && endpoint.failingSince && ` · failing since ${formatDate(endpoint.failingSince)}`}
            {endpoint.previousSecretExpiresAt && ` · old secret signs too until ${formatDate(endpoint.previousSecretExpiresAt)}`}
          </p>
        </div>
        <div className="actions">
          <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide deliveries' : 'Show deliveries'}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() =>
              void act(async () => {
                await testWebhook(endpoint.id);
                setNotice('Test event sent: see its delivery below.');
                setOpen(true);
                setRefreshKey((k) => k + 1);
              })
            }
          >
            Send test event
          </button>
          <button type="button" className="btn btn-small" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
            {editing ? 'Cancel edit' : 'Edit'}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void act(async () => onChanged((await updateWebhook(endpoint.id, { enabled: !endpoint.enabled })).endpoint))}
          >
            {endpoint.enabled ? 'Pause' : 'Enable'}
          </button>
          <ConfirmButton
            label="Delete"
            question="Delete this endpoint? It stops receiving events."
            confirmLabel="Yes, delete"
            danger
            onConfirm={() =>
              act(async () => {
                await deleteWebhook(endpoint.id);
                onDeleted();
              })
            }
          />
        </div>
      </div>
      <DisabledNotice endpoint={endpoint} />
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="banner" role="status">
          {notice}
        </p>
      )}
      {editing && (
        <WebhookForm
          initial={{ url: endpoint.url, events: endpoint.events }}
          submitLabel="Save changes"
          onSubmit={async (url, events) => {
            const { endpoint: updated } = await updateWebhook(endpoint.id, { url, events: events.length > 0 ? events : [...WEBHOOK_EVENT_TYPES] });
            onChanged(updated);
            setEditing(false);
          }}
        />
      )}
      <div className="field-row">
        <label className="small">
          Old secret keeps signing for{' '}
          <select value={overlap} onChange={(e) => setOverlap(Number(e.target.value))} aria-label="Overlap after rotation">
            {OVERLAPS.map((o) => (
              <option key={o.seconds} value={o.seconds}>
                {o.label}
              </option>
            ))}
          </select>
        </label>{' '}
        <ConfirmButton
          label="Rotate secret"
          question="Make a new signing secret? Update your receiver before the old one stops signing."
          confirmLabel="Yes, rotate"
          onConfirm={() =>
            act(async () => {
              const r = await rotateWebhookSecret(endpoint.id, overlap);
              onChanged(r.endpoint);
              setNewSecret(r.secret);
            })
          }
        />
      </div>
      {newSecret && (
        <div className="card card-highlight" data-testid="webhook-new-secret">
          <p>Copy the new signing secret now. It is shown only once.</p>
          <SecretField label="New signing secret" value={newSecret} />
          <button type="button" className="btn" onClick={() => setNewSecret(null)}>
            I have saved it
          </button>
        </div>
      )}
      {open && <Deliveries endpoint={endpoint} refreshKey={refreshKey} />}
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
        the endpoint’s signing secret; after a rotation the header carries one <code>v1=</code> per secret until the old one
        expires, and any match is valid. Retries and redeliveries of one event carry the same event <code>id</code>: dedupe on it.
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
            <EndpointItem
              key={ep.id}
              endpoint={ep}
              onChanged={(updated) => setItems((prev) => prev.map((e) => (e.id === updated.id ? updated : e)))}
              onDeleted={() => setItems((prev) => prev.filter((e) => e.id !== ep.id))}
            />
          ))}
        </ul>
      )}
      <LoadMore list={list} what="endpoints" />
    </section>
  );
}
