import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api';
import { TextField } from '../TextField';
import { splitApiError, type FieldErrors } from './errors';

type Field = 'email' | 'password';
const FIELDS: readonly Field[] = ['email', 'password'];

interface Props {
  mode: 'login' | 'signup';
  onSubmit: (email: string, password: string) => Promise<void>;
}

export function validateAuth(mode: Props['mode'], email: string, password: string): FieldErrors<Field> {
  const errors: FieldErrors<Field> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) errors.email = 'Enter a valid email address.';
  if (mode === 'signup' && (password.length < 8 || password.length > 200))
    errors.password = 'Use between 8 and 200 characters.';
  if (mode === 'login' && password.length === 0) errors.password = 'Enter your password.';
  return errors;
}

export function AuthForm({ mode, onSubmit }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = validateAuth(mode, email, password);
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await onSubmit(email.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'email_taken') {
        setErrors({ email: 'An account with this email already exists. Log in instead.' });
      } else if (err instanceof ApiError && err.code === 'invalid_credentials') {
        setFormError('Wrong email or password.');
      } else if (err instanceof ApiError && err.code === 'rate_limited') {
        setFormError('Too many attempts. Wait a minute and try again.');
      } else {
        const split = splitApiError(err, FIELDS);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={mode === 'login' ? 'Log in' : 'Sign up'}>
      {formError && (
        <p className="banner banner-error" role="alert">
          {formError}
        </p>
      )}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={email}
        onValueChange={(v) => {
          setEmail(v);
          setErrors((e) => ({ ...e, email: undefined }));
        }}
        error={errors.email}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
        value={password}
        onValueChange={(v) => {
          setPassword(v);
          setErrors((e) => ({ ...e, password: undefined }));
        }}
        error={errors.password}
        hint={mode === 'signup' ? 'At least 8 characters, not a common password or your email. A few unrelated words work well.' : undefined}
        required
      />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Please wait…' : mode === 'login' ? 'Log in' : 'Create account'}
      </button>
    </form>
  );
}
