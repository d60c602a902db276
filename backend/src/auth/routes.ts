import { createHash } from 'node:crypto';
import { rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { AppError, notFound, sendError } from '../http/errors.js';
import { ErrorResponse } from '../http/schemas.js';
import { AuthResponse, Credentials, LoginBody, MeResponse, toUserDto } from './schemas.js';
import { login, register } from './service.js';

export function authRoutes(api: ApiRouter, ctx: AppContext): void {
  const deps = { db: ctx.db, sessionSecret: ctx.config.auth.sessionSecret, sessionTtlSeconds: ctx.config.auth.sessionTtlSeconds };
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
    skip: (req) => typeof (req.body as { email?: unknown } | undefined)?.email !== 'string',
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

  const session = requireSession(ctx.config.auth.sessionSecret, ctx.apiKeys);

  api.route(
    {
      method: 'post', path: '/api/auth/register', summary: 'Create an account', tag: 'auth', security: 'none', body: Credentials,
      responses: {
        201: { description: 'Account created', schema: AuthResponse },
        400: { description: 'Invalid input, or `weak_password`: common, guessable or built from the email', schema: ErrorResponse },
        409: { description: 'Email taken', schema: ErrorResponse },
        429: { description: 'Rate limited', schema: ErrorResponse },
      },
    },
    limiter('register', ctx.config.auth.loginRatePerMinute),
    async (_req, res) => {
      const { email, password } = res.locals.body;
      const { user, token } = await register(deps, email, password);
      res.status(201).json({ token, user: toUserDto(user) });
    },
  );

  api.route(
    {
      method: 'post', path: '/api/auth/login', summary: 'Log in', tag: 'auth', security: 'none', body: LoginBody,
      responses: { 200: { description: 'Logged in', schema: AuthResponse }, 401: { description: 'Wrong credentials', schema: ErrorResponse }, 429: { description: 'Rate limited (per client address, and per account: failed logins)', schema: ErrorResponse } },
    },
    limiter('login', ctx.config.auth.loginRatePerMinute),
    accountLimiter,
    async (_req, res) => {
      const { email, password } = res.locals.body;
      const { user, token } = await login(deps, email, password);
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
}
