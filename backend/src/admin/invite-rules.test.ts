import { describe, expect, it } from 'vitest';
import { inviteRefusal, inviteState, inviteTokenHash, newInviteToken, signUpRule } from './invite-rules.js';

const now = new Date('2026-12-04T12:00:00Z');
const pending = { email: null, expiresAt: new Date(now.getTime() + 1000), usedAt: null, revokedAt: null };

describe('invite rules (pure)', () => {
  it('tokens: inv_ + 256 random bits, stored as SHA-256 hex', () => {
    const a = newInviteToken();
    const b = newInviteToken();
    expect(a.token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.tokenHash).toBe(inviteTokenHash(a.token));
    expect(a.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('state and refusal: used beats revoked beats expired; the expiry instant is already too late; a named email must match', () => {
    expect(inviteState(pending, now)).toBe('pending');
    expect(inviteState({ ...pending, expiresAt: now }, now)).toBe('expired');
    expect(inviteState({ ...pending, revokedAt: now, expiresAt: new Date(0) }, now)).toBe('revoked');
    expect(inviteState({ ...pending, usedAt: now, revokedAt: now }, now)).toBe('used');
    expect(inviteRefusal(null, 'a@x.test', now)).toMatchObject({ status: 403, code: 'invite_invalid' });
    expect(inviteRefusal({ ...pending, usedAt: now }, 'a@x.test', now)).toMatchObject({ status: 410, code: 'invite_used' });
    expect(inviteRefusal({ ...pending, expiresAt: now }, 'a@x.test', now)).toMatchObject({ status: 410, code: 'invite_expired' });
    expect(inviteRefusal({ ...pending, revokedAt: now }, 'a@x.test', now)).toMatchObject({ status: 410, code: 'invite_revoked' });
    expect(inviteRefusal({ ...pending, email: 'b@x.test' }, 'a@x.test', now)).toMatchObject({ status: 403, code: 'invite_email_mismatch' });
    expect(inviteRefusal({ ...pending, email: 'a@x.test' }, 'a@x.test', now)).toBeNull();
    expect(inviteRefusal(pending, 'a@x.test', now)).toBeNull();
  });

  it('sign-up rule: the first account always; then open allows, invite asks for one, closed refuses', () => {
    for (const mode of ['open', 'invite', 'closed'] as const) expect(signUpRule(mode, true)).toBe('allow');
    expect(signUpRule('open', false)).toBe('allow');
    expect(signUpRule('invite', false)).toBe('invite');
    expect(signUpRule('closed', false)).toBe('closed');
  });
});
