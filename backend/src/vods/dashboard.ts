// Operators' queue dashboard (bull-board) at /admin/queues, for administrators only.
// Browsers cannot add an Authorization header when navigating, so a valid admin session token
// may also arrive once as ?token=…; it is then kept in an HttpOnly cookie scoped to this path.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import { Router, type Express, type RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import type { SessionService } from '../auth/sessions/service.js';
import type { AppContext } from '../context.js';
import { bearer } from '../http/auth.js';
import { forbidden, unauthorized } from '../http/errors.js';
import { looksLikeApiKey } from '../auth/api-keys/key-format.js';

export const DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'ocp_admin_session';
/** The VOD worker's queue name (its contract lives in vod-uploader/src/jobs/vod-upload.ts). */
export const VOD_UPLOAD_QUEUE = 'vod-upload';

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function adminGate(sessions: SessionService): RequestHandler {
  return async (req, res, next) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    const token = bearer(req.headers.authorization) ?? fromQuery ?? cookieValue(req.headers.cookie, COOKIE);
    if (!token) throw unauthorized('Administrator session required');
    // A dashboard session only (API keys are refused as invalid session tokens), checked like every
    // API request: revoked or ended sessions and demoted admins are refused at once.
    if (looksLikeApiKey(token)) throw unauthorized('Invalid session token');
    const principal = await sessions.authenticate(token, { fresh: req.method !== 'GET' });
    if (principal.role !== 'admin') throw forbidden('Administrators only');
    if (fromQuery) {
      // Move the token out of the URL (history, logs, Referer) into a cookie for this path only.
      const exp = (jwt.decode(token) as { exp?: number } | null)?.exp ?? 0;
      const maxAge = Math.max(0, exp - Math.floor(Date.now() / 1000));
      res.setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; Path=${DASHBOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${req.secure ? '; Secure' : ''}`);
      const url = new URL(req.originalUrl, 'http://x');
      url.searchParams.delete('token');
      res.redirect(303, url.pathname + url.search);
      return;
    }
    next();
  };
}

export function queueDashboard(ctx: AppContext): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  const vodQueue = new Queue(VOD_UPLOAD_QUEUE, { connection: ctx.redis, prefix: ctx.bullPrefix });
  // Without a listener BullMQ prints Redis errors to stderr, bypassing the JSON log.
  vodQueue.on('error', (err) => ctx.logger.warn({ err: { message: err.message }, queue: VOD_UPLOAD_QUEUE }, 'queue connection error'));
  createBullBoard({
    queues: [new BullMQAdapter(vodQueue), new BullMQAdapter(ctx.webhookQueue), new BullMQAdapter(ctx.closeQueue), new BullMQAdapter(ctx.kickQueue), new BullMQAdapter(ctx.deletionQueue), new BullMQAdapter(ctx.vodEditQueue)],
    serverAdapter,
  });
  const router = Router();
  router.use(adminGate(ctx.sessions));
  // bull-board's page boots from an inline script; relax helmet's CSP for this path only.
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data:");
    next();
  });
  // bull-board serves from an Express app of its own, with Express's defaults: it would answer
  // `X-Powered-By: Express` on every page, API call and static file of the dashboard.
  const board = serverAdapter.getRouter() as Express;
  board.disable('x-powered-by');
  router.use(board as RequestHandler);
  return router;
}
