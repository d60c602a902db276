// Per-key request budgets for handlers outside Express, counted in Redis so every replica shares one
// count per key. Same fixed-window rule and key layout as the Express routes' limiters' store
// (rate-limit-redis: `<prefix><key>`, SET 1 PX window on the first hit, INCR after), but several
// budgets are taken in ONE script call: the beacon endpoint takes two per request (address, player),
// and a Redis command per budget was a fifth of its CPU at 5,000 beacons/s (bench/README.md).
// Redis trouble never refuses a request: a budget that cannot be counted lets it through
// (passOnStoreError, as the login limiter does), and a slow Redis is not waited for past `timeoutMs`.
import type { Redis } from 'ioredis';

export interface BudgetVerdict {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

export interface Budget {
  /** Key prefix in Redis, e.g. `ocp:rl:beacon-ip:`. */
  prefix: string;
  limit: number;
}

const PASS: BudgetVerdict = { allowed: true, retryAfterSeconds: 0 };

// rate-limit-redis's increment script, once per key: {hits, ms to expiry} for each.
const SCRIPT = `
local windowMs = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local ttl = redis.call("PTTL", key)
  if ttl <= 0 then
    redis.call("SET", key, 1, "PX", windowMs)
    out[#out + 1] = 1
    out[#out + 1] = windowMs
  else
    out[#out + 1] = redis.call("INCR", key)
    out[#out + 1] = ttl
  end
end
return out`;

interface Budgeted {
  ocpTakeBudgets(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
}

export class RateBudgets {
  private readonly redis: Budgeted;

  constructor(
    redis: Redis,
    private readonly windowMs = 60_000,
    private readonly timeoutMs = 250,
  ) {
    // defineCommand: EVALSHA, loading the script again after NOSCRIPT (a restarted Redis), auto-pipelined with the rest.
    if (!(redis as unknown as Partial<Budgeted>).ocpTakeBudgets) redis.defineCommand('ocpTakeBudgets', { lua: SCRIPT });
    this.redis = redis as unknown as Budgeted;
  }

  /** Counts one hit against each budget (one Redis call); a verdict per budget, in order. */
  async take(hits: readonly { budget: Budget; key: string }[]): Promise<BudgetVerdict[]> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const counted = await Promise.race([
        this.redis.ocpTakeBudgets(hits.length, ...hits.map((h) => `${h.budget.prefix}${h.key}`), this.windowMs),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), this.timeoutMs);
        }),
      ]);
      if (!counted) return hits.map(() => PASS);
      return hits.map((h, i) => ({ allowed: Number(counted[2 * i]) <= h.budget.limit, retryAfterSeconds: Math.max(1, Math.ceil(Number(counted[2 * i + 1]) / 1000)) }));
    } catch {
      return hits.map(() => PASS);
    } finally {
      clearTimeout(timer);
    }
  }
}
