// A per-key request budget for handlers outside Express, on the same Redis store (rate-limit-redis)
// and key scheme the Express routes' limiters use, so every replica shares one count per key.
// Redis trouble never refuses a request: a budget that cannot be counted lets it through
// (passOnStoreError, as the login limiter does), and a slow Redis is not waited for past `timeoutMs`.
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';

export interface BudgetVerdict {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

const PASS: BudgetVerdict = { allowed: true, retryAfterSeconds: 0 };

export class RateBudget {
  private readonly store: RedisStore;
  private ready!: Promise<boolean>;
  private initAt = 0;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly timeoutMs = 250,
  ) {
    this.store = new RedisStore({ prefix, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> });
    // The store's scripts are loaded once connected, and again on every reconnect (a restarted Redis forgot them).
    // (The `on` listener runs first: the `once` one then hands on the load it started.)
    redis.on('ready', () => void this.init());
    if (redis.status === 'ready') void this.init();
    else this.ready = new Promise((resolve) => redis.once('ready', () => resolve(this.ready)));
  }

  /** Loads the store's scripts; also retried (at most once a second) when a load failed. */
  private init(): Promise<boolean> {
    this.initAt = Date.now();
    this.ready = this.store.init({ windowMs: this.windowMs } as Parameters<RedisStore['init']>[0]).then(() => true, () => false);
    return this.ready;
  }

  async take(key: string): Promise<BudgetVerdict> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.timeoutMs);
    });
    try {
      let ready = await Promise.race([this.ready, timeout]);
      if (ready === false && Date.now() - this.initAt > 1000) ready = await Promise.race([this.init(), timeout]);
      if (!ready) return PASS;
      const counted = await Promise.race([this.store.increment(key), timeout]);
      if (!counted) return PASS;
      const retryAfterSeconds = Math.max(1, Math.ceil(((counted.resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000));
      return { allowed: counted.totalHits <= this.limit, retryAfterSeconds };
    } catch {
      return PASS;
    } finally {
      clearTimeout(timer);
    }
  }
}
