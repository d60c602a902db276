// Readable names for the API contract. Every shape comes from openapi.gen.ts, which is generated
// from the backend's OpenAPI document (its zod schemas) by `npm run generate:api-types`; nothing
// here restates a field, so a backend change that breaks the dashboard fails `npm run typecheck`.
import type { components, paths } from './openapi.gen';

type Schemas = components['schemas'];

export type Role = Schemas['User']['role'];
export type User = Schemas['User'];
export type Stream = Schemas['Stream'];
export type StreamStatus = Schemas['StreamStatus'];
export type Visibility = Stream['visibility'];
export type Ingest = Schemas['Ingest'];
export type Playback = Schemas['Playback'];
export type StreamSession = Schemas['StreamSession'];
export type StreamStats = Schemas['StreamStats'];
export type PublicStream = Schemas['PublicStream'];
export type Vod = Schemas['Vod'];
export type VodStatus = Schemas['VodStatus'];
export type VodRendition = Schemas['VodRendition'];
export type WebhookEventType = Schemas['WebhookEventType'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type AdminUser = Schemas['AdminUser'];
export type Invite = Schemas['Invite'];
export type RegistrationInfo = ResponseOf<'/api/auth/registration', 'get'>;
export type CreatedInvite = ResponseOf<'/api/admin/invites', 'post'>;
export type StreamOutput = Schemas['StreamOutput'];
export type OutputState = Schemas['OutputState'];
export type OutputInput = BodyOf<'/api/streams/{id}/outputs', 'post'>;
export type OutputChange = BodyOf<'/api/streams/{id}/outputs/{outputId}', 'patch'>;
export type FieldIssue = NonNullable<Schemas['Error']['error']['details']>[number];

// ---- typed access to any operation of the contract ----
export type ApiPath = keyof paths;
export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
export type MethodOf<P extends ApiPath> = { [M in Method]: paths[P][M] extends undefined | never ? never : M }[Method];
type Operation<P extends ApiPath, M extends MethodOf<P>> = NonNullable<paths[P][M]>;
type JsonContent<X> = X extends { content: { 'application/json': infer J } } ? J : void;
type Success<R> = R extends { 200: infer X } ? X : R extends { 201: infer X } ? X : R extends { 202: infer X } ? X : void;

/** The JSON body the operation answers with on success (`void` for 204). */
export type ResponseOf<P extends ApiPath, M extends MethodOf<P>> = JsonContent<Success<Operation<P, M>['responses']>>;
/** The operation's JSON request body. */
export type BodyOf<P extends ApiPath, M extends MethodOf<P>> = JsonContent<NonNullable<Operation<P, M>['requestBody']>>;
/** The operation's query parameters. */
export type QueryOf<P extends ApiPath, M extends MethodOf<P>> = NonNullable<Operation<P, M>['parameters']['query']>;
/** The operation's path parameters (`{id}` …). */
export type PathParamsOf<P extends ApiPath, M extends MethodOf<P>> = NonNullable<Operation<P, M>['parameters']['path']>;

export type AuthResult = ResponseOf<'/api/auth/login', 'post'>;
/** One of your dashboard sessions (a logged-in browser), as the Security page lists them. */
export type AuthSession = ResponseOf<'/api/auth/sessions', 'get'>['sessions'][number];
export type StreamInput = BodyOf<'/api/streams', 'post'>;
export type VodDetail = ResponseOf<'/api/vods/{id}', 'get'>;
export type Usage = ResponseOf<'/api/usage', 'get'>['usage'];
export type StreamListQuery = QueryOf<'/api/streams', 'get'>;
export type VodListQuery = QueryOf<'/api/vods', 'get'>;

/** Every list answers one page: its items under a named key, plus the cursor of the next page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** SSE `stream.status` payload (an event stream, so not a JSON schema in the document). */
export interface StreamStatusEvent {
  streamId: string;
  status: StreamStatus;
  at: string;
  /** While `reconnecting`: when the broadcast ends unless the publisher comes back (ISO); else null. */
  reconnectDeadline: string | null;
}

export type StreamHealth = ResponseOf<'/api/streams/{id}/health', 'get'>;
export type SessionLatency = ResponseOf<'/api/streams/{id}/sessions/{sessionId}/latency', 'get'>;
export type ProtocolLatency = SessionLatency['protocols']['webrtc'];
export type HealthAlert = StreamHealth['current'][number];
/** A broadcast's health series: input bitrate, fps and viewers per protocol over time. */
export type SessionHealth = ResponseOf<'/api/streams/{id}/sessions/{sessionId}/health', 'get'>;
export type HealthSample = SessionHealth['samples'][number];

/** SSE `stream.health` payload: the stream's open ingest alerts after they changed. */
export interface StreamHealthEvent {
  streamId: string;
  alerts: HealthAlert[];
}

/** The event types, in the order the form lists them; the compiler checks it against the contract. */
export const WEBHOOK_EVENT_TYPES = ['stream.live', 'stream.disconnected', 'stream.reconnected', 'stream.ended', 'vod.ready', 'vod.failed', 'output.active', 'output.failed', 'stream.health'] as const satisfies readonly WebhookEventType[];
type Missing = Exclude<WebhookEventType, (typeof WEBHOOK_EVENT_TYPES)[number]>;
const allEventTypesListed: [Missing] extends [never] ? true : Missing = true;
void allEventTypesListed;
