import { createHash } from 'node:crypto';
import { rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { AppError, notFound, sendError } from '../http/errors.js';
import { ErrorResponse } from '../http/schemas.js';
import type { ClientInfo } from './sessions/service.js';
import { AuthResponse, ChangePasswordBody, ChangePasswordResponse, LoginBody, MeResponse, RegisterBody, RegistrationInfo, toUserDto } from './schemas.js';
import { changePassword, login, register, WRONG_PASSWORD } from './service.js';

/** What a session remembers about the client that logged in (shown in the session list). */
const clientOf = (req: { ip?: string; headers: { 'user-agent'?: string } }): ClientInfo => ({ ip: req.ip ?? '', userAgent: req.headers['user-agent'] ?? '' });

export function authRoutes(api: ApiRouter, ctx: AppContext): void {
  const deps = { db: ctx.db, sessions: ctx.sessions, registration: { mode: ctx.config.auth.registration, firstAccountAdmin: ctx.config.auth.firstAccountAdmin } };
  // Counted in Redis so every replica shares one budget per client address.
  const limiter = (name: string, limit: number) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new RedisStore({
        prefix: `${ctx.config.redisPrefix}:rl:${name}:`,
        sendCommand: (command: string, ...args: string[]) => ctx.redis.call(command, ...args) as Promise<RedisReply>,
      }),
      // If Redis is down, let the request through rather than locking everybody out.
      passOnStoreError: true,
      handler: (_req, res) => sendError(res, new AppError(429, 'rate_limited', 'Too many attempts, try again in a minute')),
    });
  // Per account, whatever the address: failed logins for one email share one budget across every
  // client address and replica, so guessing spread over many addresses (or X-Forwarded-For values)
  // is bounded too. Successful logins do not count. Once spent, every login for that email is
  // refused until the window ends, even with the right password (otherwise a 200 would confirm a
  // guess). Unknown emails count the same way, so a 429 tells nothing about which accounts exist.
  const { accountLoginFailures, accountLoginWindowSeconds } = ctx.config.auth;
  const minutes = Math.ceil(accountLoginWindowSeconds / 60);
  const accountLimiter = rateLimit({
    windowMs: accountLoginWindowSeconds * 1000,
    limit: accountLoginFailures,
    skipSuccessfulRequests: true,
    // Only a wrong password (401) is a guess; a body refused as invalid (400) guessed nothing, and
    // must not let a stream of junk lock the account.
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    // Keyed by a hash of the address as login reads it (trimmed, lower case), never by the raw input.
    keyGenerator: (req) => createHash('sha256').update((req.body as { email: string }).email.trim().toLowerCase()).digest('hex'),
    // A body validation refuses is not judged here at all: it gets its 400, never a 429 of a spent
    // budget (junk must neither lock the account nor be told about its budget).
    skip: (req) => !LoginBody.safeParse(req.body).success,
    // No RateLimit headers: they would tell anyone how many guesses others have made on an account.
    standardHeaders: false,
    legacyHeaders: false,
    store: new RedisStore({
      prefix: `${ctx.config.redisPrefix}:rl:login-account:`,
      sendCommand: (command: string, ...args: string[]) => ctx.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    passOnStoreError: true,
    handler: (req, res) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      if (reset) res.setHeader('retry-after', String(Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000))));
      sendError(res, new AppError(429, 'rate_limited', `Too many failed logins for this account; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`));
    },
  });

  const session = requireSession(ctx);

  api.route(
    {
      method: 'post', path: '/api/auth/register', summary: 'Create an account (REGISTRATION: open, invite with an invite token, closed)', tag: 'auth', security: 'none', body: RegisterBody,
      responses: {
        201: { description: 'Account created (the first account of an empty instance becomes admin when FIRST_ACCOUNT_ADMIN)', schema: AuthResponse },
        400: { description: 'Invalid input, or `weak_password`: common, guessable or built from the email', schema: ErrorResponse },
        403: { description: '`registration_closed`, `invite_required` (invite mode, no invite), `invite_invalid` (unknown invite), `invite_email_mismatch` (the invite names another email)', schema: ErrorResponse },
        410: { description: '`invite_used`, `invite_expired` or `invite_revoked`', schema: ErrorResponse },
        409: { description: 'Email taken (`email_taken`; kept on purpose, bounded by the per-address rate limit: docs/reliability.md)', schema: ErrorResponse },
        429: { description: 'Rate limited', schema: ErrorResponse },
      },
    },
    limiter('register', ctx.config.auth.loginRatePerMinute),
    async (req, res) => {
      const { email, password, invite } = res.locals.body;
      const { user, token } = await register(deps, email, password, clientOf(req), invite);
      res.status(201).json({ token, user: toUserDto(user) });
    },
  );

  api.route(
    {
      method: 'get', path: '/api/auth/registration', summary: 'Who may sign up here (for the sign-up page)', tag: 'auth', security: 'none',
      responses: { 200: { description: 'The registration mode', schema: RegistrationInfo } },
    },
    async (_req, res) => {
      const firstAccount = (await ctx.db.user.findFirst({ select: { id: true } })) === null;
      res.json({ mode: ctx.config.auth.registration, firstAccount });
    },
  );

  api.route(
    {
      method: 'post', path: '/api/auth/login', summary: 'Log in', tag: 'auth', security: 'none', body: LoginBody,
      responses: { 200: { description: 'Logged in', schema: AuthResponse }, 401: { description: 'Wrong credentials', schema: ErrorResponse }, 403: { description: '`account_disabled`: an administrator disabled this account (only said once the password was right)', schema: ErrorResponse }, 429: { description: 'Rate limited (per client address, and per account: failed logins)', schema: ErrorResponse } },
    },
    limiter('login', ctx.config.auth.loginRatePerMinute),
    accountLimiter,
    async (req, res) => {
      const { email, password } = res.locals.body;
      const { user, token } = await login(deps, email, password, clientOf(req));
      res.json({ token, user: toUserDto(user) });
    },
  );

  api.route(
    { method: 'get', path: '/api/auth/me', summary: 'The logged-in user', tag: 'auth', security: 'session', responses: { 200: { description: 'User', schema: MeResponse }, 401: { description: 'No session', schema: ErrorResponse }, 403: { description: 'An API key (session_required)', schema: ErrorResponse } } },
    session,
    async (_req, res) => {
      const user = await ctx.db.user.findUnique({ where: { id: auth(res).userId } });
      if (!user) throw notFound('User');
      res.json({ user: toUserDto(user) });
    },
  );

  // Someone holding a stolen session could guess the current password here: wrong guesses share
  // the per-account failed-login budget's size and window, counted per user.
  const passwordLimiter = rateLimit({
    windowMs: accountLoginWindowSeconds * 1000,
    limit: accountLoginFailures,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.locals.wrongPassword !== true,
    keyGenerator: (_req, res) => auth(res).userId,
    // A body validation refuses (control characters…) guesses nothing: it gets its 400, never a 429.
    skip: (req) => !ChangePasswordBody.safeParse(req.body).success,
    standardHeaders: false,
    legacyHeaders: false,
    store: new RedisStore({
      prefix: `${ctx.config.redisPrefix}:rl:password-change:`,
      sendCommand: (command: string, ...args: string[]) => ctx.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    passOnStoreError: true,
    handler: (_req, res) => sendError(res, new AppError(429, 'rate_limited', `Too many wrong passwords; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`)),
  });

  api.route(
    {
      method: 'post', path: '/api/auth/password', summary: 'Change your password; every other session of yours ends', tag: 'auth', security: 'session', body: ChangePasswordBody,
      responses: {
        200: { description: 'Changed; `revoked` other sessions ended (this one stays)', schema: ChangePasswordResponse },
        400: { description: 'Invalid input, `wrong_password` (the current password is not correct) or `weak_password` (the new one is refused by the sign-up policy)', schema: ErrorResponse },
        401: { description: 'No session', schema: ErrorResponse },
        409: { description: 'The password was changed by another request meanwhile (`password_changed`)', schema: ErrorResponse },
        429: { description: 'Too many wrong current passwords for this account', schema: ErrorResponse },
      },
    },
    session,
    passwordLimiter,
    async (_req, res) => {
      const a = auth(res);
      if (a.kind !== 'session') throw new AppError(403, 'session_required', 'API keys cannot be used here; log in to the dashboard');
      const { currentPassword, newPassword } = res.locals.body;
      try {
        res.json({ revoked: await changePassword(deps, { userId: a.userId, sessionId: a.sessionId }, currentPassword, newPassword) });
      } catch (err) {
        if (err instanceof AppError && err.code === WRONG_PASSWORD) res.locals.wrongPassword = true;
        throw err;
      }
    },
  );
}
