import { useState } from 'react';
import { getStats, isUnavailable, type StreamStats } from '../../api';
import { useInterval } from '../../hooks/useApi';

export type StatsState =
  | { kind: 'loading' }
  | { kind: 'ok'; stats: StreamStats }
  | { kind: 'unavailable' }
  | { kind: 'error'; message: string };

/** Polls the stream's stats while `active`; a missing endpoint or unreachable OME is "unavailable", never a crash. */
export function useStats(streamId: string, active: boolean, everyMs = 5000): StatsState {
  const [state, setState] = useState<StatsState>({ kind: 'loading' });
  useInterval(
    () => {
      getStats(streamId)
        .then((stats) => setState({ kind: 'ok', stats }))
        .catch((e: unknown) =>
          setState(isUnavailable(e) ? { kind: 'unavailable' } : { kind: 'error', message: (e as Error).message }),
        );
    },
    everyMs,
    active,
  );
  return state;
}
