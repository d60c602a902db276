// Outgoing vod.ready / vod.failed notifications. The sink is injected so the worker does not
// care how events leave (the backend's webhook outbox in production, a recorder in tests).
import type { VodRow } from './repo.js';

export type VodEventType = 'vod.ready' | 'vod.failed';

export interface VodEventSink {
  emit(type: VodEventType, vod: VodRow): Promise<void>;
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
