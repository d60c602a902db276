// The contract check: the dashboard's committed API types are exactly what the backend's current
// OpenAPI document produces, and that document is the one the running server serves.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend } from '../../test/helpers.js';
import { apiDocument } from '../http/api-document.js';
import type { RunningBackend } from '../server.js';
import { API_TYPES_FILE, renderApiTypes } from './api-types.js';

let backend: RunningBackend;
beforeAll(async () => void (backend = await startTestBackend()));
afterAll(() => backend?.stop());

describe('API contract (frontend/src/api/openapi.gen.ts)', () => {
  it('is up to date with the backend schemas (else run `npm run generate:api-types`)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    const current = await renderApiTypes();
    // A plain equality would print two 2,000-line strings; name the first differing line instead.
    const a = committed.split('\n');
    const b = current.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    const where = at === -1 && a.length === b.length ? null : `line ${at === -1 ? Math.min(a.length, b.length) + 1 : at + 1}: committed ${JSON.stringify(a[at])} vs generated ${JSON.stringify(b[at])}`;
    expect(where, 'frontend/src/api/openapi.gen.ts is stale: run `npm run generate:api-types` and commit it').toBeNull();
  });

  it('is generated from the document the server serves at /api/openapi.json', async () => {
    const served = await (await fetch(`${backend.url}/api/openapi.json`)).json();
    expect(served).toEqual(JSON.parse(JSON.stringify(apiDocument())));
  });

  it('changes when a response schema changes, and renders the same bytes every time', async () => {
    const doc = JSON.parse(JSON.stringify(apiDocument()));
    const base = await renderApiTypes(doc);
    expect(await renderApiTypes(doc)).toBe(base);
    delete doc.components.schemas.Stream.properties.name;
    doc.components.schemas.Stream.required = doc.components.schemas.Stream.required.filter((k: string) => k !== 'name');
    expect(await renderApiTypes(doc)).not.toBe(base);
  });
});
