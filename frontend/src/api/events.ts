import { authHeaders, handleUnauthorized } from './client';
import { createSseParser } from './sse';
import type { StreamHealthEvent, StreamStatus, StreamStatusEvent } from './types';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SubscribeOptions {
  onStatus: (event: StreamStatusEvent) => void;
  /** `stream.health` events (a stream's open ingest alerts changed). */
  onHealth?: (event: StreamHealthEvent) => void;
  onConnection?: (state: ConnectionState) => void;
  /** Backoff bounds in ms (tests shorten them). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

// A Record, so a status added to the contract is a compile error here rather than silently dropped events.
const KNOWN: Record<StreamStatus, true> = { idle: true, live: true, reconnecting: true, ended: true, disabled: true };
const STATUSES: ReadonlySet<string> = new Set(Object.keys(KNOWN));

function parseStatusEvent(data: string): StreamStatusEvent | null {
  try {
    const v = JSON.parse(data) as Partial<StreamStatusEvent>;
    if (typeof v.streamId === 'string' && typeof v.status === 'string' && STATUSES.has(v.status)) {
      const deadline = v.status === 'reconnecting' && typeof v.reconnectDeadline === 'string' && !Number.isNaN(Date.parse(v.reconnectDeadline)) ? v.reconnectDeadline : null;
      return { streamId: v.streamId, status: v.status as StreamStatus, at: typeof v.at === 'string' ? v.at : new Date().toISOString(), reconnectDeadline: deadline };
    }
  } catch {
    // ignore malformed events rather than breaking the stream
  }
  return null;
}

function parseHealthEvent(data: string): StreamHealthEvent | null {
  try {
    const v = JSON.parse(data) as Partial<StreamHealthEvent>;
    if (typeof v.streamId === 'string' && Array.isArray(v.alerts)) return { streamId: v.streamId, alerts: v.alerts };
  } catch {
    // ignore malformed events
  }
  return null;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with ±20% jitter. */
export function backoffDelay(attempt: number, minDelayMs = 1000, maxDelayMs = 30_000): number {
  const base = Math.min(maxDelayMs, minDelayMs * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Follows `stream.status` events from an SSE endpoint that needs the Authorization header
 * (so EventSource cannot be used): fetch() with a streamed body, reconnecting with backoff.
 * Returns a function that stops it.
 */
export function subscribeStatusEvents(path: string, options: SubscribeOptions): () => void {
  const controller = new AbortController();
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const setState = (s: ConnectionState) => options.onConnection?.(s);

  const connect = async (): Promise<void> => {
    setState(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      const res = await fetch(path, {
        headers: { Accept: 'text/event-stream', ...authHeaders() },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (res.status === 401) {
        setState('closed');
        const body = (await res.json().catch(() => null)) as { error?: { message?: unknown; code?: unknown } } | null;
        handleUnauthorized(typeof body?.error?.message === 'string' ? body.error.message : undefined, typeof body?.error?.code === 'string' ? body.error.code : undefined);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
      setState('open');
      attempt = 0;
      const parse = createSseParser((msg) => {
        if (msg.event === 'stream.health') {
          const h = parseHealthEvent(msg.data);
          if (h) options.onHealth?.(h);
          return;
        }
        if (msg.event !== 'stream.status') return;
        const ev = parseStatusEvent(msg.data);
        if (ev) options.onStatus(ev);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parse(value);
      }
    } catch {
      if (controller.signal.aborted) return;
    }
    if (controller.signal.aborted) return;
    // The server closed the stream or the network failed: try again later.
    const delay = backoffDelay(attempt, options.minDelayMs, options.maxDelayMs);
    attempt += 1;
    setState('reconnecting');
    timer = setTimeout(() => void connect(), delay);
  };

  void connect();
  return () => {
    controller.abort();
    if (timer) clearTimeout(timer);
    setState('closed');
  };
}
