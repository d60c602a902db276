import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { AppRoutes } from '../App';
import { getSession, SESSION_ENDED_MESSAGE, setSession, type AuthSession } from '../api';
import { LOGGED_OUT_LOCALLY_MESSAGE, LOGGED_OUT_MESSAGE } from '../components/Layout';
import { apiError, fakeJwt, installFakeFetch, json, sseResponse, USER } from '../test/fakeFetch';
import { formatRelative } from '../utils/format';

afterEach(() => vi.unstubAllGlobals());

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const CURRENT = '11111111-1111-4111-8111-111111111111';
const PHONE = '22222222-2222-4222-8222-222222222222';
const LAPTOP = '33333333-3333-4333-8333-333333333333';

function authSession(over: Partial<AuthSession>): AuthSession {
  return {
    id: CURRENT,
    device: 'Firefox on Linux',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    ip: '203.0.113.7',
    createdAt: ago(60 * 24 * 3),
    lastSeenAt: ago(0),
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    current: false,
    ...over,
  };
}

// As the API orders them: most recently used first (the phone was used after this tab).
const SESSIONS: AuthSession[] = [
  authSession({ id: PHONE, device: 'Safari on iOS', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Version/18.1 Mobile/15E148 Safari/604.1', ip: '198.51.100.23', lastSeenAt: ago(0.2) }),
  authSession({ id: CURRENT, current: true, lastSeenAt: ago(1) }),
  authSession({ id: LAPTOP, device: 'Chrome on Windows', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36', ip: '192.0.2.40', lastSeenAt: ago(5) }),
];

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
    </MemoryRouter>,
  );
}

function loggedIn() {
  const token = fakeJwt(3600);
  setSession({ token, user: USER });
  return token;
}

const rows = () => screen.getAllByTestId('auth-session');
const row = (text: string) => rows().find((r) => r.textContent?.includes(text))!;

describe('Security page: sessions', () => {
  it('lists your sessions (this device first, marked), device, address and last seen; Revoke asks, calls DELETE and removes the row', async () => {
    const token = loggedIn();
    const { calls } = installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      [`DELETE /api/auth/sessions/${LAPTOP}`]: () => json(204, null),
    });
    renderAt('/security');
    expect(await screen.findByRole('heading', { name: 'Security' })).toBeInTheDocument();
    await screen.findByText('Chrome on Windows');
    expect(rows()).toHaveLength(3);
    const [first] = rows();
    expect(first).toHaveAttribute('data-current', 'true');
    expect(within(first!).getByText('This device')).toBeInTheDocument();
    expect(within(first!).queryByRole('button', { name: 'Revoke' })).toBeNull(); // Log out is in the nav
    const laptop = row('Chrome on Windows');
    expect(laptop).toHaveTextContent('192.0.2.40');
    expect(laptop).toHaveTextContent('5 minutes ago');
    expect(row('Safari on iOS')).toHaveTextContent('just now');

    await userEvent.click(within(laptop).getByRole('button', { name: 'Revoke' }));
    expect(within(laptop).getByRole('alertdialog')).toHaveTextContent('Log out Chrome on Windows (192.0.2.40)?');
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0); // nothing before the confirmation
    await userEvent.click(within(laptop).getByRole('button', { name: 'Yes, revoke' }));
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByText('Chrome on Windows')).toBeNull();
    const del = calls.filter((c) => c.method === 'DELETE');
    expect(del).toEqual([expect.objectContaining({ url: `/api/auth/sessions/${LAPTOP}`, headers: expect.objectContaining({ authorization: `Bearer ${token}` }) })]);
    expect(getSession()?.token).toBe(token); // still logged in here
  });

  it('shows why a revoke failed in the row and keeps it', async () => {
    loggedIn();
    installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      [`DELETE /api/auth/sessions/${PHONE}`]: () => apiError(503, 'unavailable', 'Try again in a moment'),
    });
    renderAt('/security');
    await screen.findByText('Safari on iOS');
    await userEvent.click(within(row('Safari on iOS')).getByRole('button', { name: 'Revoke' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    expect(await within(row('Safari on iOS')).findByRole('alert')).toHaveTextContent('Try again in a moment');
    expect(rows()).toHaveLength(3);
  });

  it('"Log out everywhere else" asks, ends the others with keepCurrent and leaves only this device', async () => {
    const token = loggedIn();
    const { calls } = installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      'POST /api/auth/sessions/revoke-all': () => json(200, { revoked: 2 }),
    });
    renderAt('/security');
    await screen.findByText('Chrome on Windows');
    await userEvent.click(screen.getByRole('button', { name: 'Log out everywhere else' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Log out 2 other sessions? This device stays logged in.');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, log them out' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Logged out 2 other sessions. Only this device is logged in now.');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveAttribute('data-current', 'true');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([expect.objectContaining({ url: '/api/auth/sessions/revoke-all', body: { keepCurrent: true } })]);
    expect(getSession()?.token).toBe(token);
    expect(screen.getByRole('button', { name: 'Log out everywhere else' })).toBeDisabled(); // nothing left to end
    expect(screen.getByText(/you are logged in on this device only/)).toBeInTheDocument();
  });

  it('a 401 after this session was ended elsewhere goes to login and says it was logged out', async () => {
    loggedIn();
    installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      'GET /api/streams': () => apiError(401, 'unauthorized', 'This session has been logged out, log in again'),
      'GET /api/events': () => sseResponse().response,
    });
    renderAt('/security');
    await screen.findByText('Chrome on Windows');
    await userEvent.click(screen.getByRole('link', { name: 'Streams' }));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(SESSION_ENDED_MESSAGE);
    expect(getSession()).toBeNull();
  });
});

describe('Security page: change password', () => {
  async function fill(current: string, next: string, repeat = next) {
    await userEvent.type(await screen.findByLabelText('Current password'), current);
    await userEvent.type(screen.getByLabelText('New password'), next);
    await userEvent.type(screen.getByLabelText('Repeat the new password'), repeat);
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
  }

  it('sends the current and new password, says the other sessions were logged out and drops them from the list', async () => {
    const token = loggedIn();
    const { calls } = installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      'POST /api/auth/password': () => json(200, { revoked: 2 }),
    });
    renderAt('/security');
    await screen.findByText('Chrome on Windows');
    await fill('correct-horse-battery', 'violet-tractor-sunrise-piano');
    expect(await screen.findByText(/Password changed\. 2 other sessions were logged out/)).toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/api/auth/password')).toEqual([
      expect.objectContaining({ method: 'POST', body: { currentPassword: 'correct-horse-battery', newPassword: 'violet-tractor-sunrise-piano' } }),
    ]);
    expect(rows()).toHaveLength(1);
    expect(screen.getByLabelText('Current password')).toHaveValue(''); // the form is cleared
    expect(getSession()?.token).toBe(token); // this device stays logged in
  });

  it("shows the API's password-policy advice under the new password, and a wrong current password under that field", async () => {
    loggedIn();
    const advice = 'This password is too easy to guess: This is a top-100 common password. A few unrelated words make a strong password.';
    let answer = () => apiError(400, 'weak_password', advice, [{ path: 'newPassword', message: advice }]);
    installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      'POST /api/auth/password': () => answer(),
    });
    renderAt('/security');
    await screen.findByText('Chrome on Windows');
    await fill('correct-horse-battery', 'password123');
    expect(await screen.findByText(advice)).toBeInTheDocument();
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(expect.stringContaining(advice));
    expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByText(/Password changed/)).toBeNull();
    expect(rows()).toHaveLength(3); // nothing was ended

    answer = () => apiError(400, 'wrong_password', 'The current password is not correct', [{ path: 'currentPassword', message: 'The current password is not correct' }]);
    await userEvent.clear(screen.getByLabelText('New password'));
    await userEvent.clear(screen.getByLabelText('Repeat the new password'));
    await userEvent.type(screen.getByLabelText('New password'), 'violet-tractor-sunrise-piano');
    await userEvent.type(screen.getByLabelText('Repeat the new password'), 'violet-tractor-sunrise-piano');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await vi.waitFor(() => expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('The current password is not correct'));
  });

  it('checks the form before sending: lengths, a repeat that differs', async () => {
    loggedIn();
    const { calls } = installFakeFetch({ 'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }) });
    renderAt('/security');
    await fill('old', 'short');
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(/Use between 8 and 200 characters/);
    await userEvent.type(screen.getByLabelText('New password'), '-but-longer');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByLabelText('Repeat the new password')).toHaveAccessibleDescription('The two new passwords differ.');
    expect(calls.filter((c) => c.url === '/api/auth/password')).toHaveLength(0);
  });
});

describe('Log out', () => {
  it('ends the session on the server (with its token) before forgetting it here', async () => {
    const token = loggedIn();
    let tokenStoredDuringCall: string | undefined;
    const { calls } = installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      'POST /api/auth/logout': () => {
        tokenStoredDuringCall = getSession()?.token;
        return json(204, null);
      },
    });
    renderAt('/security');
    await screen.findByText('Chrome on Windows');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(LOGGED_OUT_MESSAGE);
    expect(calls.filter((c) => c.url === '/api/auth/logout')).toEqual([
      expect.objectContaining({ method: 'POST', headers: expect.objectContaining({ authorization: `Bearer ${token}` }) }),
    ]);
    expect(tokenStoredDuringCall).toBe(token);
    expect(getSession()).toBeNull();
  });

  it('a 401 on logout (already ended elsewhere) is still a plain logout', async () => {
    loggedIn();
    installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      'POST /api/auth/logout': () => apiError(401, 'unauthorized', 'This session has been logged out, log in again'),
    });
    renderAt('/security');
    await screen.findByText('Chrome on Windows');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(LOGGED_OUT_MESSAGE);
    expect(getSession()).toBeNull();
  });

  it('when the server cannot be reached, logs out here and says the session may still be valid', async () => {
    loggedIn();
    installFakeFetch({
      'GET /api/auth/sessions': () => json(200, { sessions: SESSIONS }),
      'POST /api/auth/logout': () => Promise.reject(new TypeError('Failed to fetch')),
    });
    renderAt('/security');
    await screen.findByText('Chrome on Windows');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(LOGGED_OUT_LOCALLY_MESSAGE);
    expect(getSession()).toBeNull();
  });
});

describe('formatRelative', () => {
  it('says how long ago in words, then a date', () => {
    const now = Date.parse('2026-12-03T12:00:00.000Z');
    const at = (ms: number) => new Date(now - ms).toISOString();
    expect(formatRelative(at(20_000), now)).toBe('just now');
    expect(formatRelative(at(60_000), now)).toBe('1 minute ago');
    expect(formatRelative(at(3 * 3_600_000), now)).toBe('3 hours ago');
    expect(formatRelative(at(30 * 3_600_000), now)).toBe('yesterday');
    expect(formatRelative(at(5 * 86_400_000), now)).toBe('5 days ago');
    expect(formatRelative(at(-60_000), now)).toBe('just now'); // a clock slightly ahead
    expect(formatRelative(at(40 * 86_400_000), now)).not.toMatch(/ago/);
    expect(formatRelative('nonsense', now)).toBe('—');
  });
});
