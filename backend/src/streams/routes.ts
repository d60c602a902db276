import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { ErrorResponse } from '../http/schemas.js';
import {
  CreateStreamBody, CreateStreamResponse, Ingest, Playback, PublicQuery, PublicStreamResponse, SessionListQuery, SessionListResponse,
  StreamIdParams, StreamListQuery, StreamListResponse, StreamResponse, UpdateStreamBody, toStreamDto,
} from './schemas.js';
import { StreamService } from './service.js';
import { openEventStream } from './sse.js';

const err = (description: string) => ({ description, schema: ErrorResponse });
const sse = { description: 'text/event-stream of `stream.status` events: `{streamId, status, at, reconnectDeadline}` (reconnectDeadline set only while reconnecting)', schema: z.string(), contentType: 'text/event-stream' };

export function streamRoutes(api: ApiRouter, ctx: AppContext): StreamService {
  const streams = new StreamService(ctx);
  const session = requireSession(ctx);
  const tag = 'streams';
  const owned = { params: StreamIdParams };
  const std = { 401: err('No session'), 404: err('Not found') };

  api.route(
    { method: 'post', path: '/api/streams', summary: 'Create a stream', tag, security: 'session', scope: 'streams:write', body: CreateStreamBody,
      responses: { 201: { description: 'Created, with OBS settings', schema: CreateStreamResponse }, 400: err('Invalid input'), 401: err('No session') } },
    session,
    async (_req, res) => void res.status(201).json(await streams.create(auth(res), res.locals.body)),
  );
  api.route(
    { method: 'get', path: '/api/streams', summary: 'Your streams (admins: all), newest first, one page at a time', tag, security: 'session', scope: 'streams:read', query: StreamListQuery,
      responses: { 200: { description: 'A page of streams', schema: StreamListResponse }, 400: err('Invalid query'), 401: err('No session') } },
    session,
    async (_req, res) => void res.json(await streams.list(auth(res), res.locals.query)),
  );
  api.route(
    { method: 'get', path: '/api/streams/:id', summary: 'A stream', tag, security: 'session', scope: 'streams:read', ...owned, responses: { 200: { description: 'Stream', schema: StreamResponse }, ...std } },
    session,
    async (_req, res) => {
      const s = await streams.owned(auth(res), res.locals.params.id);
      res.json({ stream: toStreamDto(s) });
    },
  );
  api.route(
    { method: 'patch', path: '/api/streams/:id', summary: 'Change a stream', tag, security: 'session', scope: 'streams:write', ...owned, body: UpdateStreamBody,
      responses: { 200: { description: 'Updated', schema: StreamResponse }, 400: err('Invalid input'), ...std } },
    session,
    async (_req, res) => void res.json({ stream: await streams.update(auth(res), res.locals.params.id, res.locals.body) }),
  );
  api.route(
    { method: 'delete', path: '/api/streams/:id', summary: 'Delete a stream', tag, security: 'session', scope: 'streams:write', ...owned, responses: { 204: { description: 'Deleted' }, ...std, 409: err('Stream is live') } },
    session,
    async (_req, res) => {
      await streams.remove(auth(res), res.locals.params.id);
      res.status(204).end();
    },
  );
  api.route(
    { method: 'get', path: '/api/streams/:id/ingest', summary: 'OBS settings: RTMP server + stream key, SRT and WHIP URLs', tag, security: 'session', scope: 'streams:write', ...owned, responses: { 200: { description: 'Ingest settings', schema: Ingest }, ...std } },
    session,
    async (_req, res) => void res.json(await streams.ingest(auth(res), res.locals.params.id)),
  );
  api.route(
    { method: 'post', path: '/api/streams/:id/rotate-key', summary: 'Issue a new stream key; the old one stops working and a live publisher using it is disconnected (session endReason key_rotated)', tag, security: 'session', scope: 'streams:write', ...owned, responses: { 200: { description: 'New ingest settings', schema: Ingest }, ...std } },
    session,
    async (_req, res) => void res.json(await streams.rotateKey(auth(res), res.locals.params.id)),
  );
  for (const action of ['disable', 'enable'] as const) {
    api.route(
      { method: 'post', path: `/api/streams/:id/${action}`, summary: action === 'disable' ? 'Refuse publishing and playback; a live publisher is disconnected (session endReason disabled)' : 'Allow publishing and playback again', tag, security: 'session', scope: 'streams:write', ...owned, responses: { 200: { description: 'Stream', schema: StreamResponse }, ...std } },
      session,
      async (_req, res) => void res.json({ stream: await streams.setDisabled(auth(res), res.locals.params.id, action === 'disable') }),
    );
  }
  api.route(
    { method: 'get', path: '/api/streams/:id/playback', summary: 'Player URLs (WebRTC, LL-HLS); private streams get a short-lived token', tag, security: 'session', scope: 'streams:read', ...owned, responses: { 200: { description: 'Playback', schema: Playback }, ...std } },
    session,
    async (_req, res) => void res.json(await streams.playback(auth(res), res.locals.params.id)),
  );
  api.route(
    { method: 'get', path: '/api/streams/:id/sessions', summary: 'Past and current broadcasts, newest first, one page at a time', tag, security: 'session', scope: 'streams:read', ...owned, query: SessionListQuery,
      responses: { 200: { description: 'A page of sessions', schema: SessionListResponse }, 400: err('Invalid query'), ...std } },
    session,
    async (_req, res) => void res.json(await streams.sessions(auth(res), res.locals.params.id, res.locals.query)),
  );
  api.route(
    { method: 'get', path: '/api/streams/:id/events', summary: 'Status changes of one stream (SSE)', tag, security: 'session', scope: 'streams:read', ...owned, responses: { 200: sse, ...std } },
    session,
    async (req, res) => {
      const s = await streams.owned(auth(res), res.locals.params.id);
      openEventStream(req, res, ctx.hub, [{ streamId: s.id, status: s.status, at: s.updatedAt.toISOString(), reconnectDeadline: s.reconnectDeadline?.toISOString() ?? null }], (e) => e.streamId === s.id, auth(res).userId, ctx.eventStreams);
    },
  );
  api.route(
    { method: 'get', path: '/api/events', summary: 'Status changes of all your streams (SSE)', tag, security: 'session', scope: 'streams:read', responses: { 200: sse, 401: err('No session') } },
    session,
    async (req, res) => {
      const a = auth(res);
      const all = await streams.statusSnapshot(a);
      openEventStream(req, res, ctx.hub, all.map((s) => ({ streamId: s.id, status: s.status, at: s.updatedAt.toISOString(), reconnectDeadline: s.reconnectDeadline?.toISOString() ?? null })), (e) => a.role === 'admin' || e.ownerId === a.userId, a.userId, ctx.eventStreams);
    },
  );

  // Viewers (no login).
  api.route(
    { method: 'get', path: '/api/public/streams/:id', summary: 'A public stream (or a private one with a playback token)', tag: 'public', security: 'none', ...owned, query: PublicQuery,
      responses: { 200: { description: 'Stream', schema: PublicStreamResponse }, 404: err('Not found') } },
    async (_req, res) => void res.json({ stream: (await streams.publicView(res.locals.params.id, res.locals.query.token)).stream }),
  );
  api.route(
    { method: 'get', path: '/api/public/streams/:id/playback', summary: 'Player URLs for viewers', tag: 'public', security: 'none', ...owned, query: PublicQuery,
      responses: { 200: { description: 'Playback', schema: Playback }, 404: err('Not found') } },
    async (_req, res) => void res.json((await streams.publicView(res.locals.params.id, res.locals.query.token)).playback),
  );
  return streams;
}
