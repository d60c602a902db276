// Keeps OME's pushes in line with the restream outputs (the one writer of StreamOutput.state/pushId).
//
// Every tick: the outputs that matter (enabled outputs of streams on air — live or reconnecting —
// and any output with a push or a running state) and OME's push list (`:pushes`) go through the pure
// planTick (rules.ts), and its actions are applied: start a push (new id `ocp-<output>-<n>`, written
// before OME is asked, so a crash in between leaves at worst an orphan), record the state OME
// reports, stop and retry later a push OME reports in error (backoff), stop the pushes of streams
// that ended (after their reconnect window: `reconnecting` keeps them) or of disabled outputs, and
// stop pushes with our prefix that no output owns (deleted output, superseded id, crash). A start
// up tick with nothing in the database still asks OME, so pushes left by a crash are found.
//
// One replica at a time: each tick takes a transaction-scoped PostgreSQL advisory lock (as the
// reconnect-expiry sweep does); the others skip that tick. Ticks run every OUTPUT_POLL_INTERVAL_MS
// and at once on a trigger (a stream status change from any replica, an output added, changed or
// removed); a triggered tick that finds the lock taken tries again shortly, so the change is seen
// by a tick that started after it. OME away: nothing changes (pushes are left as they are).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { asTickLeader } from '../db/tick-leader.js';
import type { OmePushClient } from '../ome/push-client.js';
import { OmePushRefused } from '../ome/push-client.js';
import type { Outbox } from '../streams/lifecycle.js';
import { sessionEventId } from '../streams/lifecycle.js';
import { open, type KeyRing } from './crypto.js';
import { urlHost } from '../net/address-policy.js';
import { destinationAddressProblem, type AddressPolicy } from './destination-policy.js';
import { PUSH_ID_PREFIX, RENDITIONS, planTick, pushIdFor, pushTarget, retryDelayMs, stateFromOme, type Action, type OutputRow, type OutputState, type Rendition } from './rules.js';

/** Most outputs one tick looks at, and OME calls in flight at once. */
const TICK_BATCH = 500;
const CONCURRENCY = 4;
/** Even with nothing on air, OME's list is checked this often for pushes no output owns (e.g. a stream deleted while OME was away). */
export const ORPHAN_SWEEP_MS = 60_000;

export const OUTPUT_ERRORS = {
  blockedAddress: 'blocked_address',
  unresolvable: 'unresolvable_host',
  keyUnavailable: 'key_unavailable',
  omeRefused: 'ome_refused',
  omeUnreachable: 'ome_unreachable',
  pushError: 'push_error',
} as const;

export interface SupervisorDeps {
  db: Db;
  ome: Pick<OmePushClient, 'startPush' | 'stopPush' | 'pushes'>;
  /** output.active / output.failed are recorded in the transaction of the state change they report. */
  outbox: Outbox;
  logger: Logger;
  keyRing: KeyRing | null;
  policy: AddressPolicy;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Addresses a destination host name resolves to (default: the system resolver). */
  resolveHost?: (host: string) => Promise<string[]>;
  now?: () => Date;
}

export interface TickResult {
  leader: boolean;
  actions: Action['kind'][];
  omeAvailable: boolean;
}

export interface OutputSupervisor {
  /** One tick now (tests); resolves once it ran (or was skipped by another replica's lock). */
  tick(): Promise<TickResult>;
  /** Ask for a tick soon (status change, output changed); never throws. */
  trigger(): void;
  stop(): Promise<void>;
}

type Row = Awaited<ReturnType<typeof loadRows>>[number];

function loadRows(db: Db) {
  return db.streamOutput.findMany({
    where: {
      OR: [
        { enabled: true, stream: { status: { in: ['live', 'reconnecting'] } } },
        { pushId: { not: null } },
        { state: { in: ['starting', 'active', 'error'] } },
      ],
    },
    include: { stream: { select: { status: true, ownerId: true } } },
    orderBy: { createdAt: 'asc' },
    take: TICK_BATCH,
  });
}

const defaultResolve = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

async function inBatches<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(fn));
}

export function createOutputSupervisor(deps: SupervisorDeps) {
  const log = deps.logger;
  const now = () => deps.now?.() ?? new Date();
  const resolve = deps.resolveHost ?? defaultResolve;
  let sweepOrphans = true;
  let lastListed = 0;

  type OutputEvent = { type: 'output.active' | 'output.failed'; key: string; data: Record<string, unknown> };
  type WriteData = Parameters<Db['streamOutput']['updateMany']>[0]['data'];

  /**
   * Conditional on the push id the tick saw (an output changed meanwhile is left to the next tick);
   * with `event`, the webhook is recorded in the same transaction and queued after its commit.
   */
  const write = async (o: Row, expectedPushId: string | null, data: WriteData, event?: OutputEvent): Promise<boolean> => {
    if (!event) return (await deps.db.streamOutput.updateMany({ where: { id: o.id, pushId: expectedPushId }, data })).count > 0;
    const full = { type: event.type, ownerId: o.stream.ownerId, eventId: sessionEventId(event.type, event.key), data: { outputId: o.id, streamId: o.streamId, name: o.name, ...event.data } };
    const recorded = await deps.db.$transaction(async (tx) => {
      if ((await tx.streamOutput.updateMany({ where: { id: o.id, pushId: expectedPushId }, data })).count === 0) return false;
      return { eventId: await deps.outbox.record(tx, full) };
    });
    if (!recorded) return false;
    if (recorded.eventId) {
      deps.outbox.queue(recorded.eventId, event.type).catch((err: unknown) => log.warn({ err: { message: (err as Error).message }, outputId: o.id, type: event.type }, 'could not queue outgoing webhook; requeued later'));
    }
    return true;
  };

  const failed = async (o: Row, expectedPushId: string | null, code: string, reason: string, eventKey: string) => {
    const attempt = o.attempts + 1;
    const delay = retryDelayMs(attempt, deps.retryBaseMs, deps.retryMaxMs);
    const retryAt = new Date(now().getTime() + delay);
    // One output.failed per run of failures (the first); output.active follows when a retry works.
    const event: OutputEvent | undefined = o.state !== 'error' ? { type: 'output.failed', key: eventKey, data: { state: 'error', code, reason, attempt, retryAt: retryAt.toISOString() } } : undefined;
    const ok = await write(o, expectedPushId, {
      state: 'error', lastError: reason, pushId: null, attempts: attempt, nextAttemptAt: retryAt,
      ...(o.state !== 'error' ? { stateChangedAt: now() } : {}),
    }, event);
    if (!ok) return;
    log.warn({ outputId: o.id, streamId: o.streamId, code, attempt, retryInMs: delay }, 'restream push failed; retrying later');
  };

  const start = async (o: Row) => {
    let streamKey: string;
    try {
      if (!deps.keyRing) throw new Error('no key ring');
      streamKey = open(deps.keyRing, o.id, { kid: o.streamKeyKid, ciphertext: o.streamKeyCipher });
    } catch {
      return failed(o, o.pushId, OUTPUT_ERRORS.keyUnavailable, `The stream key cannot be decrypted (key "${o.streamKeyKid}" is not in OUTPUT_ENCRYPTION_KEYS)`, `${o.id}-${o.pushSeq}-key`);
    }
    // OME resolves the destination itself; refuse a name that resolves into a blocked range now.
    // (A DNS answer that changes between this check and OME's connect is not caught: docs/reliability.md.)
    const host = urlHost(o.url) ?? '';
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return failed(o, o.pushId, OUTPUT_ERRORS.unresolvable, `The destination host ${host} does not resolve`, `${o.id}-${o.pushSeq}-dns`);
    const blocked = addresses.map((a) => destinationAddressProblem(a, deps.policy)).find((p) => p !== null);
    if (blocked) return failed(o, o.pushId, OUTPUT_ERRORS.blockedAddress, `blocked_address: ${host} resolves to a ${blocked} address, which outputs may not reach`, `${o.id}-${o.pushSeq}-blocked`);

    const seq = o.pushSeq + 1;
    const pushId = pushIdFor(o.id, seq);
    if (!(await write(o, o.pushId, { pushId, pushSeq: seq, state: 'starting', ...(o.state !== 'starting' ? { stateChangedAt: now() } : {}) }))) return;
    const target = pushTarget(o.protocol, o.url, streamKey);
    try {
      const push = await deps.ome.startPush({ id: pushId, streamName: o.streamId, variantNames: RENDITIONS[o.rendition as Rendition] ?? RENDITIONS.source, ...target });
      log.info({ outputId: o.id, streamId: o.streamId, pushId, omeState: push.state }, 'restream push started');
      const s = stateFromOme(push.state);
      if (s === 'active') await observe({ ...o, state: 'starting' }, pushId, s);
    } catch (err) {
      const scrub = (m: string) => (streamKey ? m.split(streamKey).join('[redacted]') : m);
      if (err instanceof OmePushRefused) {
        await failed({ ...o, pushSeq: seq }, pushId, OUTPUT_ERRORS.omeRefused, scrub(`OME refused the push (${err.httpStatus}): ${err.omeMessage}`), pushId);
      } else {
        await failed({ ...o, pushSeq: seq }, pushId, OUTPUT_ERRORS.omeUnreachable, 'OME could not be asked to start the push', pushId);
      }
    }
  };

  const observe = async (o: Row, pushId: string, state: OutputState) => {
    const active = state === 'active';
    const becameActive = active && o.state !== 'active';
    const ok = await write(o, pushId, { state, stateChangedAt: now(), ...(active ? { attempts: 0, nextAttemptAt: null, lastError: null } : {}) },
      becameActive ? { type: 'output.active', key: pushId, data: { state: 'active', pushId } } : undefined);
    if (ok && becameActive) log.info({ outputId: o.id, streamId: o.streamId, pushId }, 'restream output active');
  };

  const stopPush = async (pushId: string): Promise<boolean> => {
    try {
      await deps.ome.stopPush(pushId);
      return true;
    } catch (err) {
      log.warn({ pushId, reason: (err as { reason?: string }).reason }, 'could not stop a restream push; trying again next tick');
      return false;
    }
  };

  const apply = async (a: Action, byId: Map<string, Row>) => {
    if (a.kind === 'stop_orphan') {
      if (await stopPush(a.pushId)) log.info({ pushId: a.pushId }, 'stopped a restream push no output owns');
      return;
    }
    const o = byId.get(a.outputId)!;
    switch (a.kind) {
      case 'start':
        return start(o);
      case 'observe':
        return observe(o, a.pushId, a.state);
      case 'fail':
        // Stopped now, started again after the backoff (with a new id): OME alone would retry every second.
        await stopPush(a.pushId);
        return failed(o, a.pushId, OUTPUT_ERRORS.pushError, a.reason, a.pushId);
      case 'stop': {
        if (a.pushId && !(await stopPush(a.pushId))) return;
        if (await write(o, o.pushId, { state: 'stopped', pushId: null, attempts: 0, nextAttemptAt: null, stateChangedAt: now() })) {
          log.info({ outputId: o.id, streamId: o.streamId, pushId: a.pushId }, 'restream push stopped');
        }
      }
    }
  };

  const runTick = async (): Promise<Omit<TickResult, 'leader'>> => {
    const rows = await loadRows(deps.db);
    if (Date.now() - lastListed > ORPHAN_SWEEP_MS) sweepOrphans = true;
    if (rows.length === 0 && !sweepOrphans) return { actions: [], omeAvailable: true };
    lastListed = Date.now();
    let ome: Map<string, import('../ome/push-client.js').OmePushState>;
    try {
      ome = new Map((await deps.ome.pushes()).filter((p) => p.id.startsWith(PUSH_ID_PREFIX)).map((p) => [p.id, p.state]));
    } catch (err) {
      // Only the start-up orphan sweep (nothing on air): not worth a warning every tick.
      log[rows.length ? 'warn' : 'debug']({ reason: (err as { reason?: string }).reason }, 'OME push list unavailable; restream outputs left as they are');
      return { actions: [], omeAvailable: false };
    }
    sweepOrphans = false;
    const plan: OutputRow[] = rows.map((r) => ({
      id: r.id, enabled: r.enabled, onAir: r.stream.status === 'live' || r.stream.status === 'reconnecting',
      state: r.state, pushId: r.pushId, nextAttemptAt: r.nextAttemptAt,
    }));
    const actions = planTick(plan, ome, now());
    const byId = new Map(rows.map((r) => [r.id, r]));
    await inBatches(actions, CONCURRENCY, (a) => apply(a, byId).catch((err: unknown) => log.warn({ err: { message: (err as Error).message }, action: a.kind }, 'restream action failed')));
    return { actions: actions.map((a) => a.kind), omeAvailable: true };
  };

  const tick = async (): Promise<TickResult> => {
    const r = await asTickLeader(deps.db, 'outputSupervisor', runTick, { timeout: 60_000, maxWait: 10_000 });
    return r ? { leader: true, ...r } : { leader: false, actions: [], omeAvailable: true };
  };

  return { tick, sweepOrphansNext: () => void (sweepOrphans = true) };
}

export function startOutputSupervisor(deps: SupervisorDeps, intervalMs: number): OutputSupervisor {
  const s = createOutputSupervisor(deps);
  let running: Promise<TickResult> | null = null;
  let again = false;
  let stopped = false;
  let retries = 0;
  let retryTimer: NodeJS.Timeout | null = null;

  const run = (triggered: boolean): Promise<TickResult> => {
    if (running) {
      if (triggered) again = true;
      return running;
    }
    running = s
      .tick()
      .catch((err: unknown): TickResult => {
        deps.logger.warn({ err: { message: (err as Error).message } }, 'restream output tick failed');
        return { leader: false, actions: [], omeAvailable: false };
      })
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          // A trigger arrived during this tick, which may have read the database before the change:
          // run again, with the retry a trigger gets when another replica holds the lock.
          again = false;
          void run(true);
        }
      });
    void running.then((r) => {
      // Another replica held the lock: its tick may have read the database before the change.
      if (triggered && !r.leader && !stopped && retries < 20) {
        retries++;
        retryTimer = setTimeout(() => void run(true), 200);
        retryTimer.unref();
      } else if (r.leader) retries = 0;
    });
    return running;
  };

  void run(false);
  const timer = setInterval(() => {
    if (!stopped) void run(false);
  }, intervalMs);
  timer.unref();
  return {
    // A tick that starts after this call (one already running may have read the database before).
    tick: async () => {
      while (running) await running.catch(() => undefined);
      return run(false);
    },
    trigger() {
      if (stopped) return;
      s.sweepOrphansNext();
      void run(true);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (retryTimer) clearTimeout(retryTimer);
      await running;
    },
  };
}
