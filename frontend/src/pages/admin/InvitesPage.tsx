import { useState, type FormEvent } from 'react';
import { createInvite, listInvites, revokeInvite, type Invite } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CopyButton } from '../../components/CopyButton';
import { errorMessage } from '../../components/Feedback';
import { ListTable } from '../../components/ListTable';
import { LoadMore } from '../../components/LoadMore';
import { usePagedList } from '../../hooks/usePagedList';
import { formatDate } from '../../utils/format';

const STATE_LABEL: Record<Invite['state'], string> = { pending: 'Not used yet', used: 'Used', expired: 'Expired', revoked: 'Revoked' };

/** The full sign-up link for an invite path (`/signup?invite=…`) on this dashboard. */
export const inviteLink = (path: string) => `${window.location.origin}${path}`;

export function InvitesPage() {
  const invites = usePagedList((cursor, signal) => listInvites({ cursor, signal }), []);
  const [email, setEmail] = useState('');
  const [days, setDays] = useState('7');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ link: string; email: string | null } | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 90) return setFormError('Choose between 1 and 90 days.');
    setBusy(true);
    try {
      const r = await createInvite({ ...(email.trim() ? { email: email.trim() } : {}), expiresInHours: n * 24 });
      setCreated({ link: inviteLink(r.path), email: r.invite.email });
      invites.setItems((prev) => [r.invite, ...prev]);
      setEmail('');
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Invites</h1>
      <p className="muted">An invite link lets one person create an account while sign-up is by invitation only. Each link works once and expires.</p>
      <div className="grid-2">
        <form className="card" onSubmit={submit} aria-labelledby="new-invite" noValidate>
          <h2 id="new-invite">New invite</h2>
          <label htmlFor="invite-email">Email (optional: only this address may use it)</label>
          <input id="invite-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} />
          <label htmlFor="invite-days">Expires after (days)</label>
          <input id="invite-days" type="number" min={1} max={90} value={days} onChange={(e) => setDays(e.target.value)} />
          {formError && (
            <p className="field-error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
            Create invite link
          </button>
        </form>
        {created && (
          <section className="card card-highlight" aria-labelledby="invite-link" data-testid="invite-link">
            <h2 id="invite-link">Send this link</h2>
            <p>It is shown only once{created.email ? ` and works only for ${created.email}` : ''}.</p>
            <p className="mono small break">{created.link}</p>
            <CopyButton value={created.link} label="Copy link" />
            <button type="button" className="btn" onClick={() => setCreated(null)}>
              Done
            </button>
          </section>
        )}
      </div>
      <h2>Invites sent</h2>
      {rowError && (
        <p className="banner banner-error" role="alert">
          {rowError}
        </p>
      )}
      <ListTable
        caption="Invites"
        columns={['For', 'State', 'Created', 'Expires', null]}
        items={invites.items}
        loading={invites.loading}
        error={invites.error}
        reload={invites.reload}
        loadingLabel="Loading invites…"
        empty="No invites yet."
      >
        {(rows) =>
          rows.map((i) => (
            <tr key={i.id} data-testid="invite" data-state={i.state}>
              <td>{i.email ?? 'Anyone with the link'}</td>
              <td>{STATE_LABEL[i.state]}</td>
              <td>{formatDate(i.createdAt)}</td>
              <td>{formatDate(i.expiresAt)}</td>
              <td>
                {i.state === 'pending' && (
                  <ConfirmButton
                    label="Revoke"
                    question="Revoke this invite? The link stops working."
                    confirmLabel="Yes, revoke"
                    danger
                    onConfirm={async () => {
                      setRowError(null);
                      try {
                        await revokeInvite(i.id);
                        invites.setItems((prev) => prev.map((x) => (x.id === i.id ? { ...x, state: 'revoked', revokedAt: new Date().toISOString() } : x)));
                      } catch (e) {
                        setRowError(errorMessage(e));
                      }
                    }}
                  />
                )}
              </td>
            </tr>
          ))
        }
      </ListTable>
      <LoadMore list={invites} what="invites" />
    </section>
  );
}
