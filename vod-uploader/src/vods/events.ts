// Outgoing vod.ready / vod.failed notifications. The sink is injected so the worker does not
// care how events leave (the backend's webhook outbox in production, a recorder in tests). An event
// is recorded inside the transaction that makes the Vod ready or failed and queued after its commit,
// so it exists exactly when that change does (a crash in between is repaired by the backend).
import type { OutboxTx } from '@ocp/backend/webhooks';
import type { VodRow } from './repo.js';

export type VodEventType = 'vod.ready' | 'vod.failed';

/** An event written with its change, to be queued once that commits. */
export interface RecordedVodEvent {
  type: VodEventType;
  vod: VodRow;
  /** The outbox event id; null when no endpoint subscribes (nothing to queue). */
  eventId: string | null;
}

export interface VodEventSink {
  record(tx: OutboxTx, type: VodEventType, vod: VodRow): Promise<RecordedVodEvent>;
  queue(event: RecordedVodEvent): Promise<void>;
}

/** Public shape of a Vod in event payloads (the API's Vod minus URLs, which expire). */
export function vodEventData(vod: VodRow) {
  return {
    id: vod.id,
    streamId: vod.streamId,
    sessionId: vod.sessionId,
    title: vod.title,
    status: vod.status,
    error: vod.error,
    durationMs: vod.durationMs,
    sizeBytes: vod.sizeBytes === null ? null : Number(vod.sizeBytes),
    createdAt: vod.createdAt.toISOString(),
    readyAt: vod.readyAt ? vod.readyAt.toISOString() : null,
  };
}
