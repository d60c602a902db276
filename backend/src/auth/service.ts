import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import { badRequest, conflict, unauthorized } from '../http/errors.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { signSession } from './tokens.js';

export interface AuthDeps {
  db: Db;
  sessionSecret: string;
  sessionTtlSeconds: number;
}

// Verified against when the email is unknown, so a login takes as long either way and does not
// reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined;

/** 400 weak_password when the policy refuses a new password (sign-up, password change). */
export async function assertAcceptablePassword(password: string, email: string): Promise<void> {
  const problem = await passwordProblem(password, email);
  if (problem) throw badRequest('weak_password', problem, [{ path: 'password', message: problem }]);
}

export async function register(deps: AuthDeps, email: string, password: string) {
  // Checked before the email is looked at, so a weak password tells nothing about the address.
  await assertAcceptablePassword(password, email);
  const passwordHash = await hashPassword(password);
  try {
    const user = await deps.db.user.create({ data: { email, passwordHash } });
    return { user, token: signSession({ userId: user.id, role: user.role }, deps.sessionSecret, deps.sessionTtlSeconds) };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw conflict('email_taken', 'An account with this email already exists');
    throw err;
  }
}

export async function login(deps: AuthDeps, email: string, password: string) {
  const user = await deps.db.user.findUnique({ where: { email } });
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(await dummyHash, password);
    throw unauthorized('Wrong email or password', 'invalid_credentials');
  }
  if (!(await verifyPassword(user.passwordHash, password))) throw unauthorized('Wrong email or password', 'invalid_credentials');
  return { user, token: signSession({ userId: user.id, role: user.role }, deps.sessionSecret, deps.sessionTtlSeconds) };
}

/** Changes an account's role; null when no account has that email. */
export async function setRole(db: Db, email: string, role: 'user' | 'admin') {
  const res = await db.user.updateMany({ where: { email }, data: { role } });
  return res.count ? db.user.findUnique({ where: { email }, select: { id: true, email: true, role: true } }) : null;
}
