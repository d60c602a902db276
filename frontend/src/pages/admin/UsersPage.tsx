import { useState } from 'react';
import { deleteUser, disableUser, enableUser, listUsers, type AdminUser } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorMessage } from '../../components/Feedback';
import { ListTable } from '../../components/ListTable';
import { LoadMore } from '../../components/LoadMore';
import { useSession } from '../../hooks/useSession';
import { usePagedList } from '../../hooks/usePagedList';
import { formatDate } from '../../utils/format';

function UserRow({ user, self, onChange, onDeleted }: { user: AdminUser; self: boolean; onChange: (u: AdminUser) => void; onDeleted: (id: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const act = async (fn: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <tr data-testid="admin-user" data-disabled={user.disabled}>
      <td>
        {user.email}
        {self && <span className="muted small"> (you)</span>}
      </td>
      <td>{user.role === 'admin' ? 'Administrator' : 'User'}</td>
      <td>{user.disabled ? <span className="badge badge-disabled">Disabled</span> : <span className="badge">Active</span>}</td>
      <td>
        {user.streams} streams · {user.vods} VODs
      </td>
      <td>{formatDate(user.createdAt)}</td>
      <td className="actions">
        {!self && user.disabled && (
          <button type="button" className="btn btn-small" onClick={() => act(async () => onChange((await enableUser(user.id)).user))}>
            Enable
          </button>
        )}
        {!self && !user.disabled && (
          <ConfirmButton
            label="Disable"
            question={`Disable ${user.email}? They are logged out everywhere, their API keys stop working and their live streams are cut off.`}
            confirmLabel="Yes, disable"
            danger
            onConfirm={() =>
              act(async () => {
                const r = await disableUser(user.id);
                onChange(r.user);
                if (r.kicked > 0) setNotice(`${r.kicked} live publisher${r.kicked === 1 ? '' : 's'} disconnected.`);
              })
            }
          />
        )}
        {!self && (
          <ConfirmButton
            label="Delete"
            question={`Delete ${user.email} with all their streams, recordings and webhooks? This cannot be undone.`}
            confirmLabel="Yes, delete for good"
            danger
            onConfirm={() =>
              act(async () => {
                await deleteUser(user.id);
                onDeleted(user.id);
              })
            }
          />
        )}
        {notice && (
          <p className="small" role="status">
            {notice}
          </p>
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

export function UsersPage() {
  const session = useSession();
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const users = usePagedList((cursor, signal) => listUsers(q || undefined, { cursor, signal }), [q]);
  return (
    <section>
      <h1>Users</h1>
      <form
        role="search"
        className="list-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(query.trim());
        }}
      >
        <label htmlFor="user-search">Search by email</label>
        <input id="user-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} maxLength={100} />
        <button type="submit" className="btn">
          Search
        </button>
      </form>
      <ListTable
        caption="Users"
        columns={['Email', 'Role', 'State', 'Content', 'Joined', null]}
        items={users.items}
        loading={users.loading}
        error={users.error}
        reload={users.reload}
        loadingLabel="Loading users…"
        empty="No users match."
      >
        {(rows) =>
          rows.map((u) => (
            <UserRow
              key={u.id}
              user={u}
              self={u.id === session?.user.id}
              onChange={(next) => users.setItems((prev) => prev.map((x) => (x.id === next.id ? next : x)))}
              onDeleted={(id) => users.setItems((prev) => prev.filter((x) => x.id !== id))}
            />
          ))
        }
      </ListTable>
      <LoadMore list={users} what="users" />
    </section>
  );
}
