import { useEffect, useState } from 'react';
import type { OvenPlayerInstance } from 'ovenplayer';
import { Link } from 'react-router';
import { createClip, getVod, isApiError, listClips, type Vod } from '../../api';
import { StatusBadge } from '../StatusBadge';
import { formatTimecode } from '../../utils/format';

interface Props {
  vod: Pick<Vod, 'id' | 'title' | 'durationMs'>;
  /** The player of the page: "Set in" / "Set out" read its position. */
  player: OvenPlayerInstance | null;
  pollMs?: number;
}

type ClipRow = Pick<Vod, 'id' | 'title' | 'status' | 'error' | 'clip'>;

/**
 * Clips of a VOD: mark in and out while watching, name it, create it; the clips made so far with
 * their progress (processing → a link once ready, or why it failed).
 */
export function ClipPanel({ vod, player, pollMs = 2000 }: Props) {
  const [inMs, setInMs] = useState<number | null>(null);
  const [outMs, setOutMs] = useState<number | null>(null);
  const [title, setTitle] = useState(`${vod.title} (clip)`.slice(0, 200));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [clips, setClips] = useState<ClipRow[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    listClips(vod.id, controller.signal).then(
      (rows) => setClips(rows),
      () => undefined,
    );
    return () => controller.abort();
  }, [vod.id]);

  // Clips still being cut are looked at again until they are ready or failed.
  const pending = clips.filter((c) => c.status === 'processing' || c.status === 'pending').map((c) => c.id).join(',');
  useEffect(() => {
    if (!pending) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      const fresh = await Promise.all(pending.split(',').map((id) => getVod(id, controller.signal).then((r) => r.vod, () => null)));
      if (controller.signal.aborted) return;
      setClips((list) => list.map((c) => fresh.find((f) => f?.id === c.id) ?? c));
    }, pollMs);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [pending, pollMs, clips]);

  const position = () => (player?.getPosition ? Math.round(player.getPosition() * 1000) : null);
  const problem =
    inMs === null || outMs === null ? 'Set the in and out points while the video plays.'
      : outMs <= inMs ? 'The out point must be after the in point.'
        : vod.durationMs != null && outMs > vod.durationMs ? 'The out point is after the end.'
          : title.trim() === '' ? 'Give the clip a title.'
            : null;

  return (
    <section className="clip-panel" aria-label="Clips">
      <h2>Clip</h2>
      <div className="field-row clip-marks">
        <button type="button" className="btn btn-small" disabled={!player} onClick={() => setInMs(position())}>
          Set in
        </button>
        <span data-testid="clip-in">{formatTimecode(inMs)}</span>
        <button type="button" className="btn btn-small" disabled={!player} onClick={() => setOutMs(position())}>
          Set out
        </button>
        <span data-testid="clip-out">{formatTimecode(outMs)}</span>
      </div>
      <div className="field">
        <label htmlFor="clip-title">Clip title</label>
        <div className="field-row">
          <input id="clip-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          <button
            type="button"
            className="btn"
            disabled={problem !== null || busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                const { vod: clip } = await createClip(vod.id, { startMs: inMs!, endMs: outMs!, title: title.trim() });
                setClips((list) => [clip, ...list]);
              } catch (e) {
                setError(isApiError(e) ? e.message : 'The clip could not be created');
              } finally {
                setBusy(false);
              }
            }}
          >
            Create clip
          </button>
        </div>
        {problem && inMs !== null && outMs !== null && <p className="field-error">{problem}</p>}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <p className="muted">The clip starts at the keyframe at or before the in point and ends at the one at or after the out point (within a second or two); nothing is re-encoded.</p>
      </div>
      {clips.length > 0 && (
        <ul className="clip-list" aria-label="Clips of this recording">
          {clips.map((c) => (
            <li key={c.id} data-testid="clip-item">
              {c.status === 'ready' ? <Link to={`/vods/${c.id}`}>{c.title}</Link> : <span>{c.title}</span>} <StatusBadge status={c.status} />{' '}
              <span className="muted">
                {c.clip && c.status === 'ready'
                  ? `${formatTimecode(c.clip.actualStartMs)}–${formatTimecode(c.clip.actualEndMs)}`
                  : c.clip
                    ? `${formatTimecode(c.clip.startMs)}–${formatTimecode(c.clip.endMs)}`
                    : null}
              </span>
              {c.status === 'processing' && <span className="muted"> Cutting…</span>}
              {c.status === 'failed' && <span className="field-error"> {c.error ?? 'failed'}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
