// The public beacon endpoints, served on plain node:http ahead of Express (as OME's admission
// endpoint is): every player posts one every 10 s, so a big audience is thousands a second, and
// Express's routing, request log, security headers and body parser would be most of their cost.
// What this path keeps: CORS for the dashboard's origins (the `cors` package, same options as
// the API), a bounded body, zod validation, the error shape and the request-duration metric.
//
//   POST /api/beacons/latency  {streamId, sessionId, viewerId, protocol, rendition?, latencyMs} → 204
//   POST /api/beacons/vod      {vodId, viewerId, token, watchedMs, positionMs}                → 204
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import cors from 'cors';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { clientIp, compileTrust } from '../http/client-ip.js';
import { AppError, badRequest, bodyReadError, errorBody, isDatabaseUnavailable } from '../http/errors.js';
import { ErrorResponse } from '../http/schemas.js';
import { parseOr400 } from '../http/validate.js';
import { BEACON_BODY_LIMIT } from './rules.js';
import { LatencyBeaconBody, VodBeaconBody } from './schemas.js';
import type { BeaconKind } from './service.js';

export const BEACON_PATHS: Record<BeaconKind, string> = { latency: '/api/beacons/latency', vod: '/api/beacons/vod' };

/** Which beacon endpoint a request is for (POST, or the browser's CORS preflight), else null. */
export function beaconKind(req: IncomingMessage): BeaconKind | null {
  if ((req.method !== 'POST' && req.method !== 'OPTIONS') || !req.url?.startsWith('/api/beacons/')) return null;
  const path = req.url.split('?')[0];
  return path === BEACON_PATHS.latency ? 'latency' : path === BEACON_PATHS.vod ? 'vod' : null;
}

const shared = {
  tag: 'public',
  security: 'none' as const,
  responses: {
    204: { description: 'Accepted (written with the next batch, within about a second)' },
    400: { description: 'Invalid JSON or body (`invalid_json`, `validation_error` with details)', schema: ErrorResponse },
    413: { description: 'Body over 2 kB', schema: ErrorResponse },
    415: { description: 'Not `application/json` (UTF-8), or a compressed body', schema: ErrorResponse },
    429: { description: '`rate_limited`: too many beacons from this address or this player (Retry-After)', schema: ErrorResponse },
  },
};

/** Documents the endpoints in the OpenAPI registry beside the Express routes. */
export function documentBeacons(api: ApiRouter): void {
  api.document({
    ...shared, method: 'post', path: BEACON_PATHS.latency, body: LatencyBeaconBody,
    summary: "A player's measured latency, every 10 s while it plays a live broadcast (no token: bound to the stream's broadcast on air)",
    responses: {
      ...shared.responses,
      404: { description: 'No such stream (or a private one whose broadcast on air is not `sessionId`)', schema: ErrorResponse },
      409: { description: '`session_not_live`: `sessionId` is not the broadcast on air now', schema: ErrorResponse },
    },
  });
  api.document({
    ...shared, method: 'post', path: BEACON_PATHS.vod, body: VodBeaconBody,
    summary: 'A VOD player was playing: the first beacon of a viewerId counts a view, each adds the time watched since the previous one (at most 15 s)',
    responses: {
      ...shared.responses,
      401: { description: '`invalid_token` (checked before the VOD is looked up: says nothing about whether it exists) or `token_expired`', schema: ErrorResponse },
      404: { description: 'The token is valid but the VOD is gone or not ready', schema: ErrorResponse },
    },
  });
}

const NO_CONTENT = { 'content-length': '0' };
const EMPTY: Record<string, string> = {};

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    // 204: headers only (the common answer, kept as small as it can be).
    res.writeHead(status, headers === EMPTY ? NO_CONTENT : { ...headers, ...NO_CONTENT });
    res.end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
  });
  res.end(json);
}

/** Reads off what is left of a refused body, so the answer is not lost and the socket can be reused. */
function drain(req: IncomingMessage): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    finished(req, () => resolve());
    req.resume();
  });
}

/** `application/json`, optionally with charset utf-8 (what fetch and sendBeacon with a JSON Blob send). */
function checkContentType(req: IncomingMessage): void {
  const given = req.headers['content-type'];
  // What players send, checked without taking the header apart.
  if ((given === 'application/json' || given === 'application/json; charset=utf-8') && req.headers['content-encoding'] === undefined) return;
  const encoding = req.headers['content-encoding']?.toLowerCase() ?? 'identity';
  if (encoding !== 'identity') throw new AppError(415, 'unsupported_encoding', 'Unsupported request body encoding');
  const [type = '', ...params] = (req.headers['content-type'] ?? '').toLowerCase().split(';').map((s) => s.trim());
  if (type !== 'application/json') throw new AppError(415, 'unsupported_media_type', 'Send the beacon as application/json');
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new AppError(415, 'unsupported_encoding', 'Unsupported request body encoding');
}

/**
 * The body, at most BEACON_BODY_LIMIT bytes (413 past it, before reading on when Content-Length
 * says so). Read by hand: raw-body's stream plumbing was a measurable share of a beacon's cost.
 */
function readBody(req: IncomingMessage): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > BEACON_BODY_LIMIT) return Promise.reject(new AppError(413, 'payload_too_large', 'Request body is too large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > BEACON_BODY_LIMIT) {
        cleanup();
        reject(new AppError(413, 'payload_too_large', 'Request body is too large'));
        return;
      }
      chunks.push(c);
    };
    const onEnd = () => {
      cleanup();
      if (declared !== undefined && Number(declared) !== size) return reject(new AppError(400, 'bad_request', 'Request body length does not match Content-Length'));
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(Object.assign(err, { status: 400 }));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

export function beaconEndpoint(ctx: AppContext): (kind: BeaconKind) => RequestListener {
  const trust = compileTrust(ctx.config.trustProxy);
  // Preflights go through the `cors` package (same options as the API); a POST only needs its
  // Access-Control-Allow-Origin, set here without it (cheaper, and beacons are all POSTs).
  const preflight = cors({ origin: ctx.config.corsOrigins, credentials: false, maxAge: 600, methods: ['POST'] });
  const origins = new Set(ctx.config.corsOrigins);
  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin) return EMPTY;
    return origins.has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
  };

  async function handle(kind: BeaconKind, req: IncomingMessage): Promise<void> {
    checkContentType(req);
    const raw = await readBody(req);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw badRequest('invalid_json', 'Request body is not valid JSON');
    }
    const a = ctx.analytics;
    if (kind === 'latency') {
      const body = parseOr400(LatencyBeaconBody, json, 'request body');
      a.budget(kind, clientIp(req, trust), body.viewerId);
      const pending = a.acceptLatency(body);
      if (pending) await pending;
    } else {
      const body = parseOr400(VodBeaconBody, json, 'request body');
      a.budget(kind, clientIp(req, trust), body.viewerId);
      await a.acceptVod(body);
    }
  }

  // The request-duration histogram's children, looked up once per (route, method, status).
  const timers = new Map<string, { observe(seconds: number): void }>();
  const observe = (kind: BeaconKind, method: string, status: number, t0: number) => {
    const id = `${kind} ${method} ${status}`;
    let child = timers.get(id);
    if (!child) timers.set(id, (child = ctx.metrics.httpDuration.labels(method, BEACON_PATHS[kind], String(status))));
    child.observe((performance.now() - t0) / 1000);
  };

  return (kind) => (req, res) => {
    const t0 = performance.now();
    if (req.method === 'OPTIONS') {
      res.once('finish', () => observe(kind, 'OPTIONS', res.statusCode, t0));
      // Answered by cors itself (204 with the Allow-* headers for the dashboard's origins).
      preflight(req as Parameters<typeof preflight>[0], res as Parameters<typeof preflight>[1], () => send(res, 204));
      return;
    }
    const headers = corsHeaders(req);
    handle(kind, req).then(
      () => {
        send(res, 204, undefined, headers);
        observe(kind, 'POST', 204, t0);
      },
      async (err: unknown) => {
        let known = err instanceof AppError ? err : bodyReadError(err);
        if (!known && isDatabaseUnavailable(err)) known = new AppError(503, 'service_unavailable', 'The service is temporarily unavailable, try again shortly');
        await drain(req);
        if (known) {
          // Refusals by the service (429, 401/404/409) are counted there; these are the malformed ones.
          if (known.status === 400 || known.status === 413 || known.status === 415) ctx.analytics.metrics.count(kind, 'invalid');
          const retry = (err as { retryAfterSeconds?: number }).retryAfterSeconds ?? (known.status === 503 ? 5 : undefined);
          send(res, known.status, errorBody(known), retry ? { ...headers, 'retry-after': String(retry) } : headers);
          return observe(kind, 'POST', known.status, t0);
        }
        ctx.logger.error({ err, domain: 'analytics', kind }, 'unhandled beacon error');
        send(res, 500, { error: { code: 'internal', message: 'Internal error' } }, headers);
        observe(kind, 'POST', 500, t0);
      },
    );
  };
}
