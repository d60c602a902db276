import { z } from 'zod';
import { API_SCOPES } from './scopes.js';
import { text } from '../../http/strings.js';

export const ApiScopeSchema = z.enum(API_SCOPES);

export const CreateApiKeyBody = z.strictObject({
  name: z
    .string({ error: 'Name is required' })
    .trim()
    .min(1, 'Name is required')
    .max(100, 'Name must be at most 100 characters')
    // PostgreSQL cannot store NUL in text, and a name is shown in the dashboard: no control characters.
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Name must not contain control characters'),
  scopes: z
    .array(ApiScopeSchema, { error: `Scopes must be a list of: ${API_SCOPES.join(', ')}` })
    .min(1, 'Choose at least one scope')
    .max(API_SCOPES.length * 2, 'Too many scopes'),
});

export const ApiKeyIdParams = z.object({ id: text() });

export const ApiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The start of the key (`ocp_` + 8 hex), not secret: tells keys apart. */
  prefix: z.string(),
  scopes: z.array(ApiScopeSchema),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable().describe('Last authenticated request, updated at most once a minute'),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKeyDto = z.infer<typeof ApiKey>;

export const CreateApiKeyResponse = z.object({
  apiKey: ApiKey,
  key: z.string().describe('The key itself (`ocp_…`), shown only now: only its hash is stored'),
});
export const ApiKeyListResponse = z.object({ apiKeys: z.array(ApiKey) });
