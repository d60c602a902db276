import { z } from 'zod';
import { PageQuery, SearchParam, pageResponse } from '../http/pagination.js';
import { noControl, text } from '../http/strings.js';

export const AdminIdParams = z.object({ id: text() });

export const AdminUser = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(['user', 'admin']),
  disabled: z.boolean(),
  disabledAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  streams: z.number().int().describe('Streams the user owns'),
  vods: z.number().int().describe('VODs the user owns'),
});

export const AdminUserListQuery = PageQuery.extend({
  q: SearchParam.describe('Case-insensitive search in the email (substring)'),
});
export const AdminUserListResponse = pageResponse('users', AdminUser);
export const AdminUserResponse = z.object({ user: AdminUser });
export const DisableUserResponse = z.object({
  user: AdminUser,
  kicked: z.number().int().describe('Live publishers disconnected (their sessions ended with `user_disabled`)'),
});
export const DeleteUserResponse = z.object({
  deleted: z.object({
    streams: z.number().int(),
    vods: z.number().int().describe('VOD rows deleted; their objects are deleted by the VOD worker'),
    webhooks: z.number().int(),
  }),
  kicked: z.number().int(),
});

export const INVITE_TTL_MAX_HOURS = 90 * 24;

export const CreateInviteBody = z.strictObject({
  email: noControl(z.email({ error: 'Enter a valid email address' })).max(254).transform((e) => e.toLowerCase()).optional().describe('Only this address may use the invite'),
  expiresInHours: z
    .number({ error: 'expiresInHours must be a whole number of hours' })
    .int('expiresInHours must be a whole number of hours')
    .min(1, 'expiresInHours must be at least 1')
    .max(INVITE_TTL_MAX_HOURS, `expiresInHours must be at most ${INVITE_TTL_MAX_HOURS}`)
    .optional()
    .describe('Hours until the invite expires (default INVITE_TTL_HOURS)'),
});

export const Invite = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  state: z.enum(['pending', 'used', 'expired', 'revoked']),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  usedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export const CreateInviteResponse = z.object({
  invite: Invite,
  token: z.string().describe('Shown once: only a hash is kept'),
  path: z.string().describe('The sign-up link, relative to the dashboard: `/signup?invite=<token>`'),
});
export const InviteListQuery = PageQuery;
export const InviteListResponse = pageResponse('invites', Invite);
