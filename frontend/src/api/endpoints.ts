// One function per backend endpoint. Pages get data only through these. Paths, path/query
// parameters, bodies and answers are all checked against the generated contract (openapi.gen.ts).
import { request } from './client';
import type {
  ApiPath, BodyOf, MethodOf, OutputChange, OutputInput, Page, PathParamsOf, QueryOf, ResponseOf, StreamInput, StreamListQuery, VodListQuery, WebhookEventType,
} from './types';

interface CallOptions<P extends ApiPath, M extends MethodOf<P>> {
  path?: PathParamsOf<P, M>;
  query?: QueryOf<P, M>;
  body?: BodyOf<P, M>;
  auth?: boolean;
  redirectOn401?: boolean;
  signal?: AbortSignal;
}

/** A call of one operation of the contract: `{name}` placeholders are filled and URL-encoded. */
function call<P extends ApiPath, M extends MethodOf<P>>(method: M, path: P, options: CallOptions<P, M> = {}): Promise<ResponseOf<P, M>> {
  const params = (options.path ?? {}) as Record<string, string>;
  const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = options.query as Record<string, string | undefined> | undefined;
  return request<ResponseOf<P, M>>(method.toUpperCase(), url, {
    body: options.body,
    auth: options.auth,
    redirectOn401: options.redirectOn401,
    signal: options.signal,
    query,
  });
}

/** Options of a list call: the page to fetch (`cursor` from the previous page) and its size. */
export interface PageOptions {
  cursor?: string | null;
  limit?: number;
  signal?: AbortSignal;
}
const pageQuery = ({ cursor, limit }: PageOptions) => ({ cursor: cursor ?? undefined, limit: limit === undefined ? undefined : String(limit) });
// `?? null`: an older server without pagination sends no nextCursor, which means "no more".
const page = <T>(items: T[], nextCursor: string | null | undefined): Page<T> => ({ items, nextCursor: nextCursor ?? null });

// auth
export const register = (email: string, password: string, invite?: string) =>
  call('post', '/api/auth/register', { body: { email, password, ...(invite ? { invite } : {}) }, auth: false });
export const getRegistration = (signal?: AbortSignal) => call('get', '/api/auth/registration', { auth: false, signal });
export const login = (email: string, password: string) => call('post', '/api/auth/login', { body: { email, password }, auth: false });
export const me = () => call('get', '/api/auth/me');
/** Ends this session on the server. A 401 (already ended elsewhere) is thrown to the caller, not handled as expiry. */
export const logout = () => call('post', '/api/auth/logout', { redirectOn401: false });
/** Your dashboard sessions (devices), most recently used first; `current` marks this one. */
export const listAuthSessions = async (signal?: AbortSignal) => (await call('get', '/api/auth/sessions', { signal })).sessions;
export const revokeAuthSession = (sessionId: string) => call('delete', '/api/auth/sessions/{id}', { path: { id: sessionId } });
/** Ends every other session of yours; this one stays. Answers how many were ended. */
export const revokeOtherAuthSessions = () => call('post', '/api/auth/sessions/revoke-all', { body: { keepCurrent: true } });
/** Changes your password; the backend ends every other session (`revoked` = how many). */
export const changePassword = (currentPassword: string, newPassword: string) =>
  call('post', '/api/auth/password', { body: { currentPassword, newPassword } });

// streams
export const listStreams = async (filter: Omit<StreamListQuery, 'cursor' | 'limit'> = {}, options: PageOptions = {}) => {
  const r = await call('get', '/api/streams', { query: { ...filter, ...pageQuery(options) }, signal: options.signal });
  return page(r.streams, r.nextCursor);
};
export const getStream = (streamId: string, signal?: AbortSignal) => call('get', '/api/streams/{id}', { path: { id: streamId }, signal });
export const getStreamHealth = (streamId: string, signal?: AbortSignal) => call('get', '/api/streams/{id}/health', { path: { id: streamId }, signal });
export const createStream = (input: StreamInput) => call('post', '/api/streams', { body: input });
export const updateStream = (streamId: string, input: BodyOf<'/api/streams/{id}', 'patch'>) =>
  call('patch', '/api/streams/{id}', { path: { id: streamId }, body: input });
export const deleteStream = (streamId: string) => call('delete', '/api/streams/{id}', { path: { id: streamId } });
export const getIngest = (streamId: string, signal?: AbortSignal) => call('get', '/api/streams/{id}/ingest', { path: { id: streamId }, signal });
export const rotateKey = (streamId: string) => call('post', '/api/streams/{id}/rotate-key', { path: { id: streamId } });
export const disableStream = (streamId: string) => call('post', '/api/streams/{id}/disable', { path: { id: streamId } });
export const enableStream = (streamId: string) => call('post', '/api/streams/{id}/enable', { path: { id: streamId } });
export const getPlayback = (streamId: string, signal?: AbortSignal) => call('get', '/api/streams/{id}/playback', { path: { id: streamId }, signal });
export const getSessions = async (streamId: string, options: PageOptions = {}) => {
  const r = await call('get', '/api/streams/{id}/sessions', { path: { id: streamId }, query: pageQuery(options), signal: options.signal });
  return page(r.sessions, r.nextCursor);
};
export const getStats = (streamId: string, signal?: AbortSignal) => call('get', '/api/streams/{id}/stats', { path: { id: streamId }, signal });
/** A broadcast's health over time (one sample per `intervalMs` while live; only those after `since` when given), its peak viewers and viewer-minutes (always the whole broadcast). */
export const getSessionHealth = (streamId: string, sessionId: string, since?: string, signal?: AbortSignal) =>
  call('get', '/api/streams/{id}/sessions/{sessionId}/health', { path: { id: streamId, sessionId }, query: { since }, signal });
/** Viewer latency the players of a broadcast measured: the last `windowMinutes` (live) or the whole broadcast. */
export const getSessionLatency = (streamId: string, sessionId: string, windowMinutes?: number, signal?: AbortSignal) =>
  call('get', '/api/streams/{id}/sessions/{sessionId}/latency', {
    path: { id: streamId, sessionId },
    query: { windowMinutes: windowMinutes === undefined ? undefined : String(windowMinutes) },
    signal,
  });

// restream outputs
export const listOutputs = async (streamId: string, signal?: AbortSignal) =>
  (await call('get', '/api/streams/{id}/outputs', { path: { id: streamId }, signal })).outputs;
export const createOutput = async (streamId: string, input: OutputInput) =>
  (await call('post', '/api/streams/{id}/outputs', { path: { id: streamId }, body: input })).output;
export const updateOutput = async (streamId: string, outputId: string, change: OutputChange) =>
  (await call('patch', '/api/streams/{id}/outputs/{outputId}', { path: { id: streamId, outputId }, body: change })).output;
export const deleteOutput = (streamId: string, outputId: string) =>
  call('delete', '/api/streams/{id}/outputs/{outputId}', { path: { id: streamId, outputId } });

// public (no session)
export const getPublicStream = (streamId: string, token?: string, signal?: AbortSignal) =>
  call('get', '/api/public/streams/{id}', { path: { id: streamId }, query: { token }, auth: false, signal });
export const getPublicPlayback = (streamId: string, token?: string, signal?: AbortSignal) =>
  call('get', '/api/public/streams/{id}/playback', { path: { id: streamId }, query: { token }, auth: false, signal });

// outgoing webhooks
export const listWebhooks = async (options: PageOptions = {}) => {
  const r = await call('get', '/api/webhooks', { query: pageQuery(options), signal: options.signal });
  return page(r.endpoints, r.nextCursor);
};
export const createWebhook = (url: string, events?: WebhookEventType[]) =>
  call('post', '/api/webhooks', { body: events && events.length > 0 ? { url, events } : { url } });
export const deleteWebhook = (endpointId: string) => call('delete', '/api/webhooks/{id}', { path: { id: endpointId } });
export const updateWebhook = (endpointId: string, body: { url?: string; events?: WebhookEventType[]; enabled?: boolean }) =>
  call('patch', '/api/webhooks/{id}', { path: { id: endpointId }, body });
export const testWebhook = (endpointId: string) => call('post', '/api/webhooks/{id}/test', { path: { id: endpointId } });
export const redeliverWebhook = (endpointId: string, deliveryId: string) =>
  call('post', '/api/webhooks/{id}/deliveries/{deliveryId}/redeliver', { path: { id: endpointId, deliveryId } });
export const rotateWebhookSecret = (endpointId: string, overlapSeconds: number) =>
  call('post', '/api/webhooks/{id}/rotate-secret', { path: { id: endpointId }, body: { overlapSeconds } });
export const listDeliveries = async (endpointId: string, options: PageOptions = {}) => {
  const r = await call('get', '/api/webhooks/{id}/deliveries', { path: { id: endpointId }, query: pageQuery(options), signal: options.signal });
  return page(r.deliveries, r.nextCursor);
};

// VODs
export const listVods = async (filter: Omit<VodListQuery, 'cursor' | 'limit'> = {}, options: PageOptions = {}) => {
  const r = await call('get', '/api/vods', { query: { ...filter, ...pageQuery(options) }, signal: options.signal });
  return page(r.vods, r.nextCursor);
};
export const getVod = (vodId: string, signal?: AbortSignal) => call('get', '/api/vods/{id}', { path: { id: vodId }, signal });
export const deleteVod = (vodId: string) => call('delete', '/api/vods/{id}', { path: { id: vodId } });
/** Cuts a clip (a new VOD, processing until the worker has cut it) from [startMs, endMs] of a ready VOD. */
export const createClip = (vodId: string, body: BodyOf<'/api/vods/{id}/clips', 'post'>) => call('post', '/api/vods/{id}/clips', { path: { id: vodId }, body });
/** The clips cut from a VOD, newest first. */
export const listClips = async (vodId: string, signal?: AbortSignal) => (await call('get', '/api/vods', { query: { clipOf: vodId, limit: '50' }, signal })).vods;
/** The MP4 download: `{url, expiresAt, filename}` once built, else `{status: 'preparing'}` (ask again). */
export const requestDownload = (vodId: string) => call('post', '/api/vods/{id}/download', { path: { id: vodId } });
export const getUsage = async (signal?: AbortSignal) => (await call('get', '/api/usage', { signal })).usage;

// admin (administrators' dashboard sessions only)
export const listUsers = async (q: string | undefined, options: PageOptions = {}) => {
  const r = await call('get', '/api/admin/users', { query: { ...pageQuery(options), ...(q ? { q } : {}) }, signal: options.signal });
  return page(r.users, r.nextCursor);
};
export const disableUser = (userId: string) => call('post', '/api/admin/users/{id}/disable', { path: { id: userId } });
export const enableUser = (userId: string) => call('post', '/api/admin/users/{id}/enable', { path: { id: userId } });
export const deleteUser = (userId: string) => call('delete', '/api/admin/users/{id}', { path: { id: userId } });
export const listInvites = async (options: PageOptions = {}) => {
  const r = await call('get', '/api/admin/invites', { query: pageQuery(options), signal: options.signal });
  return page(r.invites, r.nextCursor);
};
export const createInvite = (input: { email?: string; expiresInHours?: number }) => call('post', '/api/admin/invites', { body: input });
export const revokeInvite = (inviteId: string) => call('delete', '/api/admin/invites/{id}', { path: { id: inviteId } });
