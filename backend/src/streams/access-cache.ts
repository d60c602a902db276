// Short-lived cache of the facts playback admission needs (visibility, status), so a burst of
// viewers costs one database read per stream, not one per viewer. Entries are dropped on every
// change notification from any replica; the TTL only bounds staleness if a notification is lost.
// When the database cannot be read, an expired entry is still used for a while (stale-if-error):
// viewers of a stream that was admitted a moment ago keep getting in during a short outage.
import type { PlaybackFacts } from '../ome/admission-rules.js';

interface Entry {
  facts: PlaybackFacts | null;
  expires: number;
}

export class AccessCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<PlaybackFacts | null>>();
  /** Bumped by invalidate(): a load that started before a change must not repopulate the cache. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly load: (streamId: string) => Promise<PlaybackFacts | null>,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 50_000,
    private readonly staleIfErrorMs = 5 * 60_000,
  ) {}

  async get(streamId: string, now = Date.now()): Promise<PlaybackFacts | null> {
    const hit = this.entries.get(streamId);
    if (hit && hit.expires > now) return hit.facts;
    // Coalesce concurrent misses: 5,000 viewers arriving at once make one query.
    let pending = this.inflight.get(streamId);
    if (!pending) {
      const generation = this.generations.get(streamId) ?? 0;
      pending = this.load(streamId).finally(() => this.inflight.delete(streamId));
      this.inflight.set(streamId, pending);
      pending.then(
        (facts) => {
          if ((this.generations.get(streamId) ?? 0) === generation) this.set(streamId, facts, Date.now());
        },
        () => undefined,
      );
    }
    if (!hit) return pending;
    return pending.catch((err: unknown) => {
      if (now - hit.expires < this.staleIfErrorMs) return hit.facts;
      throw err;
    });
  }

  invalidate(streamId: string): void {
    this.entries.delete(streamId);
    this.inflight.delete(streamId);
    this.generations.set(streamId, (this.generations.get(streamId) ?? 0) + 1);
    if (this.generations.size > this.maxEntries) this.generations.clear();
  }

  private set(streamId: string, facts: PlaybackFacts | null, now: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(streamId, { facts, expires: now + this.ttlMs });
  }
}
