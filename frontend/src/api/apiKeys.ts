// API keys (server-to-server credentials). Kept apart from types.ts/endpoints.ts so it ports
// easily to the types generated from the backend's OpenAPI document (ApiKey, CreateApiKeyResponse).
import { request } from './client';

/** Same order and meaning as the backend's auth/api-keys/scopes.ts. `:write` includes `:read`. */
export const API_SCOPES = ['streams:read', 'streams:write', 'vods:read', 'vods:write', 'webhooks:read', 'webhooks:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_HELP: Record<ApiScope, string> = {
  'streams:read': 'List and read streams, sessions, stats, status events and player URLs',
  'streams:write': 'Create, change, delete and disable streams; read and rotate stream keys (includes read)',
  'vods:read': 'List and read VODs with their playback URLs',
  'vods:write': 'Delete VODs (includes read)',
  'webhooks:read': 'List webhook endpoints and their deliveries (never signing secrets)',
  'webhooks:write': 'Add and remove webhook endpoints (includes read)',
};

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const listApiKeys = (signal?: AbortSignal) => request<{ apiKeys: ApiKey[] }>('GET', '/api/api-keys', { signal });
export const createApiKey = (name: string, scopes: ApiScope[]) =>
  request<{ apiKey: ApiKey; key: string }>('POST', '/api/api-keys', { body: { name, scopes } });
export const revokeApiKey = (keyId: string) => request<void>('DELETE', `/api/api-keys/${encodeURIComponent(keyId)}`);
