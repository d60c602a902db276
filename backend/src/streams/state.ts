// The stream state machine (pure). lifecycle.ts is the only writer and builds its conditional
// updates from this table, so an illegal transition can never be written.
export type StreamStatus = 'idle' | 'live' | 'ended' | 'disabled';

export type StreamEvent = 'publish_started' | 'publish_ended' | 'disable' | 'enable';

const TRANSITIONS: Record<StreamEvent, { from: readonly StreamStatus[]; to: StreamStatus }> = {
  publish_started: { from: ['idle', 'ended'], to: 'live' },
  publish_ended: { from: ['live'], to: 'ended' },
  disable: { from: ['idle', 'live', 'ended'], to: 'disabled' },
  enable: { from: ['disabled'], to: 'idle' },
};

export function transition(event: StreamEvent): { from: readonly StreamStatus[]; to: StreamStatus } {
  return TRANSITIONS[event];
}

export function nextStatus(current: StreamStatus, event: StreamEvent): StreamStatus | null {
  const t = TRANSITIONS[event];
  return t.from.includes(current) ? t.to : null;
}
