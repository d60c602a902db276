import { useState, type FormEvent } from 'react';
import { ApiError, createOutput, deleteOutput, listOutputs, updateOutput, type OutputInput, type OutputState, type StreamOutput } from '../../api';
import { useInterval } from '../../hooks/useApi';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorBanner, errorMessage } from '../Feedback';
import { TextField } from '../TextField';

type Rendition = NonNullable<OutputInput['rendition']>;
const RENDITIONS: Rendition[] = ['source', '1080p', '720p', '480p', '360p'];

/** Server URLs of the usual platforms (their stream key comes from the platform's live dashboard). */
export const PRESETS = [
  { id: 'youtube', label: 'YouTube', name: 'YouTube', url: 'rtmps://a.rtmps.youtube.com:443/live2', keyHint: 'YouTube Studio → Go live → Stream key' },
  { id: 'twitch', label: 'Twitch', name: 'Twitch', url: 'rtmps://live.twitch.tv:443/app', keyHint: 'Twitch Creator Dashboard → Settings → Stream → Primary stream key' },
  { id: 'rtmp', label: 'Custom RTMP', name: '', url: 'rtmp://', keyHint: 'The stream key the destination gave you' },
  { id: 'srt', label: 'Custom SRT', name: '', url: 'srt://', keyHint: 'SRT: the streamid, or streamid=…&passphrase=…' },
] as const;

const STATE_LABEL: Record<OutputState, string> = { idle: 'Idle', starting: 'Starting…', active: 'Active', error: 'Error', stopped: 'Stopped' };

function OutputForm({ streamId, onCreated }: { streamId: string; onCreated: (o: StreamOutput) => void }) {
  const [preset, setPreset] = useState<(typeof PRESETS)[number]['id']>('youtube');
  const p = PRESETS.find((x) => x.id === preset)!;
  const [name, setName] = useState<string>(p.name);
  const [url, setUrl] = useState<string>(p.url);
  const [streamKey, setStreamKey] = useState('');
  const [rendition, setRendition] = useState<Rendition>('source');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = (id: (typeof PRESETS)[number]['id']) => {
    const next = PRESETS.find((x) => x.id === id)!;
    setPreset(id);
    setName(next.name);
    setUrl(next.url);
    setErrors({});
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const o = await createOutput(streamId, { name: name.trim(), url: url.trim(), ...(streamKey ? { streamKey } : {}), rendition });
      setStreamKey('');
      onCreated(o);
    } catch (err) {
      if (err instanceof ApiError && err.details?.length) setErrors(Object.fromEntries(err.details.map((d) => [d.path, d.message])));
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Add restream destination">
      <fieldset className="choices">
        <legend>Destination</legend>
        {PRESETS.map((x) => (
          <label key={x.id} className="choice">
            <input type="radio" name="preset" checked={preset === x.id} onChange={() => choose(x.id)} /> {x.label}
          </label>
        ))}
      </fieldset>
      <TextField label="Name" value={name} onValueChange={setName} error={errors.name} maxLength={100} />
      <TextField label="Server URL" value={url} onValueChange={setUrl} error={errors.url} maxLength={2048} hint="rtmp://, rtmps:// or srt:// (OME connects to it)" />
      <TextField label="Stream key" type="password" autoComplete="off" value={streamKey} onValueChange={setStreamKey} error={errors.streamKey} hint={`${p.keyHint}. Stored encrypted; only its last 4 characters are shown again.`} />
      <div className="field">
        <label htmlFor="output-rendition">Quality</label>
        <select id="output-rendition" value={rendition} onChange={(e) => setRendition(e.target.value as Rendition)}>
          {RENDITIONS.map((r) => (
            <option key={r} value={r}>
              {r === 'source' ? 'Source (as sent by the encoder)' : r}
            </option>
          ))}
        </select>
      </div>
      {failure && (
        <p className="banner banner-error" role="alert">
          {failure}
        </p>
      )}
      <button className="btn btn-primary" type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add destination'}
      </button>
    </form>
  );
}

/** Restream destinations of a stream: pushed by OME while the stream is on air; live state per output. */
export function OutputsPanel({ streamId, onAir }: { streamId: string; onAir: boolean }) {
  const [outputs, setOutputs] = useState<StreamOutput[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const refresh = () =>
    listOutputs(streamId)
      .then((o) => {
        setOutputs(o);
        setLoadError(null);
      })
      .catch((e: unknown) => setLoadError(e));
  // States change on the server as OME connects: poll while on air, once otherwise.
  useInterval(() => void refresh(), onAir ? 3000 : 60_000, true);

  const replace = (o: StreamOutput) => setOutputs((list) => (list ?? []).map((x) => (x.id === o.id ? o : x)));
  const toggle = async (o: StreamOutput) => {
    setActionError(null);
    try {
      replace(await updateOutput(streamId, o.id, { enabled: !o.enabled }));
    } catch (e) {
      setActionError(errorMessage(e));
    }
  };
  const remove = async (o: StreamOutput) => {
    setActionError(null);
    try {
      await deleteOutput(streamId, o.id);
      setOutputs((list) => (list ?? []).filter((x) => x.id !== o.id));
    } catch (e) {
      setActionError(errorMessage(e));
    }
  };

  return (
    <section className="card" aria-labelledby="outputs">
      <div className="page-head">
        <h2 id="outputs">Restream</h2>
        <button type="button" className="btn btn-small" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          {adding ? 'Close' : 'Add destination'}
        </button>
      </div>
      <p className="muted small">Sent to every enabled destination while you are live (and kept through a reconnect).</p>
      {loadError != null && <ErrorBanner error={loadError} retry={() => void refresh()} />}
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      {adding && (
        <OutputForm
          streamId={streamId}
          onCreated={(o) => {
            setOutputs((list) => [...(list ?? []), o]);
            setAdding(false);
          }}
        />
      )}
      {outputs && outputs.length === 0 && !adding && <p className="muted">No destinations yet: add YouTube, Twitch or any RTMP/SRT server.</p>}
      {outputs && outputs.length > 0 && (
        <ul className="outputs" data-testid="outputs">
          {outputs.map((o) => (
            <li key={o.id} className="output-row" data-testid={`output-${o.id}`}>
              <div>
                <strong>{o.name}</strong> <span className={`badge badge-${o.state}`}>{STATE_LABEL[o.state]}</span>
                <div className="muted small">
                  {o.url} · key {o.streamKeyLast4 ? `••••${o.streamKeyLast4}` : '••••'} · {o.rendition}
                </div>
                {o.state === 'error' && o.error && (
                  <div className="error-text small" role="status">
                    {o.error}
                    {o.nextAttemptAt && onAir ? ` — retrying at ${new Date(o.nextAttemptAt).toLocaleTimeString()}` : ''}
                  </div>
                )}
              </div>
              <div className="row-actions">
                <label className="choice">
                  <input type="checkbox" role="switch" checked={o.enabled} onChange={() => void toggle(o)} aria-label={`${o.enabled ? 'Stop' : 'Start'} ${o.name}`} />{' '}
                  {o.enabled ? 'On' : 'Off'}
                </label>
                <ConfirmButton label="Remove" question={`Remove ${o.name}?`} confirmLabel="Remove" danger onConfirm={() => remove(o)} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
