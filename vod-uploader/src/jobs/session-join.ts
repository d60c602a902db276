// Queue contract of the session-join job: one per broadcast (StreamSession), on the vod-upload
// queue. Pure, like vod-upload.ts.
import { z } from 'zod';

export const SESSION_JOIN_JOB = 'join-session';

export const SessionJoinPayload = z.object({
  sessionId: z.uuid(),
  // As in VodUploadPayload: resumable session URIs by object name, so a re-run resumes them.
  uploadSessions: z.record(z.string(), z.string()).optional(),
});
export type SessionJoinPayload = z.infer<typeof SessionJoinPayload>;

/** One job per session: every piece of it enqueues the same id, so the join runs once. */
export function sessionJoinJobId(sessionId: string): string {
  return `vod-session-${sessionId}`;
}
