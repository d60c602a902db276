// Stream change notifications across backend replicas, over Redis pub/sub.
// Two kinds: `status` (feeds SSE clients and outgoing webhooks already fired by the writer) and
// `changed` (settings/key changed: drop cached access facts), `account` (an account was disabled
// or deleted: its open event streams end), and `health` (a stream's open ingest alerts changed).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StreamStatus } from './state.js';

export interface StatusEvent {
  kind: 'status';
  streamId: string;
  ownerId: string;
  status: StreamStatus;
  at: string;
  /** While `reconnecting`: when the window closes (ISO); null otherwise. */
  reconnectDeadline?: string | null;
}
export interface ChangedEvent {
  kind: 'changed';
  streamId: string;
}
/** An account was disabled or deleted: its open event streams end (the reconnect then gets 401). */
export interface AccountEvent {
  kind: 'account';
  userId: string;
}
/** The stream's open health alerts after an OME Alert notification changed them (health/). */
export interface HealthEvent {
  kind: 'health';
  streamId: string;
  ownerId: string;
  alerts: { code: string; severity: string; title: string; fix: string; description: string; raisedAt: string }[];
}
export type StreamMessage = StatusEvent | ChangedEvent | AccountEvent | HealthEvent;
type Listener = (msg: StreamMessage) => void;

export class StreamEventsHub {
  private readonly listeners = new Set<Listener>();
  private readonly channel: string;

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}:stream-events`;
  }

  async start(): Promise<void> {
    this.sub.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      let msg: StreamMessage;
      try {
        msg = JSON.parse(raw) as StreamMessage;
      } catch {
        return;
      }
      for (const l of this.listeners) {
        try {
          l(msg);
        } catch (err) {
          this.logger.warn({ err }, 'stream event listener failed');
        }
      }
    });
    await this.sub.subscribe(this.channel);
  }

  /** Never throws: a Redis outage must not fail the request that changed the stream (the DB is the truth). */
  async publish(msg: StreamMessage): Promise<void> {
    try {
      await this.pub.publish(this.channel, JSON.stringify(msg));
    } catch (err) {
      this.logger.warn({ err, ...(msg.kind === 'account' ? { userId: msg.userId } : { streamId: msg.streamId }) }, 'could not publish stream event');
    }
  }

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
