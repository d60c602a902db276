// OME's AdmissionWebhooks endpoint, served on plain node:http ahead of Express. OME calls it for
// every viewer and every publisher, server to server, with a socket thread blocked until it has
// the answer (3 s by default). The dashboard API's machinery (routing tables, request logging,
// browser security headers, CORS, JSON parsing) does nothing for it but cost CPU on the path where
// a big event puts thousands of calls a second; the big-event bench measures the difference.
import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import getRawBody from 'raw-body';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { AppError, badRequest, bodyReadError, errorBody } from '../http/errors.js';
import { ErrorResponse } from '../http/schemas.js';
import { parseOr400 } from '../http/validate.js';
import { AdmissionService, type AdmissionAnswer } from './admission.js';
import { AdmissionRequest, AdmissionResponse } from './schemas.js';
import { checkFreshness } from './replay.js';
import { ReplayGuard } from './replay-guard.js';
import { verifyOmeSignature } from './signature.js';
import { normalizeProtocol } from './urls.js';

export const ADMISSION_PATH = '/api/ome/admission';
/** OME's requests are a few hundred bytes; anything near this is not OME. */
export const ADMISSION_BODY_LIMIT = 16 * 1024;

/** OME posts to the exact URL it was configured with (a query string is tolerated). */
export function isAdmissionRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url?.startsWith(ADMISSION_PATH)) return false;
  return req.url.length === ADMISSION_PATH.length || req.url[ADMISSION_PATH.length] === '?';
}

/** Documents the endpoint in the OpenAPI registry beside the Express routes. */
export function documentAdmission(api: ApiRouter): void {
  api.document({
    method: 'post', path: ADMISSION_PATH, summary: 'OME AdmissionWebhooks endpoint (X-OME-Signature: base64url HMAC-SHA1 of the body)', tag: 'ome', security: 'ome',
    responses: {
      200: { description: '`{allowed, reason?, new_url?, lifetime?}` for opening, `{}` for closing', schema: AdmissionResponse },
      400: { description: 'Malformed request', schema: ErrorResponse },
      401: { description: 'Missing or wrong signature', schema: ErrorResponse },
      413: { description: 'Body too large', schema: ErrorResponse },
      415: { description: 'Compressed body (OME sends plain JSON)', schema: ErrorResponse },
    },
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
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

export function admissionEndpoint(ctx: AppContext): RequestListener {
  const admission = new AdmissionService(ctx);
  const windowMs = ctx.config.ome.admissionWindowSeconds * 1000;
  // Remembered for twice the window: a body is fresh from window before to window after its time.
  const replays = new ReplayGuard(ctx.redis, `${ctx.config.redisPrefix}:ome:seen:`, 2 * windowMs, ctx.logger);

  /**
   * Stale and replayed requests (see replay.ts). Openings out of the window are refused; publish
   * openings and closings (the requests that change state) are acted on once. A refused closing
   * gets `{}` like any closing and changes nothing; a viewer's closing has no effect to replay.
   */
  async function staleOrReplayed(body: AdmissionRequest, raw: Buffer): Promise<AdmissionAnswer | null> {
    const { request } = body;
    const closing = request.status === 'closing';
    if (closing && request.direction === 'outgoing') return null;
    const labels = { direction: request.direction, protocol: normalizeProtocol(request.protocol).slice(0, 16) };
    const now = Date.now();
    const fresh = checkFreshness(request.time, now, windowMs);
    if (!fresh.ok) {
      ctx.metrics.admissions.inc({ ...labels, result: 'stale' });
      ctx.logger.warn({ domain: 'admission', ...labels, status: request.status, time: request.time?.slice(0, 40), serverTime: new Date(now).toISOString(), reason: fresh.reason }, 'admission request refused: not fresh');
      return closing ? {} : { allowed: false, reason: fresh.reason };
    }
    if (request.direction !== 'incoming') return null;
    // The body's hash, not the header: the header has more than one accepted spelling (padding).
    const seen = await replays.firstSeen(createHash('sha256').update(raw).digest('base64url'), now);
    if (seen !== 'replayed') return null;
    ctx.metrics.admissions.inc({ ...labels, result: 'replayed' });
    ctx.logger.warn({ domain: 'admission', ...labels, status: request.status, client: body.client.address }, 'admission request refused: replayed');
    return closing ? {} : { allowed: false, reason: 'replayed request' };
  }

  async function decide(req: IncomingMessage): Promise<AdmissionAnswer> {
    // OME sends plain JSON; the signature covers the bytes as sent, so nothing is decoded for it.
    const encoding = req.headers['content-encoding']?.toLowerCase() ?? 'identity';
    if (encoding !== 'identity') throw new AppError(415, 'unsupported_encoding', 'Unsupported request body encoding');
    const body = await getRawBody(req, { limit: ADMISSION_BODY_LIMIT, length: req.headers['content-length'] });
    if (body.length === 0) throw badRequest('validation_error', 'Empty admission request');
    // Nothing is parsed before the signature is verified.
    if (!verifyOmeSignature(ctx.config.ome.webhookSecret, body, req.headers['x-ome-signature'] as string | undefined)) {
      ctx.metrics.admissions.inc({ direction: 'unknown', protocol: 'unknown', result: 'bad_signature' });
      throw new AppError(401, 'invalid_signature', 'Missing or invalid X-OME-Signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('invalid_json', 'Request body is not valid JSON');
    }
    const parsed = parseOr400(AdmissionRequest, json, 'admission request');
    return (await staleOrReplayed(parsed, body)) ?? admission.handle(parsed);
  }

  return (req, res) => {
    const end = ctx.metrics.httpDuration.startTimer();
    res.once('finish', () => end({ method: 'POST', route: ADMISSION_PATH, status_code: String(res.statusCode) }));
    decide(req).then(
      (answer) => send(res, 200, answer),
      async (err: unknown) => {
        const known = err instanceof AppError ? err : bodyReadError(err);
        await drain(req);
        if (known) return send(res, known.status, errorBody(known));
        ctx.logger.error({ err, domain: 'admission' }, 'unhandled admission error');
        send(res, 500, { error: { code: 'internal', message: 'Internal error' } });
      },
    );
  };
}
