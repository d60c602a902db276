import { z } from 'zod';
import { text } from '../http/strings.js';

// The AdmissionWebhooks request as OME 0.20 sends it (docs/access-control/admission-webhooks.md and
// captured payloads). Unknown extra fields are tolerated so a newer OME does not break admission.
export const AdmissionRequest = z.looseObject({
  client: z.looseObject({
    address: text().min(1).max(64),
    port: z.number().int().min(0).max(65535),
    real_ip: text().max(64).optional(),
    user_agent: text().max(1024).optional(),
  }),
  request: z.looseObject({
    direction: z.enum(['incoming', 'outgoing']),
    protocol: text().min(1).max(32),
    status: z.enum(['opening', 'closing']),
    url: text().min(1).max(4096),
    new_url: text().max(4096).optional(),
    time: text().max(64).optional(),
  }),
});
export type AdmissionRequest = z.infer<typeof AdmissionRequest>;

export const AdmissionResponse = z.union([
  z.object({
    allowed: z.boolean(),
    reason: z.string().optional(),
    new_url: z.string().optional(),
    lifetime: z.number().int().optional().describe('milliseconds; omitted = no limit'),
  }),
  z.object({}).describe('Answer to a closing request'),
]);
