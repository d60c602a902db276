// What an API key may do: pure rules, no I/O.
//
// A scope names a resource and a level. `:write` includes `:read` of the same resource (as Mux's
// "Read + Write" access tokens do): a key that can create a stream can also read it back.
// - streams:read   list and read streams, their sessions, stats, status events and player URLs
//                  (a private stream's short-lived playback token included).
// - streams:write  create, change, delete, enable/disable streams, and read or rotate the stream
//                  key (GET …/ingest shows a publish credential, so it needs write).
// - vods:read      list and read VODs (with their signed playback URL).
// - vods:write     delete VODs.
// - webhooks:read  list webhook endpoints (URL, events, enabled) and their delivery log. Never the
//                  signing secret: that is shown once, at creation.
// - webhooks:write add and remove webhook endpoints.
// No scope reaches API keys, sessions, passwords or admin routes: those need a dashboard session.

export const API_SCOPES = ['streams:read', 'streams:write', 'vods:read', 'vods:write', 'webhooks:read', 'webhooks:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const isApiScope = (s: string): s is ApiScope => (API_SCOPES as readonly string[]).includes(s);

/** The scopes that satisfy `needed`: itself and, for a read scope, the write scope of the same resource. */
export function scopesGranting(needed: ApiScope): ApiScope[] {
  const [resource, level] = needed.split(':') as [string, 'read' | 'write'];
  return level === 'read' ? [needed, `${resource}:write` as ApiScope] : [needed];
}

export function grants(held: readonly string[], needed: ApiScope): boolean {
  return scopesGranting(needed).some((s) => held.includes(s));
}

/** Sorted, without duplicates, in the order of API_SCOPES (what is stored and shown). */
export function normalizeScopes(scopes: readonly ApiScope[]): ApiScope[] {
  return API_SCOPES.filter((s) => scopes.includes(s));
}
