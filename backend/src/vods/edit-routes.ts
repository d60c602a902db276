import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { ErrorResponse } from '../http/schemas.js';
import { VodEdits } from './edits.js';
import { ClipResponse, CreateClipBody, DownloadPreparing, DownloadReady, VodIdParams } from './schemas.js';
import type { VodService } from './service.js';

const err = (description: string) => ({ description, schema: ErrorResponse });

export function vodEditRoutes(api: ApiRouter, ctx: AppContext, vods: VodService): VodEdits {
  const edits = new VodEdits(ctx, vods);
  const session = requireSession(ctx);
  const tag = 'vods';

  api.route(
    { method: 'post', path: '/api/vods/:id/clips', summary: 'Cut a clip from a ready VOD (a new VOD, keyframe to keyframe, no re-encoding)', tag, security: 'session', scope: 'vods:write',
      params: VodIdParams, body: CreateClipBody,
      responses: {
        202: { description: 'The clip, processing; it turns ready (or failed, with its error) once the worker has cut it', schema: ClipResponse },
        400: err('`validation_error`, or `invalid_range`: not 0 ≤ startMs < endMs ≤ duration, or shorter/longer than the limits'),
        401: err('No session'), 404: err('Not found'), 409: err('`vod_not_ready`: the VOD is not ready'),
      } },
    session,
    async (_req, res) => void res.status(202).json(await edits.createClip(auth(res), res.locals.params.id, res.locals.body)),
  );
  api.route(
    { method: 'post', path: '/api/vods/:id/download', summary: 'A signed, short-lived MP4 download of a VOD (built on first request)', tag, security: 'session', scope: 'vods:read',
      params: VodIdParams,
      responses: {
        200: { description: 'The MP4 is there: a signed URL that downloads it as an attachment', schema: DownloadReady },
        202: { description: 'The worker is building the MP4; ask again (GET /api/vods/:id shows download.status)', schema: DownloadPreparing },
        401: err('No session'), 404: err('Not found'), 409: err('`vod_not_ready`: the VOD is not ready'), 503: err('Storage not configured'),
      } },
    session,
    async (_req, res) => {
      const r = await edits.download(auth(res), res.locals.params.id);
      // The answer holds a bearer URL: not for any cache.
      res.set('cache-control', 'no-store');
      if ('ready' in r) res.json(r.ready);
      else res.status(202).json({ status: 'preparing' });
    },
  );
  return edits;
}
