// Per-key request budgets shared by every replica through Redis, decided without a Redis round trip.
// Same fixed window and key layout as the Express routes' limiters' store (rate-limit-redis:
// `<prefix><key>`, SET <n> PX <window> on the first hits, INCRBY after), but hits are counted here
// first and sent to Redis together every `syncMs` (one script call for all keys touched meanwhile),
// which answers each key's total across replicas. A decision uses that total plus the hits not yet
// sent, so one replica is exact and N replicas can let through at most what the others took in
// one sync interval beyond the limit. Why: the beacon endpoint takes two budgets per request, and a
// Redis call per request was a fifth of its CPU at 5,000 beacons/s (bench/README.md).
// Redis trouble never refuses a request on its own: hits keep being counted here (this replica's
// share is still limited) and are sent once Redis answers again.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

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

const PASS: BudgetVerdict = Object.freeze({ allowed: true, retryAfterSeconds: 0 });
const ALLOWED = PASS;

interface Entry {
  /** The total in Redis (all replicas) at the last sync of this key, this replica's sent hits included. */
  known: number;
  /** Hits sent in the sync under way. */
  sending: number;
  /** Hits not sent yet. */
  pending: number;
  /** When the window ends (Redis's TTL once synced). */
  resetAt: number;
}

// rate-limit-redis's increment, for many keys and by more than one: {total, ms to expiry} per key.
const SCRIPT = `
local windowMs = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local n = tonumber(ARGV[i + 1])
  local ttl = redis.call("PTTL", key)
  if ttl <= 0 then
    redis.call("SET", key, n, "PX", windowMs)
    out[#out + 1] = n
    out[#out + 1] = windowMs
  else
    out[#out + 1] = redis.call("INCRBY", key, n)
    out[#out + 1] = ttl
  end
end
return out`;

interface Syncing {
  ocpSyncBudgets(numKeys: number, ...args: (string | number)[]): Promise<(number | string)[]>;
}

export class SharedBudgets {
  private readonly redis: Syncing;
  private readonly entries = new Map<string, Entry>();
  private dirty = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private syncing: Promise<void> | null = null;
  private sweptAt = Date.now();

  constructor(
    redis: Redis,
    private readonly opts: { windowMs?: number; syncMs?: number; maxKeys?: number; logger?: Logger } = {},
  ) {
    // defineCommand: EVALSHA, loading the script again after NOSCRIPT (a restarted Redis).
    if (!(redis as unknown as Partial<Syncing>).ocpSyncBudgets) redis.defineCommand('ocpSyncBudgets', { lua: SCRIPT });
    this.redis = redis as unknown as Syncing;
    this.timer = setInterval(() => void this.sync(), opts.syncMs ?? 100);
    this.timer.unref();
  }

  private get windowMs(): number {
    return this.opts.windowMs ?? 60_000;
  }

  /** Counts one hit against each budget; a verdict per budget, in order. Refused hits count too (as in rate-limit-redis). */
  take(hits: readonly { budget: Budget; key: string }[], now = Date.now()): BudgetVerdict[] {
    const out: BudgetVerdict[] = [];
    for (const { budget, key } of hits) out.push(this.hit(budget, key, now));
    return out;
  }

  private hit(budget: Budget, key: string, now: number): BudgetVerdict {
    const id = budget.prefix + key;
    let e = this.entries.get(id);
    if (e !== undefined && e.resetAt <= now && e.sending === 0) e = undefined;
    if (e === undefined) {
      // Past maxKeys (a flood of distinct keys) new keys are let through uncounted rather than grow memory.
      if (this.entries.size >= (this.opts.maxKeys ?? 1_000_000)) return PASS;
      e = { known: 0, sending: 0, pending: 0, resetAt: now + this.windowMs };
      this.entries.set(id, e);
    }
    e.pending++;
    this.dirty.add(id);
    const allowed = e.known + e.sending + e.pending <= budget.limit;
    return allowed ? ALLOWED : { allowed, retryAfterSeconds: Math.max(1, Math.ceil((e.resetAt - now) / 1000)) };
  }

  /** Sends the hits counted since the last sync (at most 2,000 keys per script call); one sync at a time. */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    if (this.dirty.size === 0) {
      this.sweep(Date.now());
      return Promise.resolve();
    }
    const run = (async () => {
      const ids = [...this.dirty];
      this.dirty = new Set();
      for (let i = 0; i < ids.length; i += 2000) {
        const chunk = ids.slice(i, i + 2000).filter((id) => this.entries.has(id));
        const sent = chunk.map((id) => {
          const e = this.entries.get(id)!;
          const n = e.pending;
          e.sending += n;
          e.pending = 0;
          return n;
        });
        try {
          const out = await this.redis.ocpSyncBudgets(chunk.length, ...chunk, this.windowMs, ...sent);
          const now = Date.now();
          chunk.forEach((id, k) => {
            const e = this.entries.get(id);
            if (!e) return;
            e.sending -= sent[k]!;
            e.known = Number(out[2 * k]);
            e.resetAt = now + Number(out[2 * k + 1]);
          });
        } catch (err) {
          // Kept for the next sync (this replica goes on counting alone meanwhile).
          chunk.forEach((id, k) => {
            const e = this.entries.get(id);
            if (!e) return;
            e.sending -= sent[k]!;
            e.pending += sent[k]!;
            this.dirty.add(id);
          });
          this.opts.logger?.debug({ err: (err as Error).message, keys: chunk.length }, 'rate budgets not synced; retried');
          return;
        }
      }
      this.sweep(Date.now());
    })();
    this.syncing = run;
    void run.finally(() => {
      if (this.syncing === run) this.syncing = null;
    });
    return run;
  }

  /** Windows that ended (and were synced) are forgotten; a full pass at most every 5 s. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 5_000) return;
    this.sweptAt = now;
    for (const [id, e] of this.entries) if (e.resetAt <= now && e.pending === 0 && e.sending === 0) this.entries.delete(id);
  }

  /** Stops the timer after a last sync. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    await this.sync();
  }
}
