// The caller's own dashboard sessions: log out, list, end one, end all. Dashboard sessions only (no
// `scope`, so ApiRouter refuses every API key with 403 session_required): an API key is no session,
// and what it may do is decided by its scopes, never by these routes.
import type { AppContext } from '../../context.js';
import type { ApiRouter } from '../../http/api-router.js';
import { auth, requireSession, type AuthInfo } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { ErrorResponse } from '../../http/schemas.js';
import type { Response } from 'express';
import { RevokeAllBody, RevokeAllResponse, SessionIdParams, SessionListResponse } from './schemas.js';

const err = (description: string) => ({ description, schema: ErrorResponse });

/** The caller's session (ApiRouter has refused API keys before any handler runs). */
function sessionOf(res: Response): Extract<AuthInfo, { kind: 'session' }> {
  const a = auth(res);
  if (a.kind !== 'session') throw new AppError(403, 'session_required', 'API keys cannot be used here; log in to the dashboard');
  return a;
}

export function sessionRoutes(api: ApiRouter, ctx: AppContext): void {
  const session = requireSession(ctx);
  const tag = 'auth';
  const refused = { 401: err('No session'), 403: err('An API key: sessions are for the dashboard user only (session_required)') };

  api.route(
    { method: 'post', path: '/api/auth/logout', summary: 'Log out: ends the session making this request (its token is refused from now on, on every replica)', tag, security: 'session',
      responses: { 204: { description: 'Logged out' }, ...refused } },
    session,
    async (_req, res) => {
      const a = sessionOf(res);
      await ctx.sessions.revoke(a.userId, a.sessionId);
      res.status(204).end();
    },
  );
  api.route(
    { method: 'get', path: '/api/auth/sessions', summary: 'Your active sessions (device, address, times), most recently used first', tag, security: 'session',
      responses: { 200: { description: 'Sessions; `current` marks this one', schema: SessionListResponse }, ...refused } },
    session,
    async (_req, res) => {
      const a = sessionOf(res);
      res.json({ sessions: await ctx.sessions.list(a.userId, a.sessionId) });
    },
  );
  api.route(
    { method: 'post', path: '/api/auth/sessions/revoke-all', summary: 'Log out everywhere (`keepCurrent: true`: everywhere but here)', tag, security: 'session', body: RevokeAllBody,
      responses: { 200: { description: 'Ended; with keepCurrent false this token is refused from now on', schema: RevokeAllResponse }, 400: err('Invalid input'), ...refused } },
    session,
    async (_req, res) => {
      const a = sessionOf(res);
      const { keepCurrent } = res.locals.body as { keepCurrent: boolean };
      res.json({ revoked: await ctx.sessions.revokeAll(a.userId, keepCurrent ? a.sessionId : null) });
    },
  );
  api.route(
    { method: 'delete', path: '/api/auth/sessions/:id', summary: 'End one of your sessions (your current one too: that is a logout)', tag, security: 'session', params: SessionIdParams,
      responses: { 204: { description: 'Ended (ending an ended session again changes nothing)' }, ...refused, 404: err("Not found (another user's session, too)") } },
    session,
    async (_req, res) => {
      await ctx.sessions.revoke(sessionOf(res).userId, (res.locals.params as { id: string }).id);
      res.status(204).end();
    },
  );
}
