import { useState } from 'react';
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

/**
 * The viewer page. No login: public streams play directly; private ones need the signed link's
 * `?token=`. Viewers have no session for the SSE feed, so the status is polled.
 */
export function WatchPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? undefined;
  const [state, setState] = useState<State>({ kind: 'loading' });

  useInterval(
    () => {
      void (async () => {
        try {
          const { stream } = await getPublicStream(id, token);
          let playback: Playback | null = null;
          if (stream.status === 'live') {
            // Keep the URLs the player already has while the stream stays live, so it does not restart.
            playback =
              state.kind === 'ok' && state.playback && state.stream.status === 'live'
                ? state.playback
                : await getPublicPlayback(id, token);
          }
          setState({ kind: 'ok', stream, playback });
        } catch (e) {
          if (isApiError(e, 'not_found') || isApiError(e, 'forbidden') || isApiError(e, 'unauthorized'))
            setState({ kind: 'not_found' });
          else setState((prev) => (prev.kind === 'ok' ? prev : { kind: 'error', error: e }));
        }
      })();
    },
    10_000,
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
            <Player sources={liveSources(state.playback)} title={state.stream.name} />
          ) : (
            <div className="player-placeholder">
              <p>
                {state.stream.status === 'ended'
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
