import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { auth, requireSession } from '../http/auth.js';
import { ErrorResponse } from '../http/schemas.js';
import { StreamIdParams } from '../streams/schemas.js';
import type { StreamService } from '../streams/service.js';
import { CreateOutputBody, OutputListResponse, OutputParams, OutputResponse, UpdateOutputBody } from './schemas.js';
import { OutputService } from './service.js';

const err = (description: string) => ({ description, schema: ErrorResponse });
const badUrl = 'Invalid input; `output_url_not_allowed`: the host is a loopback, private, link-local or other non-public address; `output_url_scheme` / `output_url_invalid` / `output_url_has_credentials`: not a usable rtmp(s)/srt destination';

export function outputRoutes(api: ApiRouter, ctx: AppContext, streams: StreamService): void {
  const outputs = new OutputService(ctx, streams);
  const session = requireSession(ctx);
  const tag = 'outputs';
  const std = { 401: err('No session'), 404: err('Not found') };
  const unconfigured = { 503: err('`outputs_not_configured`: the server has no OUTPUT_ENCRYPTION_KEYS') };

  api.route(
    { method: 'post', path: '/api/streams/:id/outputs', summary: 'Add a restream destination (pushed by OME while the stream is on air)', tag, security: 'session', scope: 'streams:write', params: StreamIdParams, body: CreateOutputBody,
      responses: { 201: { description: 'Created (the stream key is never returned: only its last 4 characters)', schema: OutputResponse }, 400: err(badUrl), ...std, 409: err('`output_limit`: the stream has the most outputs allowed'), ...unconfigured } },
    session,
    async (_req, res) => void res.status(201).json({ output: await outputs.create(auth(res), res.locals.params.id, res.locals.body) }),
  );
  api.route(
    { method: 'get', path: '/api/streams/:id/outputs', summary: 'A stream\'s restream destinations with their live state', tag, security: 'session', scope: 'streams:read', params: StreamIdParams,
      responses: { 200: { description: 'Outputs, oldest first', schema: OutputListResponse }, ...std } },
    session,
    async (_req, res) => void res.json(await outputs.list(auth(res), res.locals.params.id)),
  );
  api.route(
    { method: 'patch', path: '/api/streams/:id/outputs/:outputId', summary: 'Change a restream destination; enabled starts or stops its push at once while live', tag, security: 'session', scope: 'streams:write', params: OutputParams, body: UpdateOutputBody,
      responses: { 200: { description: 'Updated', schema: OutputResponse }, 400: err(badUrl), ...std, ...unconfigured } },
    session,
    async (_req, res) => void res.json({ output: await outputs.update(auth(res), res.locals.params.id, res.locals.params.outputId, res.locals.body) }),
  );
  api.route(
    { method: 'delete', path: '/api/streams/:id/outputs/:outputId', summary: 'Remove a restream destination (its push stops)', tag, security: 'session', scope: 'streams:write', params: OutputParams,
      responses: { 204: { description: 'Removed' }, ...std } },
    session,
    async (_req, res) => {
      await outputs.remove(auth(res), res.locals.params.id, res.locals.params.outputId);
      res.status(204).end();
    },
  );
}
