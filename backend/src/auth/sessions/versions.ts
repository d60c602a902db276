// A per-user version number in Redis (`<prefix>:auth:v:<userId>`), bumped whenever something the
// session check depends on changes (a session ended, a role changed). Every replica reads it on
// every authenticated request and trusts its in-process copy of a session check only while the
// version is the one it saw when it made the copy: revoke on replica A, and the next request on
// replica B already goes to the database. Strict where pub/sub is not (no lost or late messages).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Redis is asked at most this long; a slower answer is treated as "unknown" (go to the database). */
const READ_TIMEOUT_MS = 250;
const BUMP_TIMEOUT_MS = 1_000;

function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export class AuthVersions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a version key outlives its last bump (the longest a session can live). */
    private readonly keepSeconds: number,
    private readonly logger?: Logger,
  ) {}

  key(userId: string): string {
    return `${this.prefix}:auth:v:${userId}`;
  }

  /** The user's current version ('0' before any bump); undefined when Redis cannot tell quickly. */
  async read(userId: string): Promise<string | undefined> {
    // ioredis queues commands while it reconnects: never wait for that on a request.
    if (this.redis.status !== 'ready') return undefined;
    try {
      const v = await within(this.redis.get(this.key(userId)), READ_TIMEOUT_MS);
      return v === undefined ? undefined : (v ?? '0');
    } catch {
      return undefined;
    }
  }

  /** Makes every replica's copy of this user's session checks stale. Never throws. */
  async bump(userId: string): Promise<void> {
    const key = this.key(userId);
    try {
      const done = await within(this.redis.multi().incr(key).expire(key, this.keepSeconds).exec(), BUMP_TIMEOUT_MS);
      if (done === undefined) this.logger?.warn({ userId }, 'auth version bump is late (Redis unreachable); other replicas may serve a cached session check for up to 15 s');
    } catch (err) {
      this.logger?.warn({ err: { message: (err as Error).message }, userId }, 'could not bump auth version');
    }
  }
}
