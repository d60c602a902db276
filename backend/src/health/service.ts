// Applies OME Alert notifications to a stream's health alerts. Each notification is the stream's
// full current list of problems, so it replaces the open set: new codes are raised, codes it no
// longer lists are cleared. One transaction per notification, with the stream row locked (two
// notifications for one stream never interleave) and the `stream.health` webhook written in it
// (the outbox); the event is queued and the dashboards told after the commit.
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { StreamEventsHub } from '../streams/events.js';
import { queueEvent, recordEvent, type EmitDeps } from '../webhooks/emit.js';
import { adviceFor } from './advice.js';
import { currentProblems, diffAlerts, type OmeAlert } from './alert-payload.js';

export interface HealthAlertDto {
  id: string;
  code: string;
  severity: 'warning' | 'critical';
  title: string;
  fix: string;
  description: string;
  sessionId: string | null;
  raisedAt: string;
  clearedAt: string | null;
}

type Row = { id: string; code: string; description: string; sessionId: string | null; raisedAt: Date; clearedAt: Date | null };

export function toAlertDto(r: Row): HealthAlertDto {
  const a = adviceFor(r.code, r.description);
  return { id: r.id, code: r.code, severity: a.severity, title: a.title, fix: a.fix, description: r.description, sessionId: r.sessionId, raisedAt: r.raisedAt.toISOString(), clearedAt: r.clearedAt?.toISOString() ?? null };
}

export interface HealthDeps {
  db: Db;
  hub: StreamEventsHub;
  emitDeps: EmitDeps;
  logger: Logger;
}

export type Applied = { streamId: string; raised: string[]; cleared: string[] } | null;

export async function applyAlert(deps: HealthDeps, streamId: string, alert: OmeAlert): Promise<Applied> {
  const now = currentProblems(alert);
  const done = await deps.db.$transaction(async (tx) => {
    const [stream] = await tx.$queryRaw<{ id: string; ownerId: string }[]>`SELECT id, "ownerId" FROM "Stream" WHERE id = ${streamId}::uuid FOR UPDATE`;
    if (!stream) return null;
    const session = await tx.streamSession.findFirst({ where: { streamId, endedAt: null }, select: { id: true } });
    const open = await tx.streamHealthAlert.findMany({ where: { streamId, clearedAt: null } });
    const at = new Date();
    // Alerts left open by an earlier broadcast (OME says nothing when a stream goes away) end now.
    const stale = open.filter((o) => o.sessionId !== (session?.id ?? null));
    const current = open.filter((o) => !stale.includes(o));
    const { raise, clear } = diffAlerts(current.map((o) => o.code), now);
    const clearIds = [...stale, ...current.filter((o) => clear.includes(o.code))].map((o) => o.id);
    if (clearIds.length) await tx.streamHealthAlert.updateMany({ where: { id: { in: clearIds } }, data: { clearedAt: at } });
    if (raise.length) {
      await tx.streamHealthAlert.createMany({ data: raise.map(([code, description]) => ({ streamId, sessionId: session?.id ?? null, code, description: description.slice(0, 1000), raisedAt: at })) });
    }
    if (raise.length === 0 && clear.length === 0) return { stream, changed: false as const };
    const after = (await tx.streamHealthAlert.findMany({ where: { streamId, clearedAt: null }, orderBy: { raisedAt: 'asc' } })).map(toAlertDto);
    const eventId = await recordEvent(tx, {
      type: 'stream.health',
      ownerId: stream.ownerId,
      data: { streamId, sessionId: session?.id ?? null, alerts: after, raised: raise.map(([c]) => c), cleared: clear, at: at.toISOString() },
    });
    return { stream, changed: true as const, eventId, after, raised: raise.map(([c]) => c), cleared: clear };
  });
  if (!done) return null;
  if (!done.changed) return { streamId, raised: [], cleared: [] };
  if (done.eventId) {
    queueEvent(deps.emitDeps, done.eventId, 'stream.health').catch((err: unknown) => deps.logger.warn({ err, streamId }, 'could not queue stream.health; requeued later'));
  }
  void deps.hub.publish({ kind: 'health', streamId, ownerId: done.stream.ownerId, alerts: done.after });
  return { streamId, raised: done.raised, cleared: done.cleared };
}

/** Open alerts of the current broadcast, and the latest ones of any broadcast (newest first). */
export async function healthOf(db: Db, streamId: string): Promise<{ current: HealthAlertDto[]; history: HealthAlertDto[] }> {
  const session = await db.streamSession.findFirst({ where: { streamId, endedAt: null }, select: { id: true } });
  const [open, history] = await Promise.all([
    session ? db.streamHealthAlert.findMany({ where: { streamId, sessionId: session.id, clearedAt: null }, orderBy: { raisedAt: 'asc' } }) : Promise.resolve([]),
    db.streamHealthAlert.findMany({ where: { streamId }, orderBy: [{ raisedAt: 'desc' }, { id: 'asc' }], take: 50 }),
  ]);
  return { current: open.map(toAlertDto), history: history.map(toAlertDto) };
}
