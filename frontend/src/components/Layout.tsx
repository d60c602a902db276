import { useState } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { clearSession, hasExpiredSession, isApiError, logout, setFlash, SESSION_EXPIRED_MESSAGE } from '../api';
import { useSession } from '../hooks/useSession';

export const LOGGED_OUT_MESSAGE = 'You are logged out.';
export const LOGGED_OUT_LOCALLY_MESSAGE =
  'You are logged out on this device, but the server could not be reached to end the session. To be sure, log in and use “Log out everywhere else” on the Security page.';

/**
 * Ends the session on the server (so the token is refused from now on, also if it leaked) and
 * answers what the login page should say. A 401 means the server had ended it already: logged out
 * either way. Any other failure still logs out here (the caller clears the session), and says the
 * session may remain valid on the server.
 */
async function endSession(): Promise<string> {
  try {
    await logout();
    return LOGGED_OUT_MESSAGE;
  } catch (e) {
    return isApiError(e) && e.status === 401 ? LOGGED_OUT_MESSAGE : LOGGED_OUT_LOCALLY_MESSAGE;
  }
}

/** Routes below need a session; without one the user goes to /login (and comes back after). */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    // sessionStorage only: no React state changes during render.
    if (hasExpiredSession()) setFlash(SESSION_EXPIRED_MESSAGE);
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Outlet />;
}

export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/streams" className="brand">
          <span aria-hidden="true" className="brand-dot" /> OCP Live
        </Link>
        {session && (
          <nav aria-label="Main">
            <NavLink to="/streams">Streams</NavLink>
            <NavLink to="/vods">VODs</NavLink>
            <NavLink to="/webhooks">Webhooks</NavLink>
            <NavLink to="/api-keys">API keys</NavLink>
            <NavLink to="/security">Security</NavLink>
          </nav>
        )}
        {session && (
          <div className="account">
            <span className="muted account-email" title={session.user.email}>
              {session.user.email}
            </span>
            <button
              type="button"
              className="btn btn-small"
              disabled={loggingOut}
              onClick={async () => {
                setLoggingOut(true);
                const message = await endSession();
                setLoggingOut(false);
                // As a flash: clearing the session re-renders RequireAuth, which may open the login
                // page before this navigation (router updates are transitions) and without its state.
                setFlash(message);
                clearSession();
                navigate('/login', { replace: true });
              }}
            >
              {loggingOut ? 'Logging out…' : 'Log out'}
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
