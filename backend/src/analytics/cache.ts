// Short-lived cache of the facts a beacon is judged by (a stream's current broadcast, a VOD's status),
// so 5,000 beacons a second cost one database read per stream or VOD every few seconds, not 5,000.
// Concurrent misses share one load; a load that started before invalidate() does not fill the cache.
// An entry past its TTL is still answered while one background load refreshes it (stale while
// revalidate): beacons never queue behind the periodic re-read (at 5,000/s they did, for as long as
// the database took). A change notification drops the entry at once, so staleness after a status
// change is not what the TTL bounds; the TTL only bounds it if a notification is lost.

interface Entry<T> {
  value: T;
  loadedAt: number;
}

export class FactCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Promise<T>>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly load: (key: string) => Promise<T>,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  /** The cached value while it is within the TTL, without waiting for anything; undefined otherwise. */
  peek(key: string, now = Date.now()): T | undefined {
    const hit = this.entries.get(key);
    return hit && now - hit.loadedAt < this.ttlMs ? hit.value : undefined;
  }

  /** The cached value if it is younger than `maxAgeMs` (default: the TTL), else a fresh load. */
  async get(key: string, maxAgeMs = this.ttlMs, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && now - hit.loadedAt < Math.min(maxAgeMs, this.ttlMs)) return hit.value;
    const pending = this.refresh(key);
    // Past the TTL (but not asked for something fresher): the old value now, the new one for later.
    if (hit && maxAgeMs >= this.ttlMs && now - hit.loadedAt < 2 * this.ttlMs) {
      pending.catch(() => undefined);
      return hit.value;
    }
    return pending;
  }

  /** One load per key at a time; its result fills the cache unless invalidate() came meanwhile. */
  private refresh(key: string): Promise<T> {
    let pending = this.inflight.get(key);
    if (!pending) {
      const generation = this.generations.get(key) ?? 0;
      const startedAt = Date.now();
      pending = this.load(key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
      pending.then(
        (value) => {
          if ((this.generations.get(key) ?? 0) === generation) this.set(key, { value, loadedAt: startedAt });
        },
        () => undefined,
      );
    }
    return pending;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.inflight.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    if (this.generations.size > this.maxEntries) this.generations.clear();
  }

  private set(key: string, entry: Entry<T>): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
  }
}
