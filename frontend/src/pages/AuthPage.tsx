import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { clearFlash, getRegistration, login, peekFlash, register, setSession, type RegistrationInfo } from '../api';
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
  const [params] = useSearchParams();
  const invite = mode === 'signup' ? params.get('invite') ?? undefined : undefined;
  // Who may sign up here (REGISTRATION): the page explains instead of offering a form that is refused.
  const [registration, setRegistration] = useState<RegistrationInfo | null>(null);
  useEffect(() => {
    if (mode !== 'signup') return;
    const controller = new AbortController();
    getRegistration(controller.signal).then(setRegistration, () => setRegistration(null));
    return () => controller.abort();
  }, [mode]);
  const refusal = mode === 'signup' && registration && !registration.firstAccount ? signUpRefusal(registration.mode, invite) : null;

  if (session) return <Navigate to={target} replace />;

  const submit = async (email: string, password: string) => {
    const result = mode === 'login' ? await login(email, password) : await register(email, password, invite);
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
      {mode === 'signup' && registration?.firstAccount && (
        <p className="banner banner-info" role="status">
          This is the first account on this server: it becomes the administrator.
        </p>
      )}
      {mode === 'signup' && invite && !refusal && (
        <p className="banner banner-info" role="status">
          You were invited: choose your email and password to create your account.
        </p>
      )}
      {refusal ? (
        <p className="banner banner-info" role="status" data-testid="signup-refused">
          {refusal}
        </p>
      ) : (
        <AuthForm mode={mode} onSubmit={submit} />
      )}
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

/** Why this visitor cannot sign up (null: the form is shown). */
export function signUpRefusal(mode: RegistrationInfo['mode'], invite: string | undefined): string | null {
  if (mode === 'closed') return 'Sign-up is closed on this server. Ask an administrator for an account.';
  if (mode === 'invite' && !invite) return 'Sign-up is by invitation only. Open the invite link an administrator sent you.';
  return null;
}
