import { useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { getPublicPlayback, getPublicStream, isApiError, type Playback, type PublicStream } from '../api';
import { ErrorBanner, Loading } from '../components/Feedback';
import { Player } from '../components/player/Player';
import { liveSources } from '../components/player/sources';
import { StatusBadge } from '../components/StatusBadge';
import { useInterval } from '../hooks/useApi';

type State =
  | { kind: 'loading' }
  | { kind: 'not_found' }
  | { kind: 'error'; error: unknown }
  | { kind: 'ok'; stream: PublicStream; playback: Playback | null };

/** Status poll: every 10 s, every 2 s while the broadcast is reconnecting (to resume quickly). */
export const POLL_MS = 10_000;
export const RECONNECTING_POLL_MS = 2_000;
/** A live player whose sources all failed starts again after this (the encoder may be back). */
export const PLAYER_RETRY_MS = 3_000;

/**
 * The viewer page. No login: public streams play directly; private ones need the signed link's
 * `?token=`. Viewers have no session for the SSE feed, so the status is polled. While the stream
 * is `reconnecting` (its publisher dropped, the broadcast goes on) the page says it will resume and
 * polls faster; when the stream is live again a fresh player starts.
 */
export function WatchPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? undefined;
  const [state, setState] = useState<State>({ kind: 'loading' });
  // Bumped on every return to live, so the player is built anew (it had failed when the feed stopped).
  const generation = useRef(0);
  const reconnecting = state.kind === 'ok' && state.stream.status === 'reconnecting';

  useInterval(
    () => {
      void (async () => {
        try {
          const { stream } = await getPublicStream(id, token);
          let playback: Playback | null = null;
          const wasLive = state.kind === 'ok' && state.stream.status === 'live';
          if (stream.status === 'live') {
            // Keep the URLs the player already has while the stream stays live, so it does not restart.
            playback = wasLive && state.playback ? state.playback : await getPublicPlayback(id, token);
            if (!wasLive) generation.current += 1;
          }
          setState({ kind: 'ok', stream, playback });
        } catch (e) {
          if (isApiError(e, 'not_found') || isApiError(e, 'forbidden') || isApiError(e, 'unauthorized'))
            setState({ kind: 'not_found' });
          else setState((prev) => (prev.kind === 'ok' ? prev : { kind: 'error', error: e }));
        }
      })();
    },
    reconnecting ? RECONNECTING_POLL_MS : POLL_MS,
    id !== '',
  );

  return (
    <section className="watch">
      {state.kind === 'loading' && <Loading label="Loading stream…" />}
      {state.kind === 'not_found' && (
        <div className="card">
          <h1>Stream not available</h1>
          <p>
            This stream does not exist, is private, or its link has expired. If it is private, ask the creator for a
            new playback link.
          </p>
        </div>
      )}
      {state.kind === 'error' && <ErrorBanner error={state.error} />}
      {state.kind === 'ok' && (
        <>
          <h1>
            {state.stream.name} <StatusBadge status={state.stream.status} />
          </h1>
          {state.stream.status === 'live' && state.playback ? (
            <Player
              key={generation.current}
              sources={liveSources(state.playback)}
              title={state.stream.name}
              autoRetryMs={PLAYER_RETRY_MS}
              beacon={state.stream.sessionId ? { kind: 'live', streamId: state.stream.id, sessionId: state.stream.sessionId } : undefined}
            />
          ) : (
            <div className="player-placeholder" data-testid="player-placeholder">
              <p role="status">
                {state.stream.status === 'reconnecting'
                  ? 'The broadcast will resume shortly.'
                  : state.stream.status === 'ended'
                    ? 'The broadcast has ended. Thanks for watching!'
                    : 'The stream is offline. This page starts playing when it goes live.'}
              </p>
            </div>
          )}
          {state.stream.description && <p className="muted">{state.stream.description}</p>}
        </>
      )}
    </section>
  );
}
