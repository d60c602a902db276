// The stream state machine (pure). lifecycle.ts is the only writer and builds its conditional
// updates from this table, so an illegal transition can never be written.
//
//   idle ──publish_started──▶ live ──publish_ended (window 0)──▶ ended ──publish_started──▶ live
//                              │  ▲
//             publisher_lost   │  │ publisher_returned (valid key, before the deadline: same session)
//                              ▼  │
//                          reconnecting ──window_expired / window_cancelled──▶ ended
//
// `reconnecting` keeps the broadcast's session open (endedAt null) until the deadline, so the VOD
// worker (which joins a session's pieces once endedAt is set) waits for it. disable is refused from
// `reconnecting` on purpose: the window is cut short first (window_cancelled closes the session),
// so no path can leave a disabled stream with a session that never ends.
export type StreamStatus = 'idle' | 'live' | 'reconnecting' | 'ended' | 'disabled';

export type StreamEvent =
  | 'publish_started'
  | 'publish_ended'
  | 'publisher_lost'
  | 'publisher_returned'
  | 'window_expired'
  | 'window_cancelled'
  | 'publisher_kicked'
  | 'disable'
  | 'enable';

const TRANSITIONS: Record<StreamEvent, { from: readonly StreamStatus[]; to: StreamStatus }> = {
  publish_started: { from: ['idle', 'ended'], to: 'live' },
  publish_ended: { from: ['live'], to: 'ended' },
  publisher_lost: { from: ['live'], to: 'reconnecting' },
  publisher_returned: { from: ['reconnecting'], to: 'live' },
  window_expired: { from: ['reconnecting'], to: 'ended' },
  window_cancelled: { from: ['reconnecting'], to: 'ended' },
  // Key rotated / account disabled or deleted while live: the session ends now with the reason and
  // the publisher is disconnected through OME's REST API (streams/kick.ts). Never via reconnecting.
  publisher_kicked: { from: ['live'], to: 'ended' },
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

/** Why a session ended (StreamSession.endReason, the `reason` of `stream.ended`). */
export const END_REASONS = {
  publisherDisconnected: 'publisher_disconnected',
  windowExpired: 'reconnect_window_expired',
  keyRotated: 'key_rotated',
  disabled: 'disabled',
  userDisabled: 'user_disabled',
  userDeleted: 'user_deleted',
} as const;

/** Reconnect window limits (seconds): 0 turns it off (a drop ends the broadcast at once). */
export const RECONNECT_WINDOW = { default: 60, max: 1800 } as const;

/** What a publisher's closing call does to a live stream with this window. */
export function onPublisherLost(windowSeconds: number): StreamEvent {
  return windowSeconds > 0 ? 'publisher_lost' : 'publish_ended';
}

/** The moment a window opened at `at` closes. */
export function reconnectDeadline(at: Date, windowSeconds: number): Date {
  return new Date(at.getTime() + windowSeconds * 1000);
}

/** Whether a publisher arriving at `now` is still inside the window (the deadline itself is too late). */
export function withinWindow(deadline: Date | null, now: Date): boolean {
  return deadline !== null && now.getTime() < deadline.getTime();
}
