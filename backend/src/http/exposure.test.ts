// What the backend port shows to anyone who can reach it: no framework fingerprint on any route
// (bull-board is its own Express app), and /metrics behind METRICS_TOKEN when one is configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

const METRICS_TOKEN = 'metrics-token-for-tests-9d4c1f0b2a7e';
let open: RunningBackend;
let guarded: RunningBackend;
let admin: Client;

beforeAll(async () => {
  [open, guarded] = await Promise.all([startTestBackend(), startTestBackend({ METRICS_TOKEN })]);
  admin = new Client(open.url);
  const email = `admin-exposure-${Date.now()}@example.test`;
  const u = await admin.signUp(email);
  await open.ctx.db.user.update({ where: { id: u.id }, data: { role: 'admin' } });
  admin.token = (await admin.post('/api/auth/login', { email, password: 'correct horse battery' })).body.token;
});
afterAll(() => Promise.all([open?.stop(), guarded?.stop()]));

describe('no X-Powered-By on any Express app or sub-app', () => {
  it('bull-board pages, its API and its static files (served by its own Express app) do not name the framework', async () => {
    const auth = { authorization: `Bearer ${admin.token}` };
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/favicon-32x32.png', '/admin/queues/nope']) {
      const r = await fetch(`${open.url}${path}`, { headers: auth });
      expect(r.status, path).toBeLessThan(500);
      expect(r.headers.get('x-powered-by'), path).toBeNull();
    }
    expect((await fetch(`${open.url}/admin/queues`, { headers: auth })).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('is open when METRICS_TOKEN is unset (compose network only)', async () => {
    expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
  });

  it('needs Authorization: Bearer METRICS_TOKEN when it is set', async () => {
    const none = await fetch(`${guarded.url}/metrics`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    for (const value of [`Bearer ${METRICS_TOKEN.slice(0, -1)}`, `Bearer ${METRICS_TOKEN}x`, `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`, METRICS_TOKEN, 'Bearer ']) {
      const r = await fetch(`${guarded.url}/metrics`, { headers: { authorization: value } });
      expect(r.status, value).toBe(401);
      expect(await r.text()).not.toContain('http_request_duration_seconds');
    }
    const ok = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('http_request_duration_seconds');
  });

  it('leaves /healthz and /readyz to orchestrators (they reveal only up/down)', async () => {
    expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${guarded.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});
