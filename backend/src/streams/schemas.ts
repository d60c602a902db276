import { z } from 'zod';
import { PageQuery, SearchParam, pageResponse } from '../http/pagination.js';
import { text } from '../http/strings.js';
import { RECONNECT_WINDOW } from './state.js';

export const StreamIdParams = z.object({ id: text() });

const name = text({ error: 'Name is required' }).trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters');
const description = text({ multiline: true }).max(1000, 'Description must be at most 1000 characters');
const visibility = z.enum(['public', 'private'], { error: "Visibility must be 'public' or 'private'" });
const reconnectWindowSeconds = z
  .number({ error: 'reconnectWindowSeconds must be a whole number of seconds' })
  .int('reconnectWindowSeconds must be a whole number of seconds')
  .min(0, 'reconnectWindowSeconds must be 0 (off) or more')
  .max(RECONNECT_WINDOW.max, `reconnectWindowSeconds must be at most ${RECONNECT_WINDOW.max}`)
  .describe(`Seconds a dropped publisher may take to come back into the same broadcast (default ${RECONNECT_WINDOW.default}; 0 = a drop ends it)`);

export const CreateStreamBody = z.strictObject({
  name,
  description: description.optional(),
  visibility: visibility.optional(),
  record: z.boolean({ error: 'record must be true or false' }).optional(),
  reconnectWindowSeconds: reconnectWindowSeconds.optional(),
});

export const UpdateStreamBody = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    visibility: visibility.optional(),
    record: z.boolean({ error: 'record must be true or false' }).optional(),
    reconnectWindowSeconds: reconnectWindowSeconds.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to update' });

export const Stream = z.object({
  id: z.uuid(),
  ownerId: z.uuid(),
  name: z.string(),
  description: z.string(),
  visibility,
  record: z.boolean(),
  reconnectWindowSeconds: z.number().int(),
  status: z.enum(['idle', 'live', 'reconnecting', 'ended', 'disabled']),
  reconnectDeadline: z.iso.datetime().nullable().describe('While reconnecting: when the broadcast ends unless a publisher comes back'),
  lastStartedAt: z.iso.datetime().nullable(),
  lastEndedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const Ingest = z.object({
  rtmp: z.object({ server: z.string(), streamKey: z.string() }),
  srt: z.object({ url: z.string() }),
  whip: z.object({ url: z.string() }),
});

export const Playback = z.object({
  webrtc: z.string(),
  llhls: z.string(),
  token: z.string().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});

export const Session = z.object({
  id: z.uuid(),
  protocol: z.enum(['rtmp', 'srt', 'webrtc']),
  clientAddress: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  endReason: z.string().nullable(),
  reconnectCount: z.number().int().describe('Times a publisher came back inside the reconnect window'),
  gaps: z
    .array(z.object({ startedAt: z.iso.datetime(), endedAt: z.iso.datetime().nullable() }))
    .describe('Times without a publisher, oldest first; endedAt null: the publisher did not come back (the last one, or the current one while reconnecting)'),
  vod: z
    .object({ id: z.uuid(), status: z.enum(['pending', 'processing', 'ready', 'failed']) })
    .nullable()
    .describe("The broadcast's VOD (all of its pieces joined), null until the worker has made it or when recording was off"),
});

export const PublicStream = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  status: Stream.shape.status,
  reconnectDeadline: Stream.shape.reconnectDeadline,
  sessionId: z.uuid().nullable().describe('The broadcast on air (live or reconnecting), which viewer beacons name (POST /api/beacons/latency); null otherwise'),
});
export const PublicQuery = z.object({ token: text().max(2048).optional() });

export const StreamResponse = z.object({ stream: Stream });
export const CreateStreamResponse = z.object({ stream: Stream, ingest: Ingest });
export type StreamStatus = z.infer<typeof Stream.shape.status>;
export const StreamListQuery = PageQuery.extend({
  q: SearchParam,
  status: Stream.shape.status.optional().describe('Only streams in this status'),
});
export const SessionListQuery = PageQuery;
export const StreamListResponse = pageResponse('streams', Stream);
export const SessionListResponse = pageResponse('sessions', Session);
export const PublicStreamResponse = z.object({ stream: PublicStream });

type Row = {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  visibility: 'public' | 'private';
  record: boolean;
  reconnectWindowSeconds: number;
  status: 'idle' | 'live' | 'reconnecting' | 'ended' | 'disabled';
  reconnectDeadline: Date | null;
  lastStartedAt: Date | null;
  lastEndedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export function toStreamDto(s: Row): z.infer<typeof Stream> {
  return {
    id: s.id,
    ownerId: s.ownerId,
    name: s.name,
    description: s.description,
    visibility: s.visibility,
    record: s.record,
    reconnectWindowSeconds: s.reconnectWindowSeconds,
    status: s.status,
    reconnectDeadline: s.reconnectDeadline?.toISOString() ?? null,
    lastStartedAt: s.lastStartedAt?.toISOString() ?? null,
    lastEndedAt: s.lastEndedAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
