// Remembers the signatures of state-changing admission requests (publish openings and closings)
// for the freshness window, so the identical signed body is acted on once — across replicas
// through Redis (SET NX PX), and within this process through a small in-memory map.
//
// When Redis is not ready or slow, the check FAILS OPEN (the request is judged as usual), for these
// reasons: publish admission already needs PostgreSQL, and making it need Redis too would turn a
// brief Redis restart into refused encoders; the time window still holds (a captured body is
// useless after OME_ADMISSION_WINDOW_SECONDS); the in-process memory still refuses a replay sent to
// the same replica; and a replay needs a body captured on the OME → backend path in the first place.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

const REDIS_TIMEOUT_MS = 200;
const LOCAL_MAX = 50_000;

export type SeenResult = 'first' | 'replayed' | 'unchecked';

export class ReplayGuard {
  private readonly local = new Map<string, number>();
  private warnedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** 'first' the first time a signature is seen within the TTL, 'replayed' after that; 'unchecked' = Redis unavailable (fail open). */
  async firstSeen(signature: string, nowMs = Date.now()): Promise<SeenResult> {
    const until = this.local.get(signature);
    if (until !== undefined && until > nowMs) return 'replayed';
    this.remember(signature, nowMs);
    if (this.redis.status !== 'ready') return this.unchecked('redis not ready');
    let timer: NodeJS.Timeout | undefined;
    try {
      const set = await Promise.race([
        this.redis.set(`${this.keyPrefix}${signature}`, '1', 'PX', this.ttlMs, 'NX'),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), REDIS_TIMEOUT_MS))),
      ]);
      if (set === 'timeout') return this.unchecked('redis too slow');
      return set === 'OK' ? 'first' : 'replayed';
    } catch (err) {
      return this.unchecked((err as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(signature: string, nowMs: number): void {
    if (this.local.size >= LOCAL_MAX) {
      for (const [k, until] of this.local) if (until <= nowMs) this.local.delete(k);
      // Still full of live entries: drop the oldest (Map iterates in insertion order).
      for (const k of this.local.keys()) {
        if (this.local.size < LOCAL_MAX) break;
        this.local.delete(k);
      }
    }
    this.local.set(signature, nowMs + this.ttlMs);
  }

  private unchecked(why: string): SeenResult {
    const now = Date.now();
    if (now - this.warnedAt > 10_000) {
      this.warnedAt = now;
      this.logger.warn({ domain: 'admission', why }, 'replay check without Redis: only this process remembers signatures');
    }
    return 'unchecked';
  }
}
