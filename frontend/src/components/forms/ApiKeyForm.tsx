import { useState, type FormEvent } from 'react';
import { API_SCOPES, API_SCOPE_HELP, type ApiScope } from '../../api';
import { TextField } from '../TextField';
import { splitApiError, type FieldErrors } from './errors';

type Field = 'name' | 'scopes';
const FIELDS: readonly Field[] = ['name', 'scopes'];

export function ApiKeyForm({ onSubmit }: { onSubmit: (name: string, scopes: ApiScope[]) => Promise<void> }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>([]);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (s: ApiScope) => {
    setScopes((prev) => (prev.includes(s) ? prev.filter((x) => x !== s) : [...prev, s]));
    setErrors((e) => ({ ...e, scopes: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: FieldErrors<Field> = {};
    if (!name.trim()) local.name = 'Give the key a name, e.g. the server that will use it.';
    if (scopes.length === 0) local.scopes = 'Choose at least one scope.';
    setErrors(local);
    setFormError(null);
    if (local.name || local.scopes) return;
    setBusy(true);
    try {
      await onSubmit(name.trim(), API_SCOPES.filter((s) => scopes.includes(s)));
      setName('');
      setScopes([]);
    } catch (err) {
      const split = splitApiError(err, FIELDS);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Create API key">
      {formError && (
        <p className="banner banner-error" role="alert">
          {formError}
        </p>
      )}
      <TextField
        label="Name"
        name="name"
        placeholder="encoder-farm-1"
        value={name}
        onValueChange={(v) => {
          setName(v);
          setErrors((e) => ({ ...e, name: undefined }));
        }}
        error={errors.name}
        required
      />
      <fieldset className="field">
        <legend>Scopes</legend>
        <div className="choices-stacked">
          {API_SCOPES.map((s) => (
            <label key={s} className="choice">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />
              <code>{s}</code> <span className="muted small">{API_SCOPE_HELP[s]}</span>
            </label>
          ))}
        </div>
        {errors.scopes && <p className="field-error">{errors.scopes}</p>}
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}
