// Typed domain errors, mapped to `{error:{code,message,details?}}` in one place.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: ErrorDetail[]) => new AppError(400, code, message, details);
export const unauthorized = (message = 'Authentication required', code = 'unauthorized') => new AppError(401, code, message);
export const forbidden = (message = 'Not allowed') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);

/** The one error body shape: `{error:{code,message,details?}}`. */
export function errorBody(err: AppError): { error: { code: string; message: string; details?: ErrorDetail[] } } {
  return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
}

export function sendError(res: Parameters<RequestHandler>[1], err: AppError): void {
  res.status(err.status).json(errorBody(err));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, new AppError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

/** Body-parser and similar library errors carry an HTTP status and a `type`. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** A request-body error from body-parser or raw-body (a 4xx with a `type`) as an AppError; null for anything else. */
export function bodyReadError(err: unknown): AppError | null {
  const e = (err ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (e.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'Request body is too large');
  if (e.type === 'entity.parse.failed') return badRequest('invalid_json', 'Request body is not valid JSON');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new AppError(415, 'unsupported_encoding', 'Unsupported request body encoding');
  return new AppError(status, 'bad_request', 'Malformed request');
}

/** Connection-level database failures (server down, pool timeout) are an outage, not a bug. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.name === 'PrismaClientInitializationError') return true;
    if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'P1001', 'P1002', 'P1017', '57P01', '57P03'].includes(e.code)) return true;
    if (e.message && /ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|Can't reach database|connection (?:is )?closed/i.test(e.message)) return true;
  }
  return false;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (err instanceof AppError) return sendError(res, err);
    const bodyErr = bodyReadError(err);
    if (bodyErr) return sendError(res, bodyErr);
    if (isDatabaseUnavailable(err)) {
      res.setHeader('retry-after', '5');
      return sendError(res, new AppError(503, 'service_unavailable', 'The service is temporarily unavailable, try again shortly'));
    }
    const requestId = String(req.id ?? '');
    (req.log ?? logger).error({ err, requestId }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: `Internal error (request ${requestId})` } });
  };
}
