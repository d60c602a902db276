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

// The table is kept in typed arrays indexed by slot, with one Map per budget from the raw key to
// its slot: no object or concatenated string per key. At 5,000 beacons/s from new players every
// key lives for its whole window, and per-key objects were half of what the backend's old
// generation grew by, which set how often its major GCs came (bench/README.md, "Viewer beacons").
class Slots {
  /** The total in Redis (all replicas) at the last sync of the key, this replica's sent hits included. */
  known: Int32Array;
  /** Hits sent in the sync under way. */
  sending: Int32Array;
  /** Hits not sent yet. */
  pending: Int32Array;
  /** When the window ends (Redis's TTL once synced); 0 for a free slot. */
  resetAt: Float64Array;
  /** Index of the slot's budget in `SharedBudgets.budgets`. */
  budget: Uint16Array;
  /** 1 while the slot is in the dirty list. */
  dirty: Uint8Array;
  keys: (string | undefined)[] = [];
  private free: number[] = [];
  private used = 0;
  live = 0;

  constructor(private capacity = 1024) {
    this.known = new Int32Array(capacity);
    this.sending = new Int32Array(capacity);
    this.pending = new Int32Array(capacity);
    this.resetAt = new Float64Array(capacity);
    this.budget = new Uint16Array(capacity);
    this.dirty = new Uint8Array(capacity);
  }

  alloc(budget: number, key: string, resetAt: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.capacity) this.grow();
      slot = this.used++;
    }
    this.known[slot] = 0;
    this.sending[slot] = 0;
    this.pending[slot] = 0;
    this.resetAt[slot] = resetAt;
    this.budget[slot] = budget;
    this.keys[slot] = key;
    this.live++;
    return slot;
  }

  release(slot: number): void {
    this.keys[slot] = undefined;
    this.resetAt[slot] = 0;
    this.free.push(slot);
    this.live--;
  }

  /** Slots ever handed out (free ones included): the range a sweep walks. */
  get extent(): number {
    return this.used;
  }

  private grow(): void {
    const n = this.capacity * 2;
    const more = <T extends Int32Array | Float64Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.known = more(this.known, (k) => new Int32Array(k));
    this.sending = more(this.sending, (k) => new Int32Array(k));
    this.pending = more(this.pending, (k) => new Int32Array(k));
    this.resetAt = more(this.resetAt, (k) => new Float64Array(k));
    this.budget = more(this.budget, (k) => new Uint16Array(k));
    this.dirty = more(this.dirty, (k) => new Uint8Array(k));
    this.capacity = n;
  }
}

export class SharedBudgets {
  private readonly redis: Syncing;
  private readonly budgets: Budget[] = [];
  /** Per budget (same index as `budgets`): raw key → slot. */
  private readonly index: Map<string, number>[] = [];
  private readonly slots = new Slots();
  /** Slots with hits not sent yet, each once (`slots.dirty`). */
  private dirty: number[] = [];
  private readonly timer: NodeJS.Timeout;
  private syncing: Promise<void> | null = null;
  private sweptAt = Date.now();

  constructor(
    redis: Redis,
    private readonly opts: { windowMs?: number; syncMs?: number; sweepMs?: number; maxKeys?: number; logger?: Logger } = {},
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

  private budgetIndex(budget: Budget): number {
    // Budgets are a handful of long-lived objects; one with the same prefix is the same Redis counter.
    let i = this.budgets.indexOf(budget);
    if (i < 0) i = this.budgets.findIndex((b) => b.prefix === budget.prefix);
    if (i < 0) {
      i = this.budgets.push(budget) - 1;
      this.index.push(new Map());
    }
    return i;
  }

  private hit(budget: Budget, key: string, now: number): BudgetVerdict {
    const b = this.budgetIndex(budget);
    const index = this.index[b]!;
    const s = this.slots;
    let slot = index.get(key);
    if (slot !== undefined && s.resetAt[slot]! <= now && s.sending[slot] === 0) {
      // The window ended: the key starts over (its unsent hits belong to a window Redis has forgotten too).
      s.known[slot] = 0;
      s.pending[slot] = 0;
      s.resetAt[slot] = now + this.windowMs;
    }
    if (slot === undefined) {
      // Past maxKeys (a flood of distinct keys) new keys are let through uncounted rather than grow memory.
      if (s.live >= (this.opts.maxKeys ?? 1_000_000)) return PASS;
      slot = s.alloc(b, key, now + this.windowMs);
      index.set(key, slot);
    }
    s.pending[slot]!++;
    if (s.dirty[slot] === 0) {
      s.dirty[slot] = 1;
      this.dirty.push(slot);
    }
    const resetAt = s.resetAt[slot]!;
    const allowed = s.known[slot]! + s.sending[slot]! + s.pending[slot]! <= budget.limit;
    return allowed ? ALLOWED : { allowed, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
  }

  /** Sends the hits counted since the last sync (at most 2,000 keys per script call); one sync at a time. */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    if (this.dirty.length === 0) {
      this.sweep(Date.now());
      return Promise.resolve();
    }
    const run = (async () => {
      const s = this.slots;
      const slots = this.dirty;
      this.dirty = [];
      for (const slot of slots) s.dirty[slot] = 0;
      for (let i = 0; i < slots.length; i += 2000) {
        const chunk = slots.slice(i, i + 2000);
        const keys = chunk.map((slot) => this.budgets[s.budget[slot]!]!.prefix + s.keys[slot]!);
        const sent = chunk.map((slot) => {
          const n = s.pending[slot]!;
          s.sending[slot]! += n;
          s.pending[slot] = 0;
          return n;
        });
        try {
          const out = await this.redis.ocpSyncBudgets(chunk.length, ...keys, this.windowMs, ...sent);
          const now = Date.now();
          chunk.forEach((slot, k) => {
            s.sending[slot]! -= sent[k]!;
            s.known[slot] = Number(out[2 * k]);
            s.resetAt[slot] = now + Number(out[2 * k + 1]);
          });
        } catch (err) {
          // Kept for the next sync (this replica goes on counting alone meanwhile).
          chunk.forEach((slot, k) => {
            s.sending[slot]! -= sent[k]!;
            s.pending[slot]! += sent[k]!;
            if (s.dirty[slot] === 0) {
              s.dirty[slot] = 1;
              this.dirty.push(slot);
            }
          });
          // The chunks after this one were not sent either.
          for (const slot of slots.slice(i + 2000)) {
            if (s.dirty[slot] === 0) {
              s.dirty[slot] = 1;
              this.dirty.push(slot);
            }
          }
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

  /** Windows that ended (and were synced) are forgotten; a full pass at most every `sweepMs` (5 s). */
  private sweep(now: number): void {
    if (now - this.sweptAt < (this.opts.sweepMs ?? 5_000)) return;
    this.sweptAt = now;
    const s = this.slots;
    for (let slot = 0; slot < s.extent; slot++) {
      const resetAt = s.resetAt[slot]!;
      if (resetAt === 0 || resetAt > now || s.pending[slot] !== 0 || s.sending[slot] !== 0 || s.dirty[slot] !== 0) continue;
      this.index[s.budget[slot]!]!.delete(s.keys[slot]!);
      s.release(slot);
    }
  }

  /** Keys counted now (for tests and diagnostics). */
  get size(): number {
    return this.slots.live;
  }

  /** Stops the timer after a last sync. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    await this.sync();
  }
}
