import { z } from 'zod';

export const SessionIdParams = z.object({ id: z.uuid({ error: 'Not a session id' }) });

export const RevokeAllBody = z
  .object({
    keepCurrent: z.boolean().default(false).meta({ description: 'true: end every other session and stay logged in here; false (default): log out everywhere, this device too' }),
  })
  .strict();

export const Session = z.object({
  id: z.uuid(),
  device: z.string().meta({ description: 'Browser and system read from the user agent ("Firefox on Linux")' }),
  userAgent: z.string(),
  ip: z.string().meta({ description: 'Client address at login (as TRUST_PROXY reads it)' }),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime().meta({ description: 'Last request, to the minute' }),
  expiresAt: z.iso.datetime(),
  current: z.boolean().meta({ description: 'The session making this request' }),
});
export type SessionDto = z.infer<typeof Session>;

export const SessionListResponse = z.object({ sessions: z.array(Session) });
export const RevokeAllResponse = z.object({ revoked: z.number().int().meta({ description: 'Sessions ended' }) });
