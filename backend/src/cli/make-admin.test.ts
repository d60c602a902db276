import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSession } from '../auth/tokens.js';
import { Client, startTestBackend, testEnv } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

const run = promisify(execFile);
const cli = path.join(import.meta.dirname, 'make-admin.ts');
const exec = (args: string[]) =>
  // The backend's own Redis prefix: the CLI bumps the user's auth version where the backend looks.
  run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ...testEnv(), REDIS_PREFIX: backend.ctx.config.redisPrefix }, timeout: 30_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let backend: RunningBackend;
beforeAll(async () => void (backend = await startTestBackend()));
afterAll(() => backend.stop());

describe('make-admin', () => {
  it('promotes an existing account, which then sees every stream and the queue dashboard', { timeout: 60_000 }, async () => {
    const someone = new Client(backend.url);
    await someone.signUp();
    const { stream } = await someone.createStream({ name: 'not mine' });
    const op = new Client(backend.url);
    const u = await op.signUp();
    expect((await op.get(`/api/streams/${stream.id}`)).status).toBe(404);

    const r = await exec([u.email.toUpperCase()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('is now an admin');
    // The role is read from the database on every request: the session already open is an admin's now.
    expect((await op.get('/api/auth/me')).body.user.role).toBe('admin');
    expect((await op.get(`/api/streams/${stream.id}`)).status).toBe(200);
    // and a new login says so too
    const login = await op.post('/api/auth/login', { email: u.email, password: 'correct horse battery' });
    expect(login.body.user.role).toBe('admin');
    op.token = login.body.token;
    expect((await op.get(`/api/streams/${stream.id}`)).status).toBe(200);
    const dash = await fetch(`${backend.url}/admin/queues`, { headers: { authorization: `Bearer ${op.token}` } });
    expect(dash.status).toBe(200);

    // --demote takes it back, again from the very next request of the open session.
    const down = await exec(['--demote', u.email]);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('no longer an admin');
    expect((await op.get(`/api/streams/${stream.id}`)).status).toBe(404);
    expect((await fetch(`${backend.url}/admin/queues`, { headers: { authorization: `Bearer ${op.token}` } })).status).toBe(403);
  });

  it('refuses unknown accounts and bad arguments', { timeout: 60_000 }, async () => {
    expect((await exec(['nobody@example.test'])).code).toBe(1);
    expect((await exec([])).code).toBe(64);
    expect((await exec(['not-an-email'])).code).toBe(64);
    expect((await exec(['--demote'])).code).toBe(64);
    expect((await exec(['a@example.test', 'b@example.test'])).code).toBe(64);
    // a forged admin token is still refused
    const forged = signSession({ userId: '00000000-0000-4000-8000-000000000000', sessionId: '00000000-0000-4000-8000-000000000001' }, 'x'.repeat(40), 60);
    expect((await fetch(`${backend.url}/api/streams`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
  });
});
