import { useState, type FormEvent } from 'react';
import type { StreamInput, Visibility } from '../../api';
import { TextField } from '../TextField';
import { splitApiError, type FieldErrors } from './errors';

type Field = 'name' | 'description' | 'visibility' | 'record' | 'reconnectWindowSeconds';
const FIELDS: readonly Field[] = ['name', 'description', 'visibility', 'record', 'reconnectWindowSeconds'];

/** The backend's limits for the reconnect window (seconds; 0 = off). */
export const RECONNECT_WINDOW_DEFAULT = 60;
export const RECONNECT_WINDOW_MAX = 1800;

export interface StreamFormValues {
  name: string;
  description: string;
  visibility: Visibility;
  record: boolean;
  /** As typed: a whole number of seconds once valid. */
  reconnectWindowSeconds: string;
}

interface Props {
  initial?: Partial<Omit<StreamFormValues, 'reconnectWindowSeconds'>> & { reconnectWindowSeconds?: number };
  submitLabel: string;
  onSubmit: (input: StreamInput) => Promise<void>;
  onCancel?: () => void;
}

export function validateStream(v: StreamFormValues): FieldErrors<Field> {
  const errors: FieldErrors<Field> = {};
  const name = v.name.trim();
  if (name.length === 0) errors.name = 'Give the stream a name.';
  else if (name.length > 100) errors.name = 'The name can be at most 100 characters.';
  if (v.description.length > 1000) errors.description = 'The description can be at most 1000 characters.';
  const w = v.reconnectWindowSeconds.trim();
  if (!/^\d+$/.test(w)) errors.reconnectWindowSeconds = 'Enter a whole number of seconds (0 turns it off).';
  else if (Number(w) > RECONNECT_WINDOW_MAX) errors.reconnectWindowSeconds = `The reconnect window can be at most ${RECONNECT_WINDOW_MAX} seconds.`;
  return errors;
}

export function StreamForm({ initial, submitLabel, onSubmit, onCancel }: Props) {
  const [values, setValues] = useState<StreamFormValues>({
    name: initial?.name ?? '',
    description: initial?.description ?? '',
    visibility: initial?.visibility ?? 'public',
    record: initial?.record ?? true,
    reconnectWindowSeconds: String(initial?.reconnectWindowSeconds ?? RECONNECT_WINDOW_DEFAULT),
  });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof StreamFormValues>(k: K, v: StreamFormValues[K]) => {
    setValues((p) => ({ ...p, [k]: v }));
    // The message was about the old value: drop it once the user edits the field.
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = validateStream(values);
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await onSubmit({
        name: values.name.trim(),
        description: values.description,
        visibility: values.visibility,
        record: values.record,
        reconnectWindowSeconds: Number(values.reconnectWindowSeconds.trim()),
      });
    } catch (err) {
      const { fieldErrors, formError: fe } = splitApiError(err, FIELDS);
      setErrors(fieldErrors);
      setFormError(fe);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Stream settings">
      {formError && (
        <p className="banner banner-error" role="alert">
          {formError}
        </p>
      )}
      <TextField
        label="Name"
        name="name"
        value={values.name}
        onValueChange={(v) => set('name', v)}
        error={errors.name}
        required
        maxLength={100}
        autoComplete="off"
      />
      <TextField
        label="Description (optional)"
        name="description"
        multiline
        value={values.description}
        onValueChange={(v) => set('description', v)}
        error={errors.description}
        maxLength={1000}
      />
      <fieldset className="field" aria-describedby={errors.visibility ? 'visibility-error' : undefined}>
        <legend>Who can watch</legend>
        <label className="choice">
          <input
            type="radio"
            name="visibility"
            value="public"
            checked={values.visibility === 'public'}
            onChange={() => set('visibility', 'public')}
          />
          Public — anyone with the watch link
        </label>
        <label className="choice">
          <input
            type="radio"
            name="visibility"
            value="private"
            checked={values.visibility === 'private'}
            onChange={() => set('visibility', 'private')}
          />
          Private — only people with a signed playback link
        </label>
        {errors.visibility && (
          <p id="visibility-error" className="field-error">
            {errors.visibility}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label className="choice">
          <input type="checkbox" name="record" checked={values.record} onChange={(e) => set('record', e.target.checked)} />
          Record broadcasts and keep them as VODs
        </label>
        {errors.record && <p className="field-error">{errors.record}</p>}
      </div>
      <TextField
        label="Reconnect window (seconds)"
        name="reconnectWindowSeconds"
        inputMode="numeric"
        value={values.reconnectWindowSeconds}
        onValueChange={(v) => set('reconnectWindowSeconds', v)}
        error={errors.reconnectWindowSeconds}
        hint={`If the encoder drops, the broadcast waits this long for it to come back as the same broadcast (one VOD). 0 ends it at once; at most ${RECONNECT_WINDOW_MAX}.`}
        autoComplete="off"
      />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
