import { useEffect, useRef, useState } from 'react';
import { subscribeStatusEvents, type ConnectionState, type StreamStatusEvent } from '../api';

/** Live `stream.status` events from an authenticated SSE endpoint; returns the connection state. */
export function useStatusEvents(path: string | null, onStatus: (e: StreamStatusEvent) => void): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  const handler = useRef(onStatus);
  handler.current = onStatus;
  useEffect(() => {
    if (!path) return;
    return subscribeStatusEvents(path, { onStatus: (e) => handler.current(e), onConnection: setState });
  }, [path]);
  return state;
}
