import { z } from 'zod';
import { noControl, text } from '../http/strings.js';

export const Credentials = z.object({
  email: noControl(z.email({ error: 'Enter a valid email address' })).max(254).transform((e) => e.toLowerCase()),
  password: text({ multiline: true, error: 'Password is required' }).min(8, 'Password must be at least 8 characters').max(200, 'Password must be at most 200 characters'),
});

export const RegisterBody = Credentials.extend({
  invite: text().max(200, 'invite must be at most 200 characters').optional().describe('The invite token (REGISTRATION=invite): the `invite` of the invite link'),
});

export const RegistrationInfo = z.object({
  mode: z.enum(['open', 'invite', 'closed']).describe('REGISTRATION: who may sign up'),
  firstAccount: z.boolean().describe('No account exists yet: the next sign-up is allowed whatever the mode (and becomes admin when FIRST_ACCOUNT_ADMIN)'),
});

export const LoginBody = z.object({
  email: text({ error: 'Email is required' }).max(254).transform((e) => e.trim().toLowerCase()),
  password: text({ multiline: true, error: 'Password is required' }).max(200),
});

export const ChangePasswordBody = z
  .object({
    currentPassword: text({ multiline: true, error: 'The current password is required' }).min(1, 'The current password is required').max(200),
    newPassword: text({ multiline: true, error: 'A new password is required' }).min(8, 'Password must be at least 8 characters').max(200, 'Password must be at most 200 characters'),
  })
  .strict();
export const ChangePasswordResponse = z.object({ revoked: z.number().int().meta({ description: 'Other sessions ended' }) });

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(['user', 'admin']),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
});

export const AuthResponse = z.object({ token: z.string(), user: User });
export const MeResponse = z.object({ user: User });

export type UserDto = z.infer<typeof User>;
export function toUserDto(u: { id: string; email: string; role: 'user' | 'admin'; disabledAt: Date | null; createdAt: Date }): UserDto {
  return { id: u.id, email: u.email, role: u.role, disabled: u.disabledAt !== null, createdAt: u.createdAt.toISOString() };
}
