import { useState, type FormEvent } from 'react';
import { TextField } from '../TextField';
import { splitApiError, type FieldErrors } from './errors';

type Field = 'currentPassword' | 'newPassword' | 'repeat';
// The fields the API names in `details[].path` (wrong_password, weak_password, length rules).
const API_FIELDS: readonly Field[] = ['currentPassword', 'newPassword'];

/** The form's own checks, before anything is sent (the API's policy check comes after). */
export function validatePasswordChange(current: string, next: string, repeat: string): FieldErrors<Field> {
  const errors: FieldErrors<Field> = {};
  if (current.length === 0) errors.currentPassword = 'Enter your current password.';
  if (next.length < 8 || next.length > 200) errors.newPassword = 'Use between 8 and 200 characters.';
  else if (next === current) errors.newPassword = 'Choose a password different from the current one.';
  if (!errors.newPassword && repeat !== next) errors.repeat = 'The two new passwords differ.';
  return errors;
}

/** Current password + new password (typed twice). `onSubmit` throws the API's error to show it. */
export function PasswordForm({ email, onSubmit }: { email: string; onSubmit: (currentPassword: string, newPassword: string) => Promise<void> }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = validatePasswordChange(current, next, repeat);
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await onSubmit(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (err) {
      // The API names the field: wrong_password → currentPassword, weak_password (the policy's
      // advice) → newPassword. Too many wrong tries (429), a change made meanwhile (409) and anything
      // unexpected go above the form.
      const split = splitApiError(err, API_FIELDS);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    } finally {
      setBusy(false);
    }
  };

  const edit = (field: Field, set: (v: string) => void) => (v: string) => {
    set(v);
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Change password">
      {formError && (
        <p className="banner banner-error" role="alert">
          {formError}
        </p>
      )}
      {/* Tells password managers which account the new password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={current}
        onValueChange={edit('currentPassword', setCurrent)}
        error={errors.currentPassword}
        required
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        value={next}
        onValueChange={edit('newPassword', setNext)}
        error={errors.newPassword}
        hint="At least 8 characters, not a common password or your email. A few unrelated words work well."
        required
      />
      <TextField
        label="Repeat the new password"
        name="repeatPassword"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onValueChange={edit('repeat', setRepeat)}
        error={errors.repeat}
        required
      />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
