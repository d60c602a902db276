import type { Playback, Stream } from '../../api';
import { formatDate } from '../../utils/format';
import { SecretField } from '../SecretField';

/** The viewer link: plain for public streams, with a short-lived playback token for private ones. */
export function WatchLinkPanel({ stream, playback }: { stream: Stream; playback: Playback | undefined }) {
  const base = `${window.location.origin}/watch/${stream.id}`;
  const isPrivate = stream.visibility === 'private';
  return (
    <section className="card" aria-labelledby="share">
      <h2 id="share">Watch link</h2>
      {!isPrivate && <SecretField label="Public watch link" value={base} />}
      {isPrivate && !playback?.token && <p className="muted">Loading a signed link…</p>}
      {isPrivate && playback?.token && (
        <SecretField
          label="Private watch link"
          value={`${base}?token=${encodeURIComponent(playback.token)}`}
          secret
          hint={`Signed link; works until ${formatDate(playback.expiresAt)}. Reload this page for a fresh one.`}
        />
      )}
    </section>
  );
}
