import type { RequestHandler, Response } from 'express';
import { looksLikeApiKey } from '../auth/api-keys/key-format.js';
import { API_SCOPES, grants, type ApiScope } from '../auth/api-keys/scopes.js';
import type { ApiKeyService } from '../auth/api-keys/service.js';
import { TokenError, verifySession, type SessionClaims } from '../auth/tokens.js';
import { AppError, forbidden, unauthorized } from './errors.js';

/**
 * Who is calling. A dashboard session may do everything its user may; an API key acts as its owner
 * with the role `user` (an admin's key manages only the admin's own things) and only within its scopes.
 */
export type AuthInfo = SessionClaims & { scopes: readonly ApiScope[] } & ({ kind: 'session' } | { kind: 'apiKey'; keyId: string });

export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

/** A session JWT or, where `apiKeys` is given, an `ocp_…` API key. */
export function requireSession(secret: string, apiKeys?: ApiKeyService): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req.headers.authorization);
    if (!token) throw unauthorized();
    if (apiKeys && looksLikeApiKey(token)) {
      const key = await apiKeys.authenticate(token);
      res.locals.auth = { kind: 'apiKey', keyId: key.keyId, userId: key.userId, role: 'user', scopes: key.scopes } satisfies AuthInfo;
      return next();
    }
    try {
      res.locals.auth = { kind: 'session', ...verifySession(token, secret), scopes: API_SCOPES } satisfies AuthInfo;
    } catch (err) {
      if (err instanceof TokenError && err.reason === 'expired') throw unauthorized('Session expired, log in again');
      throw unauthorized('Invalid session token');
    }
    next();
  };
}

/** After requireSession: an API key must hold `scope` (or the write scope of the same resource). */
export function requireScope(scope: ApiScope): RequestHandler {
  return (_req, res, next) => {
    const a = auth(res);
    if (a.kind === 'apiKey' && !grants(a.scopes, scope)) {
      res.setHeader('www-authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
      throw new AppError(403, 'insufficient_scope', `This API key lacks the ${scope} scope`);
    }
    next();
  };
}

/** After requireSession: API keys never reach these routes (API keys, sessions, passwords, admin). */
export const requireDashboardSession: RequestHandler = (_req, res, next) => {
  if (auth(res).kind === 'apiKey') throw new AppError(403, 'session_required', 'API keys cannot be used here; log in to the dashboard');
  next();
};

export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (auth(res).kind === 'apiKey') throw new AppError(403, 'session_required', 'API keys cannot be used here; log in to the dashboard');
  if (auth(res).role !== 'admin') throw forbidden('Administrators only');
  next();
};

export function auth(res: Response): AuthInfo {
  const a = res.locals.auth as AuthInfo | undefined;
  // A route declared 'session' without requireSession in front: refuse rather than fail later.
  if (!a) throw unauthorized();
  return a;
}
