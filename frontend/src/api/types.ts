// Response and request shapes of the backend HTTP API (the contract in the project brief).
// When the backend publishes its zod schemas as a package these should be inferred from them;
// until then this file is the single place the frontend spells them out.

export type Role = 'user' | 'admin';
export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
}
export interface AuthResult {
  token: string;
  user: User;
}

export type StreamStatus = 'idle' | 'live' | 'ended' | 'disabled';
export type Visibility = 'public' | 'private';
export interface Stream {
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  visibility: Visibility;
  record: boolean;
  status: StreamStatus;
  lastStartedAt: string | null;
  lastEndedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface StreamInput {
  name: string;
  description?: string;
  visibility?: Visibility;
  record?: boolean;
}
export interface Ingest {
  rtmp: { server: string; streamKey: string };
  srt: { url: string };
  whip: { url: string };
}
export interface Playback {
  webrtc: string;
  llhls: string;
  token: string | null;
  expiresAt: string | null;
}
export interface StreamSession {
  id: string;
  protocol: 'rtmp' | 'srt' | 'webrtc';
  clientAddress: string | null;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
}
export interface StreamStats {
  streamId: string;
  live: boolean;
  viewers: { total: number; webrtc: number; llhls: number };
  /** Null when OME reports no input tracks; single fields are null when OME leaves them out. */
  input: {
    bitrateBps: number;
    fps: number | null;
    width: number | null;
    height: number | null;
    videoCodec: string | null;
    audioCodec: string | null;
  } | null;
  updatedAt: string;
}
export interface PublicStream {
  id: string;
  name: string;
  description: string | null;
  status: StreamStatus;
}
export interface StreamStatusEvent {
  streamId: string;
  status: StreamStatus;
  at: string;
}

export const WEBHOOK_EVENT_TYPES = ['stream.live', 'stream.ended', 'vod.ready', 'vod.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: string;
}
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export type VodStatus = 'pending' | 'processing' | 'ready' | 'failed';
export interface Vod {
  id: string;
  streamId: string;
  sessionId: string | null;
  title: string;
  status: VodStatus;
  error: string | null;
  durationMs: number | null;
  sizeBytes: number | null;
  posterUrl: string | null;
  createdAt: string;
  readyAt: string | null;
}
export interface VodDetail {
  vod: Vod;
  playback: { hls: string } | null;
}

export interface FieldIssue {
  path: string;
  message: string;
}
