import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { clearFlash, login, peekFlash, register, setSession } from '../api';
import { AuthForm } from '../components/forms/AuthForm';
import { useSession } from '../hooks/useSession';

interface LocationState {
  from?: string;
  message?: string;
}

export function AuthPage({ mode }: { mode: 'login' | 'signup' }) {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as LocationState;
  // Read the one-time message once per visit (why the user is here: expired session, logout).
  const [notice] = useState(() => peekFlash() ?? state.message ?? null);
  useEffect(() => clearFlash(), []);
  const target = state.from && state.from.startsWith('/') && !state.from.startsWith('//') ? state.from : '/streams';

  if (session) return <Navigate to={target} replace />;

  const submit = async (email: string, password: string) => {
    const result = mode === 'login' ? await login(email, password) : await register(email, password);
    setSession({ token: result.token, user: result.user });
    navigate(target, { replace: true });
  };

  return (
    <section className="auth card">
      <h1>{mode === 'login' ? 'Log in' : 'Create your account'}</h1>
      {notice && (
        <p className="banner banner-info" role="status">
          {notice}
        </p>
      )}
      <AuthForm mode={mode} onSubmit={submit} />
      <p className="muted">
        {mode === 'login' ? (
          <>
            New here? <Link to="/signup" state={location.state}>Create an account</Link>
          </>
        ) : (
          <>
            Already have an account? <Link to="/login" state={location.state}>Log in</Link>
          </>
        )}
      </p>
    </section>
  );
}
