// Server-side dashboard sessions over real HTTP, PostgreSQL and Redis: logout, the session list,
// revocation (one, all, on another replica), password change, the role read from the database on
// every request, and deleted users.
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestBackend, testEnv } from '../../../test/helpers.js';
import type { RunningBackend } from '../../server.js';
import { setRole } from '../service.js';
import { deviceLabel, cleanUserAgent, sessionRefusal, LAST_SEEN_INTERVAL_MS } from './rules.js';
import { SessionService } from './service.js';
import { AuthVersions } from './versions.js';

const PASSWORD = 'correct horse battery';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

// Two replicas on one database and one Redis (the same key prefix), as in production.
const prefix = `${testEnv().REDIS_PREFIX}:shared`;
let a: RunningBackend;
let b: RunningBackend;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestBackend({ REDIS_PREFIX: prefix }), startTestBackend({ REDIS_PREFIX: prefix })]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

/** A second session of the same account, logged in from `base` with `userAgent`. */
async function loginAgain(base: string, email: string, userAgent = FIREFOX, password = PASSWORD): Promise<Client> {
  const c = new Client(base);
  const r = await c.req('POST', '/api/auth/login', { email, password }, { 'user-agent': userAgent });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  c.token = r.body.token;
  return c;
}

const onB = (c: Client) => Object.assign(new Client(b.url), { token: c.token });

describe('logout', () => {
  it('ends the session: its token is refused afterwards on every replica, other sessions go on', async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const other = await loginAgain(a.url, u.email);
    expect((await c.get('/api/streams')).status).toBe(200);
    expect((await onB(c).get('/api/streams')).status).toBe(200); // B has a fresh copy of the check now
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(204);
    for (const client of [c, onB(c)]) {
      const r = await client.get('/api/streams');
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual({ code: 'unauthorized', message: 'This session has been logged out, log in again' });
      expect((await client.post('/api/streams', { name: 'after logout' })).status).toBe(401);
      expect((await client.post('/api/auth/logout')).status).toBe(401);
    }
    expect((await other.get('/api/streams')).status).toBe(200);
    const row = await a.ctx.db.session.findFirstOrThrow({ where: { userId: u.id, revokedAt: { not: null } } });
    expect(row.revokedAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses tokens without a session id (issued before sessions were kept) and sessions that are gone', async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const legacy = jwt.sign({ role: 'admin' }, a.ctx.config.auth.sessionSecret, { audience: 'session', issuer: 'ocp', subject: u.id, expiresIn: 600 });
    const unknown = jwt.sign({ sid: crypto.randomUUID() }, a.ctx.config.auth.sessionSecret, { audience: 'session', issuer: 'ocp', subject: u.id, expiresIn: 600 });
    // Someone else's session id under this user's name: refused as well.
    const other = new Client(a.url);
    await other.signUp();
    const sid = (await other.get('/api/auth/sessions')).body.sessions[0].id as string;
    const borrowed = jwt.sign({ sid }, a.ctx.config.auth.sessionSecret, { audience: 'session', issuer: 'ocp', subject: u.id, expiresIn: 600 });
    for (const t of [legacy, unknown, borrowed]) {
      const r = await fetch(`${a.url}/api/auth/me`, { headers: { authorization: `Bearer ${t}` } });
      expect(r.status).toBe(401);
    }
  });

  it('a session past its expiry is refused even though the row is still there', async () => {
    const c = new Client(a.url);
    await c.signUp();
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const { sessions } = (await c.get('/api/auth/sessions')).body;
    await a.ctx.db.session.update({ where: { id: sessions[0].id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r = await c.post('/api/streams', { name: 'late' });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe('Session expired, log in again');
  });
});

describe('session list', () => {
  it('lists your active sessions with device, address and times, marks this one, and never shows others', async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const phone = await loginAgain(a.url, u.email, SAFARI_IOS);
    const laptop = await loginAgain(b.url, u.email, FIREFOX);
    const stranger = new Client(a.url);
    await stranger.signUp();
    const r = await phone.get('/api/auth/sessions');
    expect(r.status).toBe(200);
    const list = r.body.sessions as { id: string; device: string; userAgent: string; ip: string; createdAt: string; lastSeenAt: string; expiresAt: string; current: boolean }[];
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const mine = list.find((s) => s.current)!;
    expect(mine).toMatchObject({ device: 'Safari on iOS', userAgent: SAFARI_IOS, ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(list.map((s) => s.device)).toContain('Firefox on Linux');
    expect(Date.parse(mine.expiresAt) - Date.parse(mine.createdAt)).toBe(a.ctx.config.auth.sessionTtlSeconds * 1000);
    expect(Date.parse(mine.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(mine.createdAt));
    // The laptop sees the same three, with its own marked.
    const fromLaptop = (await laptop.get('/api/auth/sessions')).body.sessions as typeof list;
    expect(fromLaptop.map((s) => s.id).sort()).toEqual(list.map((s) => s.id).sort());
    expect(fromLaptop.find((s) => s.current)!.device).toBe('Firefox on Linux');
    // A stranger lists only their own.
    const theirs = (await stranger.get('/api/auth/sessions')).body.sessions as typeof list;
    expect(theirs).toHaveLength(1);
    for (const s of list) expect(theirs.map((t) => t.id)).not.toContain(s.id);
  });

  it("ends one session by id (yours only: another user's id is 404 and stays valid), at once on the other replica", async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const laptop = await loginAgain(a.url, u.email);
    const laptopId = (await laptop.get('/api/auth/sessions')).body.sessions.find((s: { current: boolean }) => s.current).id as string;
    expect((await onB(laptop).get('/api/streams')).status).toBe(200);

    const stranger = new Client(a.url);
    await stranger.signUp();
    const notYours = await stranger.del(`/api/auth/sessions/${laptopId}`);
    expect(notYours.status).toBe(404);
    expect(notYours.body.error.code).toBe('not_found');
    expect((await stranger.del(`/api/auth/sessions/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await stranger.del('/api/auth/sessions/not-a-uuid')).status).toBe(400);
    expect((await onB(laptop).get('/api/streams')).status).toBe(200);

    expect((await c.del(`/api/auth/sessions/${laptopId}`)).status).toBe(204);
    expect((await onB(laptop).get('/api/streams')).status).toBe(401); // revoked on A, refused on B
    expect((await laptop.get('/api/streams')).status).toBe(401);
    expect((await c.del(`/api/auth/sessions/${laptopId}`)).status).toBe(204); // again: nothing changes
    expect((await c.get('/api/streams')).status).toBe(200);
    expect((await c.get('/api/auth/sessions')).body.sessions.map((s: { id: string }) => s.id)).not.toContain(laptopId);
  });

  it('revoke-all: keepCurrent ends every other session; without it, this one too (log out everywhere)', async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const others = [await loginAgain(a.url, u.email), await loginAgain(b.url, u.email)];
    for (const o of others) expect((await onB(o).get('/api/streams')).status).toBe(200);
    const keep = await c.post('/api/auth/sessions/revoke-all', { keepCurrent: true });
    expect(keep.status).toBe(200);
    expect(keep.body).toEqual({ revoked: 2 });
    for (const o of others) expect((await onB(o).get('/api/streams')).status).toBe(401);
    expect((await onB(c).get('/api/streams')).status).toBe(200);

    const again = await loginAgain(b.url, u.email);
    const all = await c.post('/api/auth/sessions/revoke-all', {});
    expect(all.body).toEqual({ revoked: 2 });
    expect((await c.get('/api/streams')).status).toBe(401);
    expect((await again.get('/api/streams')).status).toBe(401);
    expect((await c.post('/api/auth/sessions/revoke-all', { keepCurrent: 'yes' })).status).toBe(401);
    // Bad input is a 400 for a live session.
    const fresh = await loginAgain(a.url, u.email);
    const bad = await fresh.post('/api/auth/sessions/revoke-all', { keepCurrent: 'yes', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');
  });

  it('API keys are no sessions: every session route refuses them with 403 session_required, and nothing ends', async () => {
    const c = new Client(a.url);
    await c.signUp();
    const sid = (await c.get('/api/auth/sessions')).body.sessions[0].id as string;
    const { key } = (await c.post('/api/api-keys', { name: 'ci', scopes: ['streams:write', 'vods:write', 'webhooks:write'] })).body;
    const k = Object.assign(new Client(a.url), { token: key as string });
    for (const [m, p, body] of [
      ['POST', '/api/auth/logout', {}],
      ['GET', '/api/auth/sessions', undefined],
      ['DELETE', `/api/auth/sessions/${sid}`, undefined],
      ['POST', '/api/auth/sessions/revoke-all', { keepCurrent: false }],
      ['POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase here' }],
    ] as const) {
      const r = await k.req(m, p, body);
      expect(r.status, `${m} ${p}`).toBe(403);
      expect(r.body.error.code).toBe('session_required');
    }
    expect((await c.get('/api/streams')).status).toBe(200);
    expect((await k.get('/api/streams')).status).toBe(200);
  });
});

describe('password change', () => {
  it('needs the current password, applies the sign-up policy, refuses control characters first, and ends every other session', async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const other = await loginAgain(b.url, u.email);
    expect((await other.get('/api/streams')).status).toBe(200);

    const wrong = await c.post('/api/auth/password', { currentPassword: 'not the password', newPassword: 'a brand new passphrase here' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('wrong_password');
    expect(wrong.body.error.details).toEqual([{ path: 'currentPassword', message: 'The current password is not correct' }]);
    // A control character is refused by validation, before any password is compared (even the right one).
    for (const body of [{ currentPassword: `${PASSWORD}\u0000`, newPassword: 'a brand new passphrase here' }, { currentPassword: PASSWORD, newPassword: 'a brand new\u0001passphrase' }]) {
      const r = await c.post('/api/auth/password', body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
    }
    const weak = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('weak_password');
    expect(weak.body.error.details[0].path).toBe('newPassword');
    const short = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.body.error.code).toBe('validation_error');
    expect((await other.get('/api/streams')).status).toBe(200); // nothing changed so far

    const ok = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase here' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ revoked: 1 });
    expect((await other.get('/api/streams')).status).toBe(401);
    expect((await c.get('/api/streams')).status).toBe(200);
    expect((await c.post('/api/auth/login', { email: u.email, password: PASSWORD })).status).toBe(401);
    expect((await c.post('/api/auth/login', { email: u.email, password: 'a brand new passphrase here' })).status).toBe(200);
  });

  it('wrong current passwords are rate limited per account; validation errors do not count', { timeout: 30_000 }, async () => {
    const limited = await startTestBackend({ LOGIN_ACCOUNT_MAX_FAILURES: '3' });
    try {
      const c = new Client(limited.url);
      await c.signUp();
      for (let i = 0; i < 5; i++) expect((await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'x' })).status).toBe(400);
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await c.post('/api/auth/password', { currentPassword: `guess ${i}`, newPassword: 'a brand new passphrase here' })).status);
      expect(codes).toEqual([400, 400, 400, 429, 429]);
      // The right password is refused too while the budget is spent (a 200 would confirm a guess).
      const r = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase here' });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('rate_limited');
    } finally {
      await limited.stop();
    }
  });
});

describe('the role and the account are read from the database on every request', () => {
  it('a demoted admin loses admin rights on the next request, on every replica', async () => {
    const someone = new Client(a.url);
    await someone.signUp();
    const { stream } = await someone.createStream({ name: 'not yours' });
    const admin = new Client(a.url);
    const u = await admin.signUp();
    await setRole(a.ctx.db, u.email, 'admin');
    await a.ctx.sessions.forget(u.id);
    for (const c of [admin, onB(admin)]) expect((await c.get(`/api/streams/${stream.id}`)).status).toBe(200);
    // Demoted (what `make-admin --demote` does: the role in the database, then the version bump).
    await setRole(a.ctx.db, u.email, 'user');
    await a.ctx.sessions.forget(u.id);
    for (const c of [admin, onB(admin)]) {
      expect((await c.get(`/api/streams/${stream.id}`)).status).toBe(404);
      expect((await c.patch(`/api/streams/${stream.id}`, { name: 'hijack' })).status).toBe(404);
      expect((await fetch(`${c.base}/admin/queues`, { headers: { authorization: `Bearer ${c.token}` } })).status).toBe(403);
    }
    // Changed by hand in SQL (no bump): writes see it at once; reads within the cache bound.
    await a.ctx.db.user.update({ where: { id: u.id }, data: { role: 'admin' } });
    expect((await onB(admin).patch(`/api/streams/${stream.id}`, { name: 'renamed by an admin' })).status).toBe(200);
  });

  it("a deleted user's token is 401 on every route (it was a 500 on POST /api/streams and /api/webhooks), and so are their API keys", async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const { key } = (await c.post('/api/api-keys', { name: 'ci', scopes: ['streams:write', 'webhooks:write'] })).body;
    expect((await onB(c).get('/api/streams')).status).toBe(200); // B holds a copy of the check
    const cold = await loginAgain(a.url, u.email); // never used before the deletion
    await a.ctx.db.user.delete({ where: { id: u.id } });
    expect(await a.ctx.db.session.count({ where: { userId: u.id } })).toBe(0); // cascade
    for (const client of [c, onB(c), cold, Object.assign(new Client(b.url), { token: key as string })]) {
      for (const [p, body] of [['/api/streams', { name: 'orphan' }], ['/api/webhooks', { url: 'https://hooks.example.com/x' }]] as const) {
        const r = await client.post(p, body);
        expect(r.status, `${p}: ${JSON.stringify(r.body)}`).toBe(401);
        expect(r.body.error.code).toBe('unauthorized');
      }
    }
    // Reads of a token no replica has a copy of are 401 too (a copy lives at most CACHE_TTL_MS).
    const doc = (await (await fetch(`${a.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    let n = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.security?.length) continue;
        const r = await cold.req(method.toUpperCase(), path.replace(/\{[^}]+\}/g, crypto.randomUUID()), method === 'get' || method === 'delete' ? undefined : {});
        expect(r.status, `${method} ${path}`).toBe(401);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
  });
});

describe('lastSeenAt', () => {
  it('is written at most once a minute per session, across replicas', async () => {
    const c = new Client(a.url);
    const u = await c.signUp();
    const { sessionId, token } = await a.ctx.sessions.start(u.id);
    const seen = async () => (await a.ctx.db.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime();
    const t0 = Date.now() + 5 * 60_000;
    let clock = t0;
    const versions = new AuthVersions(a.ctx.redis, a.ctx.config.redisPrefix, 600);
    const replica1 = new SessionService(a.ctx.db, versions, a.ctx.config.auth.sessionSecret, 3600, () => clock);
    const replica2 = new SessionService(a.ctx.db, versions, a.ctx.config.auth.sessionSecret, 3600, () => clock);
    await replica1.authenticate(token);
    expect(await seen()).toBe(t0);
    clock = t0 + 10_000;
    await replica1.authenticate(token);
    await replica2.authenticate(token, { fresh: true }); // another replica: the SQL condition holds it back
    expect(await seen()).toBe(t0);
    clock = t0 + 10_000 + LAST_SEEN_INTERVAL_MS + 1; // a minute after replica2 last tried
    await replica2.authenticate(token);
    expect(await seen()).toBe(clock);
  });
});

describe('rules', () => {
  it('refuse unknown, foreign, revoked, expired sessions and deleted accounts', () => {
    const now = Date.now();
    const ok = { userId: 'u', expiresAt: new Date(now + 1000), revokedAt: null, user: { role: 'user' as const } };
    expect(sessionRefusal(ok, 'u', now)).toBeNull();
    expect(sessionRefusal(null, 'u', now)).toBe('unknown');
    expect(sessionRefusal(ok, 'v', now)).toBe('wrong_user');
    expect(sessionRefusal({ ...ok, revokedAt: new Date(now) }, 'u', now)).toBe('revoked');
    expect(sessionRefusal({ ...ok, expiresAt: new Date(now) }, 'u', now)).toBe('expired');
    expect(sessionRefusal({ ...ok, user: null }, 'u', now)).toBe('no_account');
  });

  it('label devices and clean user agents', () => {
    expect(deviceLabel(FIREFOX)).toBe('Firefox on Linux');
    expect(deviceLabel(SAFARI_IOS)).toBe('Safari on iOS');
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).toBe('Edge on Windows');
    expect(deviceLabel('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBe('Chrome on macOS');
    expect(deviceLabel('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(deviceLabel('curl/8.5.0')).toBe('curl');
    expect(deviceLabel('')).toBe('Unknown');
    expect(cleanUserAgent('a\u0000b\u001bc\u007f')).toBe('abc');
    expect(cleanUserAgent('x'.repeat(2000))).toHaveLength(512);
  });
});
