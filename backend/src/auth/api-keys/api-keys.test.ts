// API keys over real HTTP, PostgreSQL and Redis: created and shown once, stored hashed, scoped per
// route, last use recorded (throttled), revocable at once, and never a way into account management.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LogCapture, startTestBackend } from '../../../test/helpers.js';
import type { RunningBackend } from '../../server.js';
import { hashApiKey } from './key-format.js';
import { API_SCOPES } from './scopes.js';
import { ApiKeyService, LAST_USED_INTERVAL_MS, MAX_ACTIVE_KEYS } from './service.js';

let backend: RunningBackend;
beforeAll(async () => void (backend = await startTestBackend()));
afterAll(() => backend.stop());

/** A client that sends `key` as its bearer credential. */
const withKey = (key: string) => Object.assign(new Client(backend.url), { token: key });

async function newKey(owner: Client, scopes: string[], name = 'ci') {
  const r = await owner.post('/api/api-keys', { name, scopes });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { apiKey: { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }; key: string };
}

describe('API keys', () => {
  it('are shown once, stored only as a SHA-256 hash, and listed without their secret', async () => {
    const owner = new Client(backend.url);
    await owner.signUp();
    const { apiKey, key } = await newKey(owner, ['streams:write', 'streams:read', 'streams:read'], 'encoder farm');
    expect(key).toMatch(/^ocp_[0-9a-f]{32}_[0-9a-f]{48}$/);
    expect(apiKey).toEqual({ id: expect.any(String), name: 'encoder farm', prefix: key.slice(0, 12), scopes: ['streams:read', 'streams:write'], createdAt: expect.any(String), lastUsedAt: null, revokedAt: null });
    const row = await backend.ctx.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(-48));
    const list = await owner.get('/api/api-keys');
    expect(list.status).toBe(200);
    expect(list.body.apiKeys).toEqual([apiKey]);
    expect(JSON.stringify(list.body)).not.toContain(key.slice(-48));
  });

  it('work as Authorization: Bearer within their scopes, and name the missing scope otherwise', async () => {
    const owner = new Client(backend.url);
    await owner.signUp();
    const { stream } = await owner.createStream({ name: 'keyed' });
    const reader = withKey((await newKey(owner, ['streams:read'])).key);
    const got = await reader.get(`/api/streams/${stream.id}`);
    expect(got.status).toBe(200);
    expect(got.body.stream.id).toBe(stream.id);
    expect((await reader.get('/api/streams')).body.streams.map((s: { id: string }) => s.id)).toEqual([stream.id]);
    const refused = await reader.patch(`/api/streams/${stream.id}`, { name: 'renamed' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'insufficient_scope', message: 'This API key lacks the streams:write scope' });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="streams:write"');
    // The stream key is a publish credential: reading it needs write.
    expect((await reader.get(`/api/streams/${stream.id}/ingest`)).status).toBe(403);
    expect((await reader.get('/api/vods')).body.error.code).toBe('insufficient_scope');
    // write includes read
    const writer = withKey((await newKey(owner, ['streams:write'])).key);
    expect((await writer.patch(`/api/streams/${stream.id}`, { name: 'renamed' })).body.stream.name).toBe('renamed');
    expect((await writer.get(`/api/streams/${stream.id}`)).status).toBe(200);
    const created = await writer.post('/api/streams', { name: 'made by a key' });
    expect(created.status).toBe(201);
    const row = await backend.ctx.db.stream.findUniqueOrThrow({ where: { id: created.body.stream.id } });
    expect(row.ownerId).toBe((await owner.get('/api/auth/me')).body.user.id);
  });

  it("act as their owner only: another user's ids are 404, and an admin's key is not an admin", async () => {
    const alice = new Client(backend.url);
    await alice.signUp();
    const { stream } = await alice.createStream({ name: 'alice only' });
    const admin = new Client(backend.url);
    const email = `admin-key-${Date.now()}@example.test`;
    const u = await admin.signUp(email);
    await backend.ctx.db.user.update({ where: { id: u.id }, data: { role: 'admin' } });
    admin.token = (await admin.post('/api/auth/login', { email, password: 'correct horse battery' })).body.token;
    expect((await admin.get(`/api/streams/${stream.id}`)).status).toBe(200); // the admin's session may
    const adminKey = withKey((await newKey(admin, [...API_SCOPES])).key);
    const r = await adminKey.get(`/api/streams/${stream.id}`);
    expect(r.status).toBe(404);
    expect((await adminKey.get('/api/streams')).body.streams).toEqual([]);
    expect((await adminKey.req('GET', '/admin/queues')).status).toBe(401);
    expect((await adminKey.req('GET', `/admin/queues?token=${adminKey.token}`)).status).toBe(401);
  });

  it('can never manage API keys or the account, whatever their scopes', async () => {
    const owner = new Client(backend.url);
    await owner.signUp();
    const { apiKey, key } = await newKey(owner, [...API_SCOPES]);
    const k = withKey(key);
    const before = await backend.ctx.db.apiKey.findMany({ where: { ownerId: (await owner.get('/api/auth/me')).body.user.id }, orderBy: { id: 'asc' } });
    for (const [method, path, body] of [
      ['POST', '/api/api-keys', { name: 'escalate', scopes: [...API_SCOPES] }],
      ['GET', '/api/api-keys', undefined],
      ['DELETE', `/api/api-keys/${apiKey.id}`, undefined],
      ['GET', '/api/auth/me', undefined],
    ] as const) {
      const r = await k.req(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('session_required');
    }
    const after = await backend.ctx.db.apiKey.findMany({ where: { ownerId: before[0]!.ownerId }, orderBy: { id: 'asc' } });
    expect(after.map((a) => ({ ...a, lastUsedAt: null }))).toEqual(before.map((a) => ({ ...a, lastUsedAt: null })));
  });

  it('stop working at once when revoked; revoked keys stay listed; others cannot revoke them', async () => {
    const owner = new Client(backend.url);
    await owner.signUp();
    const { apiKey, key } = await newKey(owner, ['streams:read']);
    const k = withKey(key);
    expect((await k.get('/api/streams')).status).toBe(200);
    const mallory = new Client(backend.url);
    await mallory.signUp();
    expect((await mallory.del(`/api/api-keys/${apiKey.id}`)).status).toBe(404);
    expect((await mallory.del('/api/api-keys/not-a-uuid')).status).toBe(404);
    expect((await k.get('/api/streams')).status).toBe(200);
    expect((await owner.del(`/api/api-keys/${apiKey.id}`)).status).toBe(204);
    const r = await k.get('/api/streams');
    expect(r.status).toBe(401);
    expect(r.body.error).toEqual({ code: 'unauthorized', message: 'This API key has been revoked' });
    expect((await owner.del(`/api/api-keys/${apiKey.id}`)).status).toBe(204); // again: no change
    const listed = (await owner.get('/api/api-keys')).body.apiKeys;
    expect(listed).toHaveLength(1);
    expect(listed[0].revokedAt).toEqual(expect.any(String));
  });

  it('refuse malformed, unknown and tampered keys with 401', async () => {
    const owner = new Client(backend.url);
    await owner.signUp();
    const { key } = await newKey(owner, ['streams:read']);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1);
    for (const bad of ['ocp_', 'ocp_junk', flip(key, key.length - 1), flip(key, 10), `${key}0`, key.slice(0, -2), key.toUpperCase()]) {
      const r = await withKey(bad).get('/api/streams');
      expect(r.status, bad).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
    }
  });

  it('validate what is created: names, known scopes, at least one, and at most 50 active keys', async () => {
    const owner = new Client(backend.url);
    await owner.signUp();
    for (const body of [{}, { name: '', scopes: ['streams:read'] }, { name: 'x', scopes: [] }, { name: 'x', scopes: ['admin'] }, { name: 'x', scopes: 'streams:read' }, { name: 'x'.repeat(101), scopes: ['vods:read'] }, { name: 'x', scopes: ['vods:read'], extra: 1 }, { name: 'a\u0000b', scopes: ['vods:read'] }, { name: 'line\nbreak', scopes: ['vods:read'] }]) {
      const r = await owner.post('/api/api-keys', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
    }
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE_KEYS; i++) ids.push((await newKey(owner, ['vods:read'], `k${i}`)).apiKey.id);
    const over = await owner.post('/api/api-keys', { name: 'one too many', scopes: ['vods:read'] });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('api_key_limit');
    await owner.del(`/api/api-keys/${ids[0]}`);
    expect((await owner.post('/api/api-keys', { name: 'room again', scopes: ['vods:read'] })).status).toBe(201);
  });
});

describe('last-used time', () => {
  it('is set by the first authenticated request, at most once a minute per key, across replicas', async () => {
    const owner = new Client(backend.url);
    const u = await owner.signUp();
    const { apiKey, key } = await newKey(owner, ['streams:read']);
    let now = Date.parse('2001-01-05T10:00:00Z');
    const replicaA = new ApiKeyService(backend.ctx.db, () => now);
    const replicaB = new ApiKeyService(backend.ctx.db, () => now);
    const lastUsed = async () => (await backend.ctx.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt?.toISOString() ?? null;
    expect(await lastUsed()).toBeNull();
    expect(await replicaA.authenticate(key)).toEqual({ keyId: apiKey.id, userId: u.id, scopes: ['streams:read'] });
    expect(await lastUsed()).toBe('2001-01-05T10:00:00.000Z');
    now += 30_000;
    await replicaA.authenticate(key);
    await replicaB.authenticate(key); // another process: its SQL write is skipped too
    expect(await lastUsed()).toBe('2001-01-05T10:00:00.000Z');
    now += LAST_USED_INTERVAL_MS;
    await replicaB.authenticate(key);
    expect(await lastUsed()).toBe('2001-01-05T10:01:30.000Z');
    // Through the API, with the real clock.
    await withKey(key).get('/api/streams');
    const listed = (await owner.get('/api/api-keys')).body.apiKeys[0];
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.parse('2001-01-05T10:01:30.000Z'));
  });
});

describe('logs', () => {
  it('never contain an API key, whether it is accepted, out of scope, tampered or revoked', async () => {
    const logs = new LogCapture();
    const b = await startTestBackend({}, logs);
    try {
      const owner = new Client(b.url);
      await owner.signUp();
      const made = await owner.post('/api/api-keys', { name: 'logged?', scopes: ['streams:read'] });
      const key: string = made.body.key;
      const k = Object.assign(new Client(b.url), { token: key });
      expect((await k.get('/api/streams')).status).toBe(200);
      expect((await k.post('/api/streams', { name: 'x' })).status).toBe(403);
      expect((await Object.assign(new Client(b.url), { token: `${key.slice(0, -1)}0` }).get('/api/streams')).status).toBe(401);
      expect((await k.req('GET', `/admin/queues?token=${key}`)).status).toBe(401);
      await owner.del(`/api/api-keys/${made.body.apiKey.id}`);
      expect((await k.get('/api/streams')).status).toBe(401);
      await new Promise((r) => setTimeout(r, 100));
      expect(logs.text).toContain('/api/streams'); // requests were logged...
      expect(logs.text).not.toContain(key.slice(-48)); // ...without the secret
      expect(logs.text).not.toContain(key.slice(0, 37)); // nor the id part with its secret start
    } finally {
      await b.stop();
    }
  });
});
