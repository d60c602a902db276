// Which StreamSession a recording belongs to. Pure.
export interface SessionCandidate {
  id: string;
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * The session covering the recording's start (started no later than start + slack, and still open
 * or ended no earlier than start - slack); otherwise the latest session that started before it.
 * OME starts recording a few milliseconds after admission, so the slack absorbs clock skew.
 */
export function matchSession(candidates: SessionCandidate[], recordingStart: Date | null, slackMs: number): string | null {
  if (candidates.length === 0) return null;
  const byStartDesc = [...candidates].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  if (recordingStart === null) return byStartDesc[0]!.id;
  const t = recordingStart.getTime();
  const started = byStartDesc.filter((s) => s.startedAt.getTime() <= t + slackMs);
  const covering = started.find((s) => s.endedAt === null || s.endedAt.getTime() >= t - slackMs);
  return (covering ?? started[0])?.id ?? null;
}

/**
 * Only a session whose time covers the recording's start (started by start + slack, open or ended
 * no earlier than start - slack): the recording is a piece of that broadcast. Null otherwise, or
 * when the recording's start is unknown.
 */
export function matchSessionCovering(candidates: SessionCandidate[], recordingStart: Date | null, slackMs: number): string | null {
  if (recordingStart === null) return null;
  const t = recordingStart.getTime();
  const byStartDesc = [...candidates].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  return byStartDesc.find((s) => s.startedAt.getTime() <= t + slackMs && (s.endedAt === null || s.endedAt.getTime() >= t - slackMs))?.id ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

export function vodTitle(streamName: string, start: Date | null): string {
  if (!start) return streamName;
  return `${streamName} — ${start.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
