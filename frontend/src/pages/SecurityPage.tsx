import { useState } from 'react';
import { changePassword, isApiError, listAuthSessions, revokeAuthSession, revokeOtherAuthSessions, type AuthSession } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { errorMessage } from '../components/Feedback';
import { ListTable } from '../components/ListTable';
import { PasswordForm } from '../components/forms/PasswordForm';
import { useApi } from '../hooks/useApi';
import { useNow } from '../hooks/useNow';
import { useSession } from '../hooks/useSession';
import { formatDate, formatRelative } from '../utils/format';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** This device first, then the others as the API orders them (most recently used first). */
const currentFirst = (sessions: AuthSession[]) => [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];

function SessionRow({ session, now, onRevoked }: { session: AuthSession; now: number; onRevoked: (id: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <tr data-testid="auth-session" data-current={session.current ? 'true' : undefined}>
      <td>
        <strong>{session.device || 'Unknown device'}</strong>
        {session.current && <span className="badge badge-ready badge-this-device">This device</span>}
        {session.userAgent && (
          <div className="muted small user-agent" title={session.userAgent}>
            {session.userAgent}
          </div>
        )}
      </td>
      <td data-label="IP address">
        <span className="mono">{session.ip || '—'}</span>
      </td>
      <td data-label="Last seen">
        <time dateTime={session.lastSeenAt} title={formatDate(session.lastSeenAt)}>
          {session.current ? 'Now' : formatRelative(session.lastSeenAt, now)}
        </time>
      </td>
      <td className="nowrap" data-label="Logged in">
        {formatDate(session.createdAt)}
      </td>
      <td>
        {!session.current && (
          <ConfirmButton
            label="Revoke"
            question={`Log out ${session.device || 'this device'}${session.ip ? ` (${session.ip})` : ''}? It has to log in again.`}
            confirmLabel="Yes, revoke"
            danger
            onConfirm={async () => {
              setError(null);
              try {
                await revokeAuthSession(session.id);
                onRevoked(session.id);
              } catch (e) {
                // 404: the session is gone already (expired, or pruned): nothing left to end.
                if (isApiError(e) && e.status === 404) onRevoked(session.id);
                else setError(errorMessage(e));
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

export function SecurityPage() {
  const session = useSession();
  const { data, error, loading, reload, setData } = useApi((signal) => listAuthSessions(signal), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [revokeAllError, setRevokeAllError] = useState<string | null>(null);
  const [passwordNotice, setPasswordNotice] = useState<string | null>(null);
  const now = useNow(true, 30_000); // keeps "5 minutes ago" current
  const sessions = data ? currentFirst(data) : undefined;
  const others = sessions?.filter((s) => !s.current).length ?? 0;
  const keepCurrentOnly = () => setData((prev) => prev?.filter((s) => s.current));

  return (
    <section>
      <h1>Security</h1>
      <p className="muted">
        Every browser where you logged in to the dashboard has its own session. If you see one you do not recognise, revoke it
        and change your password. API keys are managed on the API keys page and are not affected here.
      </p>

      <section aria-labelledby="sessions-title">
        <div className="page-head section-head">
          <h2 id="sessions-title">Where you are logged in</h2>
          <div className="actions">
            <ConfirmButton
              label="Log out everywhere else"
              question={`Log out ${plural(others, 'other session', 'other sessions')}? This device stays logged in.`}
              confirmLabel="Yes, log them out"
              danger
              disabled={others === 0}
              onConfirm={async () => {
                setNotice(null);
                setRevokeAllError(null);
                try {
                  const { revoked } = await revokeOtherAuthSessions();
                  keepCurrentOnly();
                  setNotice(`Logged out ${plural(revoked, 'other session', 'other sessions')}. Only this device is logged in now.`);
                } catch (e) {
                  setRevokeAllError(errorMessage(e));
                }
              }}
            />
          </div>
        </div>
        {notice && (
          <p className="banner banner-info" role="status">
            {notice}
          </p>
        )}
        {revokeAllError && (
          <p className="banner banner-error" role="alert">
            {revokeAllError}
          </p>
        )}
        <ListTable
          caption="Your sessions"
          columns={['Device', 'IP address', 'Last seen', 'Logged in', null]}
          items={sessions}
          loading={loading}
          error={error}
          reload={reload}
          loadingLabel="Loading sessions…"
          className="sessions"
        >
          {(rows) => rows.map((s) => <SessionRow key={s.id} session={s} now={now} onRevoked={(id) => setData((prev) => prev?.filter((x) => x.id !== id))} />)}
        </ListTable>
        {sessions && others === 0 && <p className="muted">No other sessions: you are logged in on this device only.</p>}
      </section>

      <section className="card narrow security-password" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <p className="muted small">Changing your password logs out every other session; this device stays logged in.</p>
        {passwordNotice && (
          <p className="banner banner-info" role="status">
            {passwordNotice}
          </p>
        )}
        <PasswordForm
          email={session?.user.email ?? ''}
          onSubmit={async (currentPassword, newPassword) => {
            setPasswordNotice(null);
            const { revoked } = await changePassword(currentPassword, newPassword);
            keepCurrentOnly();
            setPasswordNotice(
              revoked === 0
                ? 'Password changed. No other sessions were open.'
                : `Password changed. ${plural(revoked, 'other session was', 'other sessions were')} logged out; they have to log in with the new password.`,
            );
          }}
        />
      </section>
    </section>
  );
}
