import { useEffect, useRef, useState } from 'react';
import { subscribeStatusEvents, type ConnectionState, type StreamHealthEvent, type StreamStatusEvent } from '../api';

/** Live `stream.status` (and `stream.health`) events from an authenticated SSE endpoint; returns the connection state. */
export function useStatusEvents(path: string | null, onStatus: (e: StreamStatusEvent) => void, onHealth?: (e: StreamHealthEvent) => void): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  const handler = useRef(onStatus);
  handler.current = onStatus;
  const health = useRef(onHealth);
  health.current = onHealth;
  useEffect(() => {
    if (!path) return;
    return subscribeStatusEvents(path, { onStatus: (e) => handler.current(e), onHealth: (e) => health.current?.(e), onConnection: setState });
  }, [path]);
  return state;
}
