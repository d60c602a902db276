import { useEffect, useRef, useState } from 'react';
import type { OvenPlayerInstance } from 'ovenplayer';
import { attachBeacons, type BeaconTarget } from './beacons';
import { loadOvenPlayer } from './loadOvenPlayer';
import type { PlayerSource } from './sources';

interface Props {
  sources: PlayerSource[];
  title: string;
  poster?: string | null;
  /** Start the player again by itself this long after every source failed (live: the encoder may be back). */
  autoRetryMs?: number;
  /** The OvenPlayer instance once created (null again when it is removed), e.g. for a quality menu. */
  onPlayer?: (player: OvenPlayerInstance | null) => void;
  /** Report to the backend while playing (viewers' latency; VOD views and watch time). */
  beacon?: BeaconTarget;
}

/**
 * OvenPlayer in a React-free host element: OvenPlayer rewrites the container's DOM, so React only
 * owns the wrapper. The sources are mirrored in `data-sources` so tests and support can see
 * exactly what the player was given.
 */
export function Player({ sources, title, poster, autoRetryMs, onPlayer, beacon }: Props) {
  const wrapperRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const key = JSON.stringify(sources);
  const onPlayerRef = useRef(onPlayer);
  onPlayerRef.current = onPlayer;
  const beaconKey = beacon ? JSON.stringify(beacon) : '';

  useEffect(() => {
    const wrapper = wrapperRef.current;
    if (!wrapper) return;
    let cancelled = false;
    let player: OvenPlayerInstance | null = null;
    let detachBeacons: (() => void) | null = null;
    const host = document.createElement('div');
    wrapper.appendChild(host);
    setError(null);
    setReady(false);
    setFailed(false);

    loadOvenPlayer()
      .then((create) => {
        if (cancelled) return;
        player = create(host, {
          sources: JSON.parse(key) as PlayerSource[],
          autoStart: true,
          autoFallback: true,
          mute: true,
          title,
          ...(poster ? { image: poster } : {}),
        });
        // Every source failed (e.g. the encoder stopped for a moment): offer a fresh start.
        player.on('error', () => setFailed(true));
        if (beaconKey) detachBeacons = attachBeacons(player, JSON.parse(beaconKey) as BeaconTarget);
        setReady(true);
        onPlayerRef.current?.(player);
      })
      .catch(() => {
        if (!cancelled) setError('The video player could not be loaded. Reload the page to try again.');
      });

    return () => {
      cancelled = true;
      detachBeacons?.();
      if (player) onPlayerRef.current?.(null);
      try {
        player?.remove();
      } catch {
        // OvenPlayer may already have torn itself down after a fatal error.
      }
      host.remove();
    };
  }, [key, title, poster, attempt, beaconKey]);

  useEffect(() => {
    if (!failed || !autoRetryMs) return;
    const t = setTimeout(() => setAttempt((a) => a + 1), autoRetryMs);
    return () => clearTimeout(t);
  }, [failed, autoRetryMs]);

  return (
    <div className="player-block">
      <div className="player" data-testid="player" data-sources={key} data-ready={ready ? 'true' : 'false'}>
        <div ref={wrapperRef} className="player-host" aria-label={`Video player: ${title}`} role="region" />
        {!ready && !error && <p className="muted player-loading">Loading player…</p>}
        {error && (
          <p role="alert" className="error player-loading">
            {error}
          </p>
        )}
      </div>
      {failed && (
        <p className="player-retry muted" role="status">
          Playback stopped.{' '}
          <button type="button" className="btn btn-small" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </p>
      )}
    </div>
  );
}
