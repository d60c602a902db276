// One replica per tick for periodic work (reconnect expiry, restream supervision, health sampling):
// `work` runs while this replica holds a transaction-scoped PostgreSQL advisory lock. The others'
// try fails and they skip the tick; a leader that dies frees the lock with its connection (no lease,
// no Redis). The work runs its statements on the pool, not in the lock's transaction: their effects
// must not wait for it to end.
import type { Db } from './client.js';
import { LOCK_KEYS, type LockName } from './lock-keys.js';

/** `work`'s result, or null when another replica leads this tick. */
export async function asTickLeader<T>(db: Db, lock: LockName, work: () => Promise<T>, opts: { timeout: number; maxWait?: number }): Promise<T | null> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ leader: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEYS[lock]}::bigint) AS leader`;
    return row?.leader ? work() : null;
  }, opts);
}
