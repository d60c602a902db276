import { useState } from 'react';
import { rotateKey, type Ingest } from '../../api';
import { ConfirmButton } from '../ConfirmButton';
import { errorMessage } from '../Feedback';
import { SecretField, StreamKeyField } from '../SecretField';

interface Props {
  streamId: string;
  ingest: Ingest;
  onRotated: (ingest: Ingest) => void;
}

/** What to paste into OBS (or another encoder), plus key rotation. */
export function IngestPanel({ streamId, ingest, onRotated }: Props) {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  return (
    <section className="card" aria-labelledby="obs-settings">
      <h2 id="obs-settings">OBS settings</h2>
      <p className="muted">
        In OBS open Settings → Stream, choose Service <strong>Custom…</strong>, then paste the server and key.
      </p>
      <div data-testid="ingest-rtmp">
        <SecretField label="RTMP Server" value={ingest.rtmp.server} />
        <StreamKeyField value={ingest.rtmp.streamKey} />
      </div>
      <details className="more">
        <summary>Other protocols (SRT, WHIP)</summary>
        <SecretField
          label="SRT URL"
          value={ingest.srt.url}
          secret
          hint="For OBS: Service Custom, Server = this URL, Stream Key empty. Contains your key."
        />
        <SecretField
          label="WHIP URL"
          value={ingest.whip.url}
          secret
          hint="For OBS 30+: Service WHIP, Server = this URL. Contains your key."
        />
      </details>
      <div className="actions">
        <ConfirmButton
          label="Rotate key"
          question="Rotate the stream key? Encoders using the current key will be refused from now on, and a live broadcast using it is cut off."
          confirmLabel="Yes, rotate key"
          danger
          onConfirm={async () => {
            setMessage(null);
            try {
              onRotated(await rotateKey(streamId));
              setMessage({ kind: 'ok', text: 'New key created. Update it in OBS before you go live again.' });
            } catch (e) {
              setMessage({ kind: 'error', text: errorMessage(e) });
            }
          }}
        />
      </div>
      {message && (
        <p className={message.kind === 'ok' ? 'banner banner-info' : 'banner banner-error'} role="status">
          {message.text}
        </p>
      )}
    </section>
  );
}
