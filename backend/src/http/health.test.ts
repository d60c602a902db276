import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

let backend: RunningBackend;
beforeAll(async () => void (backend = await startTestBackend()));
afterAll(() => backend.stop());

describe('operations endpoints', () => {
  it('reports liveness and readiness of PostgreSQL and Redis', async () => {
    expect(await (await fetch(`${backend.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const r = await fetch(`${backend.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });

  it('reports not ready when the database is unreachable', async () => {
    const broken = await startTestBackend({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    try {
      const r = await fetch(`${broken.url}/readyz`);
      expect(r.status).toBe(503);
      const body = (await r.json()) as { status: string; checks: { database: string; redis: string } };
      expect(body.status).toBe('unavailable');
      expect(body.checks.database).toMatch(/^down/);
      expect(body.checks.redis).toBe('ok');
    } finally {
      await broken.stop();
    }
  });

  it('exposes Prometheus metrics with latency histograms and the live gauge', async () => {
    await fetch(`${backend.url}/api/streams`);
    const text = await (await fetch(`${backend.url}/metrics`)).text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/streams",status_code="401"\} \d+/);
    expect(text).toMatch(/^live_streams \d+$/m);
    expect(text).toContain('ome_admission_duration_seconds');
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await (await fetch(`${backend.url}/api/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/auth/register', '/api/auth/login', '/api/auth/me', '/api/streams', '/api/streams/{id}', '/api/streams/{id}/ingest',
      '/api/streams/{id}/rotate-key', '/api/streams/{id}/playback', '/api/streams/{id}/events', '/api/ome/admission', '/api/webhooks', '/api/webhooks/{id}/deliveries']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    const create = doc.paths['/api/streams'].post;
    expect(create.requestBody.content['application/json'].schema.properties.visibility.enum).toEqual(['public', 'private']);
    expect(create.responses['201'].content['application/json'].schema.properties.ingest).toBeDefined();
    // A session, or an API key with the route's scope (auth/api-keys); account routes take sessions only.
    expect(create.security).toEqual([{ bearerAuth: [] }, { apiKey: ['streams:write'] }]);
    expect(doc.paths['/api/api-keys'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('answers unknown routes with the error shape and sets security headers', async () => {
    const r = await fetch(`${backend.url}/api/nope`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as any).error.code).toBe('not_found');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-powered-by')).toBeNull();
  });
});
