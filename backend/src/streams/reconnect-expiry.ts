// Ends broadcasts whose reconnect window passed with no publisher back.
//
// Why a database deadline and not a BullMQ delayed job: the deadline is a column of the stream
// (Stream.reconnectDeadline), written in the same statement that opens the window, so it cannot be
// lost between a commit and an enqueue, survives a Redis data loss as well as a backend restart, and
// is what the dashboard counts down to. Every replica runs this sweep, but each tick first takes a
// transaction-scoped PostgreSQL advisory lock (pg_try_advisory_xact_lock): the replica that gets it
// is the leader for that tick, the others skip it, and a leader that dies mid-tick frees the lock
// with its connection (no lease to expire, no Redis involved). The lock only saves work: the
// transition itself is the conditional UPDATE in StreamLifecycle.expireDue (WHERE status =
// 'reconnecting' AND "reconnectDeadline" <= now()), so even two sweeps at once, or a sweep racing a
// late publish, end a stream once and send `stream.ended` once.
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { asTickLeader } from '../db/tick-leader.js';
import type { EndedByWindow, StreamLifecycle } from './lifecycle.js';

export interface ReconnectSweeper {
  /** One sweep now (tests, start-up); resolves with what it ended, [] when another replica leads. */
  sweep(): Promise<EndedByWindow[]>;
  stop(): Promise<void>;
}

export function startReconnectSweeper(deps: { db: Db; lifecycle: StreamLifecycle; logger: Logger }, intervalMs: number): ReconnectSweeper {
  let running: Promise<EndedByWindow[]> | null = null;
  let stopped = false;

  const tick = async (): Promise<EndedByWindow[]> => {
    // The expiry statement runs on the pool (its side effects must follow its own commit).
    const ended = await asTickLeader(deps.db, 'reconnectSweep', () => deps.lifecycle.expireDue(), { timeout: 30_000 });
    for (const e of ended ?? []) {
      deps.logger.info({ streamId: e.streamId, sessionId: e.sessionId, reconnects: e.reconnects }, 'reconnect window expired: broadcast ended');
    }
    return ended ?? [];
  };

  const sweep = () =>
    (running ??= tick()
      .catch((err: unknown) => {
        // Database away: the next tick tries again; the deadline is still in the row.
        deps.logger.warn({ err }, 'reconnect expiry sweep failed');
        return [] as EndedByWindow[];
      })
      .finally(() => (running = null)));

  void sweep();
  const timer = setInterval(() => {
    if (!stopped) void sweep();
  }, intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
