import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { clearSession, hasExpiredSession, setFlash, SESSION_EXPIRED_MESSAGE } from '../api';
import { useSession } from '../hooks/useSession';

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

/** Below RequireAuth: administrators only (others see the not-found page; the API refuses them anyway). */
export function RequireAdmin() {
  const session = useSession();
  if (session?.user.role !== 'admin') return <Navigate to="/streams" replace />;
  return <Outlet />;
}

export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
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
            {session.user.role === 'admin' && (
              <>
                <NavLink to="/admin/users">Users</NavLink>
                <NavLink to="/admin/invites">Invites</NavLink>
              </>
            )}
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
              onClick={() => {
                clearSession();
                navigate('/login', { replace: true, state: { message: 'You are logged out.' } });
              }}
            >
              Log out
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
