import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireAdmin, requireSession } from '../http/auth.js';
import { ErrorResponse } from '../http/schemas.js';
import {
  AdminIdParams, AdminUserListQuery, AdminUserListResponse, AdminUserResponse, CreateInviteBody, CreateInviteResponse, DeleteUserResponse,
  DisableUserResponse, InviteListQuery, InviteListResponse,
} from './schemas.js';
import { AdminService } from './service.js';

const err = (description: string) => ({ description, schema: ErrorResponse });

/** /api/admin/*: dashboard sessions of admins only (403 `forbidden` for others, `session_required` for API keys). */
export function adminRoutes(api: ApiRouter, ctx: AppContext): AdminService {
  const admin = new AdminService(ctx);
  const session = requireSession(ctx);
  const tag = 'admin';
  const std = { 401: err('No session'), 403: err('Not an administrator (`forbidden`), or an API key (`session_required`)') };
  const byId = { params: AdminIdParams };

  api.route(
    { method: 'get', path: '/api/admin/users', summary: 'Every account, newest first, one page at a time (search by email)', tag, security: 'session', query: AdminUserListQuery,
      responses: { 200: { description: 'A page of users', schema: AdminUserListResponse }, 400: err('Invalid query'), ...std } },
    session, requireAdmin,
    async (_req, res) => void res.json(await admin.listUsers(res.locals.query)),
  );
  api.route(
    { method: 'post', path: '/api/admin/users/:id/disable', summary: "Disable an account: its sessions and API keys stop working, its streams are refused at admission, its live publishers are disconnected", tag, security: 'session', ...byId,
      responses: { 200: { description: 'Disabled (again: no change)', schema: DisableUserResponse }, 400: err('`cannot_disable_self`'), ...std, 404: err('No such user') } },
    session, requireAdmin,
    async (_req, res) => void res.json(await admin.disableUser(auth(res).userId, res.locals.params.id)),
  );
  api.route(
    { method: 'post', path: '/api/admin/users/:id/enable', summary: 'Enable a disabled account again', tag, security: 'session', ...byId,
      responses: { 200: { description: 'Enabled', schema: AdminUserResponse }, ...std, 404: err('No such user') } },
    session, requireAdmin,
    async (_req, res) => void res.json(await admin.enableUser(res.locals.params.id)),
  );
  api.route(
    { method: 'delete', path: '/api/admin/users/:id', summary: 'Delete an account with its streams, VODs (objects deleted by the VOD worker), sessions, API keys and webhooks; live publishers are disconnected first', tag, security: 'session', ...byId,
      responses: { 200: { description: 'Deleted', schema: DeleteUserResponse }, 400: err('`cannot_delete_self`'), ...std, 404: err('No such user'), 409: err('`vods_processing`: a VOD is being uploaded') } },
    session, requireAdmin,
    async (_req, res) => void res.json(await admin.deleteUser(auth(res).userId, res.locals.params.id)),
  );

  api.route(
    { method: 'post', path: '/api/admin/invites', summary: 'Issue a single-use sign-up invite (the token is shown once)', tag, security: 'session', body: CreateInviteBody,
      responses: { 201: { description: 'Created', schema: CreateInviteResponse }, 400: err('Invalid input'), ...std } },
    session, requireAdmin,
    async (_req, res) => void res.status(201).json(await admin.createInvite(auth(res).userId, res.locals.body)),
  );
  api.route(
    { method: 'get', path: '/api/admin/invites', summary: 'Invites, newest first, one page at a time', tag, security: 'session', query: InviteListQuery,
      responses: { 200: { description: 'A page of invites', schema: InviteListResponse }, 400: err('Invalid query'), ...std } },
    session, requireAdmin,
    async (_req, res) => void res.json(await admin.listInvites(res.locals.query)),
  );
  api.route(
    { method: 'delete', path: '/api/admin/invites/:id', summary: 'Revoke an unused invite', tag, security: 'session', ...byId,
      responses: { 204: { description: 'Revoked (again: no change)' }, ...std, 404: err('No such invite'), 409: err('`invite_used`: already used') } },
    session, requireAdmin,
    async (_req, res) => {
      await admin.revokeInvite(res.locals.params.id);
      res.status(204).end();
    },
  );
  return admin;
}
