// OME's Alert notifications (docs/alert.md), pure: the body's shape, which stream it is about, and
// what changed against the alerts already open. OME sends the full current list of a source's
// problems whenever that list changes, and a single `OK` message once every problem is gone
// (monitoring/alert/notification_data.cpp), so each notification replaces the open set.
import { z } from 'zod';

const Message = z.object({ code: z.string().min(1).max(100).regex(/^[A-Z0-9_]+$/), description: z.string().max(1000).default('') });

export const OmeAlertBody = z.object({
  type: z.string().max(50),
  sourceUri: z.string().max(1000).optional(),
  messages: z.array(Message).max(50),
  sourceInfo: z.unknown().optional(),
});
export type OmeAlert = z.infer<typeof OmeAlertBody>;

/** `#<vhost>#<app>/<stream>` (OME's INGRESS source URI) → its parts; null for anything else. */
export function parseSourceUri(uri: string): { vhost: string; app: string; stream: string } | null {
  const m = /^#([^#/]+)#([^#/]+)\/([^#/]+)$/.exec(uri);
  return m ? { vhost: m[1]!, app: m[2]!, stream: m[3]! } : null;
}

/** The codes a notification says are wrong now (`OK` means none). */
export function currentProblems(alert: OmeAlert): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of alert.messages) if (m.code !== 'OK') out.set(m.code, m.description);
  return out;
}

/** What to raise and what to clear, given the open alerts' codes and the notification's problems. */
export function diffAlerts(open: readonly string[], now: ReadonlyMap<string, string>): { raise: [string, string][]; clear: string[] } {
  const openSet = new Set(open);
  return {
    raise: [...now].filter(([code]) => !openSet.has(code)),
    clear: open.filter((code) => !now.has(code)),
  };
}
