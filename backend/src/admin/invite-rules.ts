// Sign-up invitations (pure): token format, hashing, and why an invite cannot be used. No I/O.
import { createHash, randomBytes } from 'node:crypto';

/** `inv_` + 32 random bytes (base64url): shown once to the admin, only its SHA-256 is stored. */
export function newInviteToken(): { token: string; tokenHash: string } {
  const token = `inv_${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: inviteTokenHash(token) };
}

export function inviteTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type InviteState = 'pending' | 'used' | 'expired' | 'revoked';

export interface InviteFacts {
  email: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** Used first (it says most), then revoked, then expired. */
export function inviteState(i: InviteFacts, now: Date): InviteState {
  if (i.usedAt) return 'used';
  if (i.revokedAt) return 'revoked';
  if (i.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

export type InviteRefusal = { status: 403 | 410; code: string; message: string };

/** Why `email` cannot sign up with this invite (null: it can); `null` invite = unknown token. */
export function inviteRefusal(i: InviteFacts | null, email: string, now: Date): InviteRefusal | null {
  if (!i) return { status: 403, code: 'invite_invalid', message: 'This invite link is not valid; ask an administrator for a new one' };
  const state = inviteState(i, now);
  if (state === 'used') return { status: 410, code: 'invite_used', message: 'This invite link has already been used' };
  if (state === 'revoked') return { status: 410, code: 'invite_revoked', message: 'This invite link has been revoked' };
  if (state === 'expired') return { status: 410, code: 'invite_expired', message: 'This invite link has expired; ask an administrator for a new one' };
  if (i.email !== null && i.email !== email) return { status: 403, code: 'invite_email_mismatch', message: 'This invite link is for another email address' };
  return null;
}

export type RegistrationMode = 'open' | 'invite' | 'closed';

/**
 * What a sign-up needs: the first account of an empty instance is always allowed (and becomes admin
 * when FIRST_ACCOUNT_ADMIN); otherwise `open` lets anyone in, `invite` wants a valid invite,
 * `closed` refuses.
 */
export function signUpRule(mode: RegistrationMode, emptyInstance: boolean): 'allow' | 'invite' | 'closed' {
  if (emptyInstance || mode === 'open') return 'allow';
  return mode === 'invite' ? 'invite' : 'closed';
}
