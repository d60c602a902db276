import { useState } from 'react';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { errorMessage } from '../components/Feedback';
import { ListTable } from '../components/ListTable';
import { ApiKeyForm } from '../components/forms/ApiKeyForm';
import { SecretField } from '../components/SecretField';
import { useApi } from '../hooks/useApi';
import { formatDate } from '../utils/format';

function KeyRow({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: (k: ApiKey) => void }) {
  const [error, setError] = useState<string | null>(null);
  const revoked = apiKey.revokedAt !== null;
  return (
    <tr data-testid="api-key" className={revoked ? 'muted' : undefined}>
      <td>
        {apiKey.name}
        <div className="mono small">{apiKey.prefix}…</div>
      </td>
      <td>
        {apiKey.scopes.map((s) => (
          <code key={s} className="scope">
            {s}
          </code>
        ))}
      </td>
      <td>{formatDate(apiKey.createdAt)}</td>
      <td>{apiKey.lastUsedAt ? formatDate(apiKey.lastUsedAt) : 'Never'}</td>
      <td>
        {revoked ? (
          <span>Revoked {formatDate(apiKey.revokedAt!)}</span>
        ) : (
          <ConfirmButton
            label="Revoke"
            question={`Revoke “${apiKey.name}”? Programs using it get 401 at once.`}
            confirmLabel="Yes, revoke"
            danger
            onConfirm={async () => {
              setError(null);
              try {
                await revokeApiKey(apiKey.id);
                onRevoked({ ...apiKey, revokedAt: new Date().toISOString() });
              } catch (e) {
                setError(errorMessage(e));
              }
            }}
          />
        )}
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

export function ApiKeysPage() {
  const { data, error, loading, reload, setData } = useApi((signal) => listApiKeys(signal), []);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  return (
    <section>
      <h1>API keys</h1>
      <p className="muted">
        For your own servers and scripts: send <code>Authorization: Bearer ocp_…</code> to the API. A key can do only
        what its scopes allow (a write scope includes reading), acts on your streams, VODs and webhooks only, and can never
        manage API keys or your account. Revoke a key you no longer use.
      </p>
      <div className="grid-2">
        <section className="card" aria-labelledby="create-key">
          <h2 id="create-key">Create a key</h2>
          <ApiKeyForm
            onSubmit={async (name, scopes) => {
              const result = await createApiKey(name, scopes);
              setCreated({ name: result.apiKey.name, key: result.key });
              setData((prev) => (prev ? { apiKeys: [result.apiKey, ...prev.apiKeys] } : prev));
            }}
          />
        </section>
        {created && (
          <section className="card card-highlight" aria-labelledby="key-title" data-testid="api-key-secret">
            <h2 id="key-title">Save your API key</h2>
            <p>
              Copy the key <strong>{created.name}</strong> now. It is shown only once: we keep only a hash of it.
            </p>
            <SecretField label="API key" value={created.key} hint="Anyone with this key can use the API as you, within its scopes." />
            <button type="button" className="btn" onClick={() => setCreated(null)}>
              I have saved it
            </button>
          </section>
        )}
      </div>
      <h2>Your keys</h2>
      <ListTable
        caption="API keys"
        columns={['Name', 'Scopes', 'Created', 'Last used', null]}
        items={data?.apiKeys}
        loading={loading}
        error={error}
        reload={reload}
        loadingLabel="Loading API keys…"
        empty="No API keys yet."
      >
        {(rows) =>
          rows.map((k) => (
            <KeyRow
              key={k.id}
              apiKey={k}
              onRevoked={(next) => setData((prev) => (prev ? { apiKeys: prev.apiKeys.map((x) => (x.id === next.id ? next : x)) } : prev))}
            />
          ))
        }
      </ListTable>
    </section>
  );
}
