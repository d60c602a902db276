// The one check behind every authenticated API request: a dashboard session token or an API key
// in `Authorization: Bearer …`, turned into who is calling — or a 401. Account-level rules (a
// deleted account; the place for any other "this account may not act" rule) live in rules.ts and
// apply to both kinds through SessionService and ApiKeyService.
import { looksLikeApiKey } from '../api-keys/key-format.js';
import { API_SCOPES, type ApiScope } from '../api-keys/scopes.js';
import type { ApiKeyService } from '../api-keys/service.js';
import type { SessionService } from './service.js';

/**
 * Who is calling. A dashboard session may do everything its user may, with the user's role as the
 * database has it now; an API key acts as its owner with the role `user` (an admin's key manages
 * only the admin's own things) and only within its scopes.
 */
export type AuthInfo = { userId: string; role: 'user' | 'admin'; scopes: readonly ApiScope[] } & ({ kind: 'session'; sessionId: string } | { kind: 'apiKey'; keyId: string });

export interface AuthDeps {
  sessions: SessionService;
  /** Without it, API keys are refused as invalid session tokens. */
  apiKeys?: ApiKeyService;
}

/** `fresh`: check against the database, not this replica's recent copy (every write does). */
export async function authenticate(deps: AuthDeps, token: string, opts: { fresh?: boolean } = {}): Promise<AuthInfo> {
  if (deps.apiKeys && looksLikeApiKey(token)) {
    const key = await deps.apiKeys.authenticate(token);
    return { kind: 'apiKey', keyId: key.keyId, userId: key.userId, role: 'user', scopes: key.scopes };
  }
  const s = await deps.sessions.authenticate(token, opts);
  return { kind: 'session', sessionId: s.sessionId, userId: s.userId, role: s.role, scopes: API_SCOPES };
}
