import { useState, type FormEvent } from 'react';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../api';
import { TextField } from '../TextField';
import { splitApiError, type FieldErrors } from './errors';

type Field = 'url' | 'events';
const FIELDS: readonly Field[] = ['url', 'events'];

interface Props {
  onSubmit: (url: string, events: WebhookEventType[]) => Promise<void>;
  /** Editing an endpoint: its current URL and events; the form keeps them after saving. */
  initial?: { url: string; events: WebhookEventType[] };
  submitLabel?: string;
}

export function validateWebhookUrl(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'Use an http:// or https:// URL.';
    return undefined;
  } catch {
    return 'Enter a full URL, like https://example.com/hooks/ocp.';
  }
}

export function WebhookForm({ onSubmit, initial, submitLabel = 'Add endpoint' }: Props) {
  const editing = initial !== undefined;
  const [url, setUrl] = useState(initial?.url ?? '');
  // All events subscribed reads as "none selected" (= all), as when the endpoint was added.
  const [events, setEvents] = useState<WebhookEventType[]>(initial && initial.events.length < WEBHOOK_EVENT_TYPES.length ? initial.events : []);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (ev: WebhookEventType) =>
    setEvents((prev) => (prev.includes(ev) ? prev.filter((e) => e !== ev) : [...prev, ev]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const urlError = validateWebhookUrl(url);
    setErrors(urlError ? { url: urlError } : {});
    setFormError(null);
    if (urlError) return;
    setBusy(true);
    try {
      await onSubmit(url.trim(), events);
      if (!editing) {
        setUrl('');
        setEvents([]);
      }
    } catch (err) {
      const split = splitApiError(err, FIELDS);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={editing ? 'Edit webhook endpoint' : 'Add webhook endpoint'}>
      {formError && (
        <p className="banner banner-error" role="alert">
          {formError}
        </p>
      )}
      <TextField
        label="Endpoint URL"
        name="url"
        type="url"
        inputMode="url"
        placeholder="https://example.com/hooks/ocp"
        value={url}
        onValueChange={(v) => {
          setUrl(v);
          setErrors((e) => ({ ...e, url: undefined }));
        }}
        error={errors.url}
        required
      />
      <fieldset className="field">
        <legend>Events (none selected = all events)</legend>
        <div className="choices-inline">
          {WEBHOOK_EVENT_TYPES.map((ev) => (
            <label key={ev} className="choice">
              <input type="checkbox" checked={events.includes(ev)} onChange={() => toggle(ev)} />
              <code>{ev}</code>
            </label>
          ))}
        </div>
        {errors.events && <p className="field-error">{errors.events}</p>}
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
