import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

let backend: RunningBackend;
beforeAll(async () => void (backend = await startTestBackend()));
afterAll(() => backend.stop());

describe('accounts', () => {
  it('registers, logs in and reports the user; the password is stored as argon2id', async () => {
    const c = new Client(backend.url);
    const email = `Ada${Date.now()}@Example.test`;
    const r = await c.post('/api/auth/register', { email, password: 'long enough pw' });
    expect(r.status).toBe(201);
    expect(r.body.user).toEqual({ id: expect.any(String), email: email.toLowerCase(), role: 'user', disabled: false, createdAt: expect.any(String) });
    const row = await backend.ctx.db.user.findUniqueOrThrow({ where: { id: r.body.user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);

    const login = await c.post('/api/auth/login', { email: email.toUpperCase(), password: 'long enough pw' });
    expect(login.status).toBe(200);
    c.token = login.body.token;
    expect((await c.get('/api/auth/me')).body.user.id).toBe(r.body.user.id);
  });

  it('refuses duplicates, wrong passwords and unknown users the same way', async () => {
    const c = new Client(backend.url);
    const u = await c.signUp();
    const dup = await c.post('/api/auth/register', { email: u.email, password: 'another password' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('email_taken');
    const wrong = await c.post('/api/auth/login', { email: u.email, password: 'not the password' });
    const nobody = await c.post('/api/auth/login', { email: 'nobody@example.test', password: 'not the password' });
    expect([wrong.status, nobody.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(nobody.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('explains invalid input per field', async () => {
    const c = new Client(backend.url);
    const r = await c.post('/api/auth/register', { email: 'not-an-email', password: 'short' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_error');
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'password']);
    const notJson = await c.req('POST', '/api/auth/login', '{"email":', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const big = await c.post('/api/auth/register', { email: 'a@b.test', password: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('refuses missing, forged, expired and wrong-kind session tokens with 401', async () => {
    const c = new Client(backend.url);
    const u = await c.signUp();
    const secret = backend.ctx.config.auth.sessionSecret;
    const bad = [
      '',
      'garbage',
      jwt.sign({ role: 'admin' }, 'forged-secret-forged-secret-forged-secret', { audience: 'session', issuer: 'ocp', subject: u.id }),
      jwt.sign({ role: 'user' }, secret, { audience: 'session', issuer: 'ocp', subject: u.id, expiresIn: -5 }),
      jwt.sign({ role: 'user' }, secret, { audience: 'publish', issuer: 'ocp', subject: u.id }),
    ];
    for (const t of bad) {
      const r = await fetch(`${backend.url}/api/auth/me`, { headers: t ? { authorization: `Bearer ${t}` } : {} });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 with the error shape once the per-minute budget is spent', async () => {
    const limited = await startTestBackend({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const c = new Client(limited.url);
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await c.post('/api/auth/login', { email: 'x@example.test', password: 'whatever1' })).status);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const r = await c.post('/api/auth/login', { email: 'x@example.test', password: 'whatever1' });
      expect(r.body.error.code).toBe('rate_limited');
      expect(r.headers.get('ratelimit-policy')).toBeTruthy();
    } finally {
      await limited.stop();
    }
  });
});

describe('weak passwords', () => {
  it('refuses common passwords and the email at sign-up with 400 weak_password, and creates nothing', async () => {
    const c = new Client(backend.url);
    const email = `weak${Date.now()}@example.test`;
    for (const password of ['12345678', 'password', 'password123', 'qwertyuiop', email, email.split('@')[0]!, `${email}1`]) {
      const r = await c.post('/api/auth/register', { email, password });
      expect(r.status, password).toBe(400);
      expect(r.body.error.code).toBe('weak_password');
      expect(r.body.error.message.length).toBeGreaterThan(20);
      expect(r.body.error.details).toEqual([{ path: 'password', message: r.body.error.message }]);
    }
    expect(await backend.ctx.db.user.count({ where: { email } })).toBe(0);
    // The same address with a strong password is fine.
    expect((await c.post('/api/auth/register', { email, password: 'purple rides tandem bicycles' })).status).toBe(201);
  });

  it('answers weak_password for a taken email too (the policy runs first, so it tells nothing about the address)', async () => {
    const c = new Client(backend.url);
    const u = await c.signUp();
    const r = await c.post('/api/auth/register', { email: u.email, password: 'password1' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('weak_password');
  });
});

describe('per-account login budget', () => {
  it('15 wrong passwords for one account from 15 addresses: 429 after 10, the right password too, until the window passes', { timeout: 45_000 }, async () => {
    // A per-address budget of 3 that these requests never reach (each address is used once).
    const b = await startTestBackend({ LOGIN_RATE_LIMIT_PER_MINUTE: '3', LOGIN_ACCOUNT_MAX_FAILURES: '10', LOGIN_ACCOUNT_WINDOW_SECONDS: '10' });
    try {
      const c = new Client(b.url);
      const victim = await c.signUp(undefined, 'correct horse battery');
      const other = await new Client(b.url).signUp(undefined, 'correct horse battery');
      const from = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` });
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 15; i++) {
        last = await c.req('POST', '/api/auth/login', { email: i % 2 ? victim.email.toUpperCase() : victim.email, password: `wrong guess ${i}` }, from(i));
        codes.push(last.status);
      }
      expect(codes).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
      expect(last!.body.error.code).toBe('rate_limited');
      expect(last!.body.error.message).toMatch(/this account/);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      // The right password from a fresh address is refused as well while the budget is spent...
      const locked = await c.req('POST', '/api/auth/login', { email: victim.email, password: 'correct horse battery' }, from(100));
      expect(locked.status).toBe(429);
      expect(locked.body.token).toBeUndefined();
      // ...a body validation refuses is its 400, not the spent budget's 429 (it guessed nothing)...
      const junk = await c.req('POST', '/api/auth/login', { email: victim.email, password: '\u0000correct horse battery' }, from(103));
      expect([junk.status, junk.body.error.code]).toEqual([400, 'validation_error']);
      // ...other accounts are not affected...
      expect((await c.req('POST', '/api/auth/login', { email: other.email, password: 'correct horse battery' }, from(101))).status).toBe(200);
      // ...and once the window has passed (Retry-After, rounded up to whole seconds), the owner gets in.
      const wait = Number(locked.headers.get('retry-after'));
      expect(wait).toBeLessThanOrEqual(10);
      await new Promise((r) => setTimeout(r, wait * 1000 + 300));
      expect((await c.req('POST', '/api/auth/login', { email: victim.email, password: 'correct horse battery' }, from(102))).status).toBe(200);
    } finally {
      await b.stop();
    }
  });

  it('successful logins do not spend the budget', async () => {
    const b = await startTestBackend({ LOGIN_ACCOUNT_MAX_FAILURES: '3' });
    try {
      const c = new Client(b.url);
      const u = await c.signUp(undefined, 'correct horse battery');
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await c.post('/api/auth/login', { email: u.email, password: 'correct horse battery' })).status);
      codes.push((await c.post('/api/auth/login', { email: u.email, password: 'wrong' })).status);
      expect(codes).toEqual([200, 200, 200, 200, 200, 200, 401]);
    } finally {
      await b.stop();
    }
  });
});
