import express from 'express';
import type { AppContext } from '../context.js';
import type { ApiRouter } from '../http/api-router.js';
import { AppError, badRequest } from '../http/errors.js';
import { ErrorResponse } from '../http/schemas.js';
import { parseOr400 } from '../http/validate.js';
import { AdmissionService } from './admission.js';
import { AdmissionRequest, AdmissionResponse } from './schemas.js';
import { verifyOmeSignature } from './signature.js';

export const ADMISSION_PATH = '/api/ome/admission';

export function omeRoutes(api: ApiRouter, ctx: AppContext): void {
  const admission = new AdmissionService(ctx);
  // The signature covers the exact bytes OME sent, so the body is read raw (any content type) and
  // parsed only after the signature is verified.
  const raw = express.raw({ type: () => true, limit: '16kb' });
  api.route(
    {
      method: 'post', path: ADMISSION_PATH, summary: 'OME AdmissionWebhooks endpoint (X-OME-Signature: base64url HMAC-SHA1 of the body)', tag: 'ome', security: 'ome',
      responses: {
        200: { description: '`{allowed, reason?, new_url?, lifetime?}` for opening, `{}` for closing', schema: AdmissionResponse },
        400: { description: 'Malformed request', schema: ErrorResponse },
        401: { description: 'Missing or wrong signature', schema: ErrorResponse },
        413: { description: 'Body too large', schema: ErrorResponse },
      },
    },
    raw,
    async (req, res) => {
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('validation_error', 'Empty admission request');
      if (!verifyOmeSignature(ctx.config.ome.webhookSecret, body, req.get('x-ome-signature'))) {
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
      res.json(await admission.handle(parsed));
    },
  );
}
