// One function per backend endpoint. Pages get data only through these.
import { request } from './client';
import type {
  AuthResult,
  Ingest,
  Playback,
  PublicStream,
  Stream,
  StreamInput,
  StreamSession,
  StreamStats,
  User,
  Vod,
  VodDetail,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from './types';

const id = (value: string) => encodeURIComponent(value);

// auth
export const register = (email: string, password: string) =>
  request<AuthResult>('POST', '/api/auth/register', { body: { email, password }, auth: false });
export const login = (email: string, password: string) =>
  request<AuthResult>('POST', '/api/auth/login', { body: { email, password }, auth: false });
export const me = () => request<{ user: User }>('GET', '/api/auth/me');

// streams
export const listStreams = (signal?: AbortSignal) => request<{ streams: Stream[] }>('GET', '/api/streams', { signal });
export const getStream = (streamId: string, signal?: AbortSignal) =>
  request<{ stream: Stream }>('GET', `/api/streams/${id(streamId)}`, { signal });
export const createStream = (input: StreamInput) =>
  request<{ stream: Stream; ingest: Ingest }>('POST', '/api/streams', { body: input });
export const updateStream = (streamId: string, input: Partial<StreamInput>) =>
  request<{ stream: Stream }>('PATCH', `/api/streams/${id(streamId)}`, { body: input });
export const deleteStream = (streamId: string) => request<void>('DELETE', `/api/streams/${id(streamId)}`);
export const getIngest = (streamId: string, signal?: AbortSignal) =>
  request<Ingest>('GET', `/api/streams/${id(streamId)}/ingest`, { signal });
export const rotateKey = (streamId: string) => request<Ingest>('POST', `/api/streams/${id(streamId)}/rotate-key`);
export const disableStream = (streamId: string) =>
  request<{ stream: Stream }>('POST', `/api/streams/${id(streamId)}/disable`);
export const enableStream = (streamId: string) =>
  request<{ stream: Stream }>('POST', `/api/streams/${id(streamId)}/enable`);
export const getPlayback = (streamId: string, signal?: AbortSignal) =>
  request<Playback>('GET', `/api/streams/${id(streamId)}/playback`, { signal });
export const getSessions = (streamId: string, signal?: AbortSignal) =>
  request<{ sessions: StreamSession[] }>('GET', `/api/streams/${id(streamId)}/sessions`, { signal });
export const getStats = (streamId: string, signal?: AbortSignal) =>
  request<StreamStats>('GET', `/api/streams/${id(streamId)}/stats`, { signal });

// public (no session)
export const getPublicStream = (streamId: string, token?: string, signal?: AbortSignal) =>
  request<{ stream: PublicStream }>('GET', `/api/public/streams/${id(streamId)}`, {
    auth: false,
    query: { token },
    signal,
  });
export const getPublicPlayback = (streamId: string, token?: string, signal?: AbortSignal) =>
  request<Playback>('GET', `/api/public/streams/${id(streamId)}/playback`, { auth: false, query: { token }, signal });

// outgoing webhooks
export const listWebhooks = (signal?: AbortSignal) =>
  request<{ endpoints: WebhookEndpoint[] }>('GET', '/api/webhooks', { signal });
export const createWebhook = (url: string, events?: WebhookEventType[]) =>
  request<{ endpoint: WebhookEndpoint; secret: string }>('POST', '/api/webhooks', {
    body: events && events.length > 0 ? { url, events } : { url },
  });
export const deleteWebhook = (endpointId: string) => request<void>('DELETE', `/api/webhooks/${id(endpointId)}`);
export const listDeliveries = (endpointId: string, signal?: AbortSignal) =>
  request<{ deliveries: WebhookDelivery[] }>('GET', `/api/webhooks/${id(endpointId)}/deliveries`, { signal });

// VODs
export const listVods = (streamId?: string, signal?: AbortSignal) =>
  request<{ vods: Vod[] }>('GET', '/api/vods', { query: { streamId }, signal });
export const getVod = (vodId: string, signal?: AbortSignal) =>
  request<VodDetail>('GET', `/api/vods/${id(vodId)}`, { signal });
export const deleteVod = (vodId: string) => request<void>('DELETE', `/api/vods/${id(vodId)}`);
