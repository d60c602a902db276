// One zod schema per request part; parsed values replace the raw ones so handlers get typed data.
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { badRequest, type ErrorDetail } from './errors.js';

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest('validation_error', `Invalid ${where}`, zodDetails(r.error));
  return r.data;
}

interface Schemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

export function validate(schemas: Schemas): RequestHandler {
  return (req, res, next) => {
    if (schemas.params) res.locals.params = parseOr400(schemas.params, req.params, 'path parameters');
    if (schemas.query) res.locals.query = parseOr400(schemas.query, req.query, 'query');
    if (schemas.body) {
      if (req.body === undefined) throw badRequest('validation_error', 'A JSON body is required', [{ path: '', message: 'Required' }]);
      res.locals.body = parseOr400(schemas.body, req.body, 'request body');
    }
    next();
  };
}
