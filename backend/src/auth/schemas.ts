import { z } from 'zod';
import { noControl, text } from '../http/strings.js';

export const Credentials = z.object({
  email: noControl(z.email({ error: 'Enter a valid email address' })).max(254).transform((e) => e.toLowerCase()),
  password: text({ multiline: true, error: 'Password is required' }).min(8, 'Password must be at least 8 characters').max(200, 'Password must be at most 200 characters'),
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
  createdAt: z.iso.datetime(),
});

export const AuthResponse = z.object({ token: z.string(), user: User });
export const MeResponse = z.object({ user: User });

export type UserDto = z.infer<typeof User>;
export function toUserDto(u: { id: string; email: string; role: 'user' | 'admin'; createdAt: Date }): UserDto {
  return { id: u.id, email: u.email, role: u.role, createdAt: u.createdAt.toISOString() };
}
