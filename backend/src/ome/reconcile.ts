// Repairs live state against OME's own list of streams, at start-up and then periodically. A
// publisher's closing webhook can be lost (backend down or restarting when OME sent it; OME does
// not retry), leaving a stream "live" forever. OME is the truth for what is on air, but only in one
// direction: a stream OME has that the database does not think is live means a missed opening, and
// publishing requires admission, so we log it and invent nothing. When OME cannot be asked, nothing
// changes (an empty answer from a broken OME must not end every broadcast).
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { StreamLifecycle } from '../streams/lifecycle.js';
import { isUuid } from '../streams/ids.js';
import type { KickJob } from '../streams/kick.js';

export const RECONCILE_REASON = 'reconciled';
/**
 * OME creates a stream just after admission allows it; a stream admitted within this window before
 * we asked OME may legitimately be missing from the answer, so it is left alone until the next run.
 */
export const RECONCILE_GRACE_MS = 5_000;

export interface LiveRow {
  id: string;
  lastStartedAt: Date | null;
}

export interface ReconcilePlan {
  /** Live in the database, absent from OME, and old enough to be sure. */
  end: string[];
  /** In OME (platform stream names only) but not live in the database. */
  notLive: string[];
}

/** Pure: what to change, from the database's live streams and OME's stream names. */
export function planReconcile(live: LiveRow[], omeNames: string[], startedBefore: Date): ReconcilePlan {
  const inOme = new Set(omeNames);
  const liveIds = new Set(live.map((s) => s.id));
  return {
    end: live.filter((s) => !inOme.has(s.id) && (s.lastStartedAt === null || s.lastStartedAt < startedBefore)).map((s) => s.id),
    notLive: omeNames.filter((n) => isUuid(n) && !liveIds.has(n)),
  };
}

export interface ReconcileDeps {
  db: Db;
  lifecycle: StreamLifecycle;
  /** When given: streams OME has whose stream is gone or disabled, or whose owner is disabled, are kicked. */
  broadcasts?: { kick(job: KickJob, idSuffix?: string): Promise<void> };
  ome: { listStreams(): Promise<string[]> };
  logger: Logger;
  graceMs?: number;
  now?: () => number;
}

export type ReconcileResult = { ok: true; ended: string[]; notLive: string[]; kicked?: string[] } | { ok: false; reason: string };

export async function reconcileWithOme(deps: ReconcileDeps): Promise<ReconcileResult> {
  const askedAt = deps.now?.() ?? Date.now();
  let names: string[];
  try {
    names = await deps.ome.listStreams();
  } catch (err) {
    const reason = (err as { reason?: string }).reason ?? (err as Error).message;
    deps.logger.warn({ reason }, 'OME stream list unavailable; live state left unchanged');
    return { ok: false, reason };
  }
  const live = await deps.db.stream.findMany({ where: { status: 'live' }, select: { id: true, lastStartedAt: true } });
  const startedBefore = new Date(askedAt - (deps.graceMs ?? RECONCILE_GRACE_MS));
  const plan = planReconcile(live, names, startedBefore);
  const ended: string[] = [];
  for (const streamId of plan.end) {
    // Conditional in the writer: a stream that ended or restarted meanwhile is left as it is.
    if (await deps.lifecycle.reconcileEnded({ streamId, reason: RECONCILE_REASON, startedBefore })) {
      ended.push(streamId);
      deps.logger.info({ streamId }, 'stream live in the database but not in OME: ended');
    }
  }
  const rows = plan.notLive.length
    ? await deps.db.stream.findMany({ where: { id: { in: plan.notLive } }, select: { id: true, status: true, owner: { select: { disabledAt: true } } } })
    : [];
  const notLive = rows.filter((s) => s.status !== 'live');
  for (const s of notLive) deps.logger.warn({ streamId: s.id, status: s.status }, 'OME has a stream the database does not think is live (missed opening?)');
  // A publisher with no right to be on air (a kick whose job was lost, e.g. Redis away at the time):
  // its stream was deleted or disabled, or its owner disabled. Admission refuses its reconnects.
  const kicked: string[] = [];
  if (deps.broadcasts) {
    const known = new Map(rows.map((r) => [r.id, r]));
    const minute = Math.floor(askedAt / 60_000);
    for (const id of plan.notLive) {
      const r = known.get(id);
      const reason = !r ? 'stream_deleted' : r.owner.disabledAt ? 'user_disabled' : r.status === 'disabled' ? 'disabled' : null;
      if (!reason) continue;
      await deps.broadcasts.kick({ streamId: id, sessionId: null, reason }, `-reconcile-${minute}`);
      kicked.push(id);
    }
  }
  return { ok: true, ended, notLive: notLive.map((s) => s.id), kicked };
}

export interface Reconciler {
  /** The start-up run (resolves, never rejects). */
  first: Promise<ReconcileResult>;
  stop(): Promise<void>;
}

/** Runs once now, then every `intervalMs` (0 = start-up only); runs never overlap. */
export function startReconciler(deps: ReconcileDeps, intervalMs: number): Reconciler {
  let running: Promise<ReconcileResult> | null = null;
  const run = () =>
    (running ??= reconcileWithOme(deps)
      .catch((err: unknown): ReconcileResult => {
        // Database away: the next run will try again.
        deps.logger.warn({ err }, 'reconcile with OME failed');
        return { ok: false, reason: (err as Error).message };
      })
      .finally(() => (running = null)));
  const first = run();
  const timer = intervalMs > 0 ? setInterval(() => void run(), intervalMs) : null;
  timer?.unref();
  return {
    first,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
