import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import { AppError, badRequest, conflict, unauthorized } from '../http/errors.js';
import { inviteRefusal, inviteTokenHash, signUpRule, type RegistrationMode } from '../admin/invite-rules.js';
import { passwordProblem } from './password-policy.js';
import { LOCK_KEYS } from '../db/lock-keys.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { ACCOUNT_DISABLED, ACCOUNT_DISABLED_MESSAGE } from './sessions/rules.js';
import type { ClientInfo, SessionService } from './sessions/service.js';

export interface AuthDeps {
  db: Db;
  sessions: SessionService;
  /** REGISTRATION and FIRST_ACCOUNT_ADMIN (defaults: open, no first admin). */
  registration?: { mode: RegistrationMode; firstAccountAdmin: boolean };
}


// Verified against when the email is unknown, so a login takes as long either way and does not
// reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined;

/** 400 weak_password when the policy refuses a new password (sign-up, password change). */
export async function assertAcceptablePassword(password: string, email: string, field = 'password'): Promise<void> {
  const problem = await passwordProblem(password, email);
  if (problem) throw badRequest('weak_password', problem, [{ path: field, message: problem }]);
}

/**
 * Creates an account. One transaction under an advisory lock: whether the instance is empty (first
 * account → admin when configured) is decided with no other sign-up in between, so two concurrent
 * first sign-ups cannot both become admin. In invite mode the invite is claimed in the same
 * transaction with a conditional UPDATE (unused, unrevoked, unexpired): single use under concurrent
 * use, and not spent when the sign-up fails (email taken).
 */
export async function register(deps: AuthDeps, email: string, password: string, client: ClientInfo = {}, inviteToken?: string) {
  const { mode, firstAccountAdmin } = deps.registration ?? { mode: 'open' as const, firstAccountAdmin: false };
  // Closed to everybody but the first account: say so before anything else is looked at.
  if (mode === 'closed' && (await deps.db.user.findFirst({ select: { id: true } }))) throw closedError();
  // Checked before the email is looked at, so a weak password tells nothing about the address.
  await assertAcceptablePassword(password, email);
  const passwordHash = await hashPassword(password);
  let user;
  try {
    user = await deps.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEYS.registration}::bigint)`;
      const empty = (await tx.user.findFirst({ select: { id: true } })) === null;
      const rule = signUpRule(mode, empty);
      if (rule === 'closed') throw closedError();
      let inviteId: string | null = null;
      if (rule === 'invite') {
        if (!inviteToken) throw new AppError(403, 'invite_required', 'Sign-up is by invitation only: open the invite link an administrator sent you');
        const tokenHash = inviteTokenHash(inviteToken);
        const now = new Date();
        const claimed = await tx.invite.updateMany({
          where: { tokenHash, usedAt: null, revokedAt: null, expiresAt: { gt: now }, OR: [{ email: null }, { email }] },
          data: { usedAt: now },
        });
        if (claimed.count === 0) {
          const refusal = inviteRefusal(await tx.invite.findUnique({ where: { tokenHash } }), email, now) ?? inviteRefusal(null, email, now)!;
          throw new AppError(refusal.status, refusal.code, refusal.message);
        }
        inviteId = (await tx.invite.findUnique({ where: { tokenHash }, select: { id: true } }))!.id;
      }
      const created = await tx.user.create({ data: { email, passwordHash, role: empty && firstAccountAdmin ? 'admin' : 'user' } });
      if (inviteId) await tx.invite.update({ where: { id: inviteId }, data: { usedById: created.id } });
      return created;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw conflict('email_taken', 'An account with this email already exists');
    throw err;
  }
  return { user, token: (await deps.sessions.start(user.id, client)).token };
}

const closedError = () => new AppError(403, 'registration_closed', 'Sign-up is closed on this instance; ask an administrator for an account');

export async function login(deps: AuthDeps, email: string, password: string, client: ClientInfo = {}) {
  const user = await deps.db.user.findUnique({ where: { email } });
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(await dummyHash, password);
    throw unauthorized('Wrong email or password', 'invalid_credentials');
  }
  if (!(await verifyPassword(user.passwordHash, password))) throw unauthorized('Wrong email or password', 'invalid_credentials');
  // Only after the password was right: a 403 must not confirm guesses about other accounts.
  if (user.disabledAt) throw new AppError(403, ACCOUNT_DISABLED, ACCOUNT_DISABLED_MESSAGE);
  return { user, token: (await deps.sessions.start(user.id, client)).token };
}

export const WRONG_PASSWORD = 'wrong_password';

/**
 * Changes the password of the session's user: the current one must be given (400 wrong_password,
 * not 401: the session itself is fine), the new one passes the sign-up policy (400 weak_password on
 * `newPassword`). Every other session of the user ends; this one stays. How many ended.
 */
export async function changePassword(deps: AuthDeps, who: { userId: string; sessionId: string }, currentPassword: string, newPassword: string): Promise<number> {
  const user = await deps.db.user.findUnique({ where: { id: who.userId }, select: { email: true, passwordHash: true } });
  if (!user) throw unauthorized('Invalid session token');
  if (!(await verifyPassword(user.passwordHash, currentPassword))) throw new AppError(400, WRONG_PASSWORD, 'The current password is not correct', [{ path: 'currentPassword', message: 'The current password is not correct' }]);
  await assertAcceptablePassword(newPassword, user.email, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  // Only if the hash is still the one checked: two concurrent changes cannot both win.
  const { count } = await deps.db.user.updateMany({ where: { id: who.userId, passwordHash: user.passwordHash }, data: { passwordHash } });
  if (count === 0) throw new AppError(409, 'password_changed', 'The password was changed meanwhile; log in again with the new one');
  return deps.sessions.revokeAll(who.userId, who.sessionId);
}

/**
 * Changes an account's role; null when no account has that email. Callers then bump the user's auth
 * version (AuthVersions.bump), so open sessions get the new role on their next request.
 */
export async function setRole(db: Db, email: string, role: 'user' | 'admin') {
  const res = await db.user.updateMany({ where: { email }, data: { role } });
  return res.count ? db.user.findUnique({ where: { email }, select: { id: true, email: true, role: true } }) : null;
}
