// The operator pages: the admin nav only for admins, Users (search, disable/enable, delete with a
// confirmation), Invites (create, copy the link shown once, revoke), and the sign-up page taking an
// invite link and explaining closed / invite-only sign-up. The network is the fake fetch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { AppRoutes } from '../../App';
import { clearSession, setSession } from '../../api';
import { ADMIN, apiError, fakeJwt, installFakeFetch, json, sseResponse, USER, type RecordedCall } from '../../test/fakeFetch';

afterEach(() => {
  vi.unstubAllGlobals();
  clearSession();
});

const user = (i: number, over: Record<string, unknown> = {}) => ({
  id: `u${i}`, email: `user${i}@example.com`, role: 'user', disabled: false, disabledAt: null, createdAt: '2026-11-22T00:00:00.000Z', streams: i, vods: 0, ...over,
});
const invite = (id: string, over: Record<string, unknown> = {}) => ({
  id, email: null, state: 'pending', createdAt: '2026-11-22T00:00:00.000Z', expiresAt: '2026-11-29T00:00:00.000Z', usedAt: null, revokedAt: null, ...over,
});
const common = { 'GET /api/events': () => sseResponse().response, 'GET /api/streams': () => json(200, { streams: [], nextCursor: null }) };

function renderAt(path: string, who: typeof USER | typeof ADMIN | null = ADMIN) {
  if (who) setSession({ token: fakeJwt(3600), user: who });
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

describe('admin navigation', () => {
  it('admins see Users and Invites; users do not, and the admin URLs send them back to their streams', async () => {
    installFakeFetch({ ...common });
    const { unmount } = renderAt('/streams', USER);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Users' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Invites' })).toBeNull();
    unmount();
    renderAt('/admin/users', USER);
    expect(await screen.findByRole('heading', { name: /streams/i })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Users' })).toBeNull();
  });

  it('admins have both links', async () => {
    installFakeFetch({ ...common });
    renderAt('/streams');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Users' })).toHaveAttribute('href', '/admin/users');
    expect(within(nav).getByRole('link', { name: 'Invites' })).toHaveAttribute('href', '/admin/invites');
  });
});

describe('Users page', () => {
  it('searches by email, disables (with confirmation, telling how many publishers were cut), enables, and deletes after a confirmation', async () => {
    const u = userEvent.setup();
    const { calls } = installFakeFetch({
      ...common,
      'GET /api/admin/users': (c) => {
        const q = new URL(c.url, 'http://x').searchParams.get('q');
        return json(200, { users: q === 'two' ? [user(2)] : [user(1), user(2), { ...user(9), id: ADMIN.id, email: ADMIN.email, role: 'admin' }], nextCursor: null });
      },
      'POST /api/admin/users/u1/disable': () => json(200, { user: user(1, { disabled: true, disabledAt: '2026-11-23T00:00:00.000Z' }), kicked: 1 }),
      'POST /api/admin/users/u1/enable': () => json(200, { user: user(1) }),
      'DELETE /api/admin/users/u2': () => json(200, { deleted: { streams: 2, vods: 0, webhooks: 0 }, kicked: 0 }),
    });
    renderAt('/admin/users');
    expect(await screen.findAllByTestId('admin-user')).toHaveLength(3);
    // No actions on your own row.
    const self = screen.getAllByTestId('admin-user')[2]!;
    expect(within(self).getByText('(you)')).toBeInTheDocument();
    expect(within(self).queryByRole('button')).toBeNull();

    await u.type(screen.getByLabelText('Search by email'), 'two');
    await u.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findAllByTestId('admin-user')).toHaveLength(1);
    expect(calls.some((c) => c.url.includes('/api/admin/users?') && c.url.includes('q=two'))).toBe(true);
    await u.clear(screen.getByLabelText('Search by email'));
    await u.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findAllByTestId('admin-user')).toHaveLength(3);

    const row1 = () => screen.getAllByTestId('admin-user')[0]!;
    await u.click(within(row1()).getByRole('button', { name: 'Disable' }));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    await u.click(within(row1()).getByRole('button', { name: 'Yes, disable' }));
    expect(await within(row1()).findByText('1 live publisher disconnected.')).toBeInTheDocument();
    expect(row1()).toHaveAttribute('data-disabled', 'true');
    await u.click(within(row1()).getByRole('button', { name: 'Enable' }));
    await vi.waitFor(() => expect(row1()).toHaveAttribute('data-disabled', 'false'));

    const row2 = screen.getAllByTestId('admin-user')[1]!;
    await u.click(within(row2).getByRole('button', { name: 'Delete' }));
    expect(within(row2).getByText(/cannot be undone/)).toBeInTheDocument();
    await u.click(within(row2).getByRole('button', { name: 'Yes, delete for good' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('admin-user')).toHaveLength(2));
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/api/admin/users/u2');
  });

  it('shows the refusal when a delete is refused (a VOD is being uploaded)', async () => {
    const u = userEvent.setup();
    installFakeFetch({
      ...common,
      'GET /api/admin/users': () => json(200, { users: [user(1)], nextCursor: null }),
      'DELETE /api/admin/users/u1': () => apiError(409, 'vods_processing', '1 VOD is being uploaded; delete the account once it is ready or failed (disable it meanwhile)'),
    });
    renderAt('/admin/users');
    await u.click(await screen.findByRole('button', { name: 'Delete' }));
    await u.click(screen.getByRole('button', { name: 'Yes, delete for good' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('1 VOD is being uploaded');
    expect(screen.getAllByTestId('admin-user')).toHaveLength(1);
  });
});

describe('Invites page', () => {
  it('creates an invite (email, expiry in days), shows the full link once with a copy button, lists and revokes', async () => {
    const u = userEvent.setup();
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { calls } = installFakeFetch({
      ...common,
      'GET /api/admin/invites': () => json(200, { invites: [invite('i1', { state: 'used', usedAt: '2026-11-23T00:00:00.000Z' })], nextCursor: null }),
      'POST /api/admin/invites': (c: RecordedCall) =>
        json(201, { invite: invite('i2', { email: (c.body as { email?: string }).email ?? null }), token: 'inv_secret', path: '/signup?invite=inv_secret' }),
      'DELETE /api/admin/invites/i2': () => json(204, null),
    });
    renderAt('/admin/invites');
    expect(await screen.findAllByTestId('invite')).toHaveLength(1);
    // A used invite cannot be revoked.
    expect(within(screen.getAllByTestId('invite')[0]!).queryByRole('button')).toBeNull();

    await u.type(screen.getByLabelText(/^Email/), 'guest@example.com');
    await u.clear(screen.getByLabelText(/Expires after/));
    await u.type(screen.getByLabelText(/Expires after/), '3');
    await u.click(screen.getByRole('button', { name: 'Create invite link' }));
    const shown = await screen.findByTestId('invite-link');
    const link = `${window.location.origin}/signup?invite=inv_secret`;
    expect(shown).toHaveTextContent(link);
    expect(shown).toHaveTextContent('works only for guest@example.com');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ email: 'guest@example.com', expiresInHours: 72 });
    await u.click(within(shown).getByRole('button', { name: /Copy link/ }));
    expect(writeText).toHaveBeenCalledWith(link);

    const rows = screen.getAllByTestId('invite');
    expect(rows).toHaveLength(2);
    await u.click(within(rows[0]!).getByRole('button', { name: 'Revoke' }));
    await u.click(within(rows[0]!).getByRole('button', { name: 'Yes, revoke' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('invite')[0]).toHaveAttribute('data-state', 'revoked'));
  });

  it('refuses an expiry outside 1–90 days before asking the API', async () => {
    const u = userEvent.setup();
    const { calls } = installFakeFetch({ ...common, 'GET /api/admin/invites': () => json(200, { invites: [], nextCursor: null }) });
    renderAt('/admin/invites');
    await u.clear(await screen.findByLabelText(/Expires after/));
    await u.type(screen.getByLabelText(/Expires after/), '365');
    await u.click(screen.getByRole('button', { name: 'Create invite link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('between 1 and 90 days');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});

describe('sign-up page and REGISTRATION', () => {
  const fill = async (u: ReturnType<typeof userEvent.setup>) => {
    await u.type(screen.getByLabelText(/email/i), 'new@example.com');
    await u.type(screen.getByLabelText(/password/i), 'correct horse battery');
    await u.click(screen.getByRole('button', { name: /create/i }));
  };

  it('invite mode without a link: explains, no form', async () => {
    installFakeFetch({ 'GET /api/auth/registration': () => json(200, { mode: 'invite', firstAccount: false }) });
    renderAt('/signup', null);
    expect(await screen.findByTestId('signup-refused')).toHaveTextContent('Sign-up is by invitation only');
    expect(screen.queryByLabelText(/password/i)).toBeNull();
  });

  it('closed: explains, no form', async () => {
    installFakeFetch({ 'GET /api/auth/registration': () => json(200, { mode: 'closed', firstAccount: false }) });
    renderAt('/signup?invite=inv_x', null);
    expect(await screen.findByTestId('signup-refused')).toHaveTextContent('Sign-up is closed');
  });

  it('an invite link (?invite=) is sent with the sign-up; an expired one shows the server\'s reason', async () => {
    const u = userEvent.setup();
    let answer = () => apiError(410, 'invite_expired', 'This invite link has expired; ask an administrator for a new one');
    const { calls } = installFakeFetch({
      ...common,
      'GET /api/auth/registration': () => json(200, { mode: 'invite', firstAccount: false }),
      'POST /api/auth/register': () => answer(),
    });
    renderAt('/signup?invite=inv_abc', null);
    expect(await screen.findByText(/You were invited/)).toBeInTheDocument();
    await fill(u);
    expect(await screen.findByRole('alert')).toHaveTextContent('This invite link has expired');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ email: 'new@example.com', password: 'correct horse battery', invite: 'inv_abc' });
    answer = () => json(201, { token: fakeJwt(3600), user: { ...USER, email: 'new@example.com' } });
    await u.click(screen.getByRole('button', { name: /create/i }));
    expect(await screen.findByRole('heading', { name: /streams/i })).toBeInTheDocument();
  });

  it('the first account on an empty server is told it becomes the administrator, even in invite mode', async () => {
    installFakeFetch({ 'GET /api/auth/registration': () => json(200, { mode: 'invite', firstAccount: true }) });
    renderAt('/signup', null);
    expect(await screen.findByText(/becomes the administrator/)).toBeInTheDocument();
    expect(screen.getByLabelText(/password/i)).toBeInTheDocument();
  });
});
