import type { RequestHandler, Response } from 'express';
import { grants, type ApiScope } from '../auth/api-keys/scopes.js';
import { authenticate, type AuthDeps, type AuthInfo } from '../auth/sessions/authenticate.js';
import { AppError, forbidden, unauthorized } from './errors.js';

export type { AuthInfo } from '../auth/sessions/authenticate.js';

export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A session JWT or, where `deps.apiKeys` is given, an `ocp_…` API key (auth/sessions/authenticate.ts). */
export function requireSession(deps: AuthDeps): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req.headers.authorization);
    if (!token) throw unauthorized();
    res.locals.auth = await authenticate(deps, token, { fresh: !READS.has(req.method) }) satisfies AuthInfo;
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
