import { z } from 'zod';

// The AdmissionWebhooks request as OME 0.20 sends it (docs/access-control/admission-webhooks.md and
// captured payloads). Unknown extra fields are tolerated so a newer OME does not break admission.
export const AdmissionRequest = z.looseObject({
  client: z.looseObject({
    address: z.string().min(1).max(64),
    port: z.number().int().min(0).max(65535),
    real_ip: z.string().max(64).optional(),
    user_agent: z.string().max(1024).optional(),
  }),
  request: z.looseObject({
    direction: z.enum(['incoming', 'outgoing']),
    protocol: z.string().min(1).max(32),
    status: z.enum(['opening', 'closing']),
    url: z.string().min(1).max(4096),
    new_url: z.string().max(4096).optional(),
    time: z.string().max(64).optional(),
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
