import type { RequestHandler, Response } from 'express';
import { TokenError, verifySession, type SessionClaims } from '../auth/tokens.js';
import { forbidden, unauthorized } from './errors.js';

export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

export function requireSession(secret: string): RequestHandler {
  return (req, res, next) => {
    const token = bearer(req.headers.authorization);
    if (!token) throw unauthorized();
    try {
      res.locals.auth = verifySession(token, secret);
    } catch (err) {
      if (err instanceof TokenError && err.reason === 'expired') throw unauthorized('Session expired, log in again');
      throw unauthorized('Invalid session token');
    }
    next();
  };
}

export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (auth(res).role !== 'admin') throw forbidden('Administrators only');
  next();
};

export function auth(res: Response): SessionClaims {
  return res.locals.auth as SessionClaims;
}
