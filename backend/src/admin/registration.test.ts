// REGISTRATION modes and the first-admin rule over real HTTP and PostgreSQL, each mode on an empty
// database of its own: the first account is always allowed and becomes admin (once, even when two
// sign up at the same time), invite mode needs a single-use, unexpired, unrevoked invite (once,
// even under concurrent use), closed refuses everybody after the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, isolatedDatabase, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

const PASSWORD = 'correct horse battery';
const email = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;

async function instance(mode: 'open' | 'invite' | 'closed', extra: Record<string, string> = {}) {
  const db = await isolatedDatabase(`reg_${mode}`);
  const backend = await startTestBackend({ DATABASE_URL: db.url, REGISTRATION: mode, FIRST_ACCOUNT_ADMIN: 'true', ...extra });
  return { backend, async stop() { await backend.stop(); await db.drop(); } };
}

const register = (base: string, body: Record<string, unknown>) => new Client(base).post('/api/auth/register', { password: PASSWORD, ...body });

describe('REGISTRATION=invite (the default mode)', () => {
  let inst: Awaited<ReturnType<typeof instance>>;
  let base: string;
  const admin = { c: null as unknown as Client };

  beforeAll(async () => {
    inst = await instance('invite');
    base = inst.backend.url;
  });
  afterAll(() => inst?.stop());

  it('empty instance: the first sign-up needs no invite and becomes admin — only one of eight concurrent ones', async () => {
    expect((await new Client(base).get('/api/auth/registration')).body).toEqual({ mode: 'invite', firstAccount: true });
    const all = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => register(base, { email: email(`first-${n}`) })));
    const ok = all.filter((r) => r.status === 201);
    const refused = all.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.body.user.role).toBe('admin');
    // The others came second: the instance was no longer empty, and they had no invite.
    for (const r of refused) expect(r).toMatchObject({ status: 403, body: { error: { code: 'invite_required' } } });
    expect(await inst.backend.ctx.db.user.count({ where: { role: 'admin' } })).toBe(1);
    admin.c = new Client(base);
    admin.c.token = ok[0]!.body.token;
    expect((await new Client(base).get('/api/auth/registration')).body).toEqual({ mode: 'invite', firstAccount: false });
  });

  it('an invite is shown once, stored as a hash, and works exactly once — also for concurrent sign-ups', async () => {
    const created = await admin.c.post('/api/admin/invites', {});
    expect(created.status).toBe(201);
    const { token, path, invite } = created.body;
    expect(token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    expect(path).toBe(`/signup?invite=${token}`);
    expect(invite).toMatchObject({ state: 'pending', email: null, usedAt: null });
    const row = await inst.backend.ctx.db.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(JSON.stringify(row)).not.toContain(token);
    // The list never shows the token again.
    const list = await admin.c.get('/api/admin/invites');
    expect(list.body.invites.map((i: { id: string }) => i.id)).toContain(invite.id);
    expect(JSON.stringify(list.body)).not.toContain(token);

    const tries = await Promise.all([1, 2, 3, 4].map((n) => register(base, { email: email(`race${n}`), invite: token })));
    const won = tries.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(won[0]!.body.user.role).toBe('user');
    for (const r of tries.filter((t) => t.status !== 201)) expect(r).toMatchObject({ status: 410, body: { error: { code: 'invite_used' } } });
    expect((await inst.backend.ctx.db.invite.findUniqueOrThrow({ where: { id: invite.id } })).usedById).toBe(won[0]!.body.user.id);
    // Used invites cannot be revoked.
    expect((await admin.c.del(`/api/admin/invites/${invite.id}`)).body.error.code).toBe('invite_used');
  });

  it('refuses: no invite, unknown, expired, revoked, another email; a refused sign-up (email taken) does not spend the invite', async () => {
    expect((await register(base, { email: email('none') })).body.error.code).toBe('invite_required');
    expect(await register(base, { email: email('unknown'), invite: 'inv_' + 'x'.repeat(43) })).toMatchObject({ status: 403, body: { error: { code: 'invite_invalid' } } });

    const expired = (await admin.c.post('/api/admin/invites', { expiresInHours: 1 })).body;
    await inst.backend.ctx.db.invite.update({ where: { id: expired.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await register(base, { email: email('late'), invite: expired.token })).toMatchObject({ status: 410, body: { error: { code: 'invite_expired' } } });

    const revoked = (await admin.c.post('/api/admin/invites', {})).body;
    expect((await admin.c.del(`/api/admin/invites/${revoked.invite.id}`)).status).toBe(204);
    expect(await register(base, { email: email('revoked'), invite: revoked.token })).toMatchObject({ status: 410, body: { error: { code: 'invite_revoked' } } });

    const named = (await admin.c.post('/api/admin/invites', { email: 'Named@Example.test' })).body;
    expect(named.invite.email).toBe('named@example.test');
    expect(await register(base, { email: email('other'), invite: named.token })).toMatchObject({ status: 403, body: { error: { code: 'invite_email_mismatch' } } });

    const taken = (await admin.c.get('/api/auth/me')).body.user.email;
    const spare = (await admin.c.post('/api/admin/invites', {})).body;
    expect((await register(base, { email: taken, invite: spare.token })).status).toBe(409);
    expect((await register(base, { email: email('spare'), invite: spare.token })).status).toBe(201);
    expect((await register(base, { email: 'named@example.test', invite: named.token })).status).toBe(201);
  });

  it('invite routes are for admins only', async () => {
    const user = new Client(base);
    const inv = (await admin.c.post('/api/admin/invites', {})).body;
    await user.signUp(email('plain'), PASSWORD).catch(() => undefined);
    const r = await register(base, { email: email('plain2'), invite: inv.token });
    user.token = r.body.token;
    for (const [m, p] of [['POST', '/api/admin/invites'], ['GET', '/api/admin/invites'], ['DELETE', `/api/admin/invites/${inv.invite.id}`]] as const) {
      const res = await user.req(m, p, m === 'POST' ? {} : undefined);
      expect(res.status, `${m} ${p}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });
});

describe('REGISTRATION=closed', () => {
  let inst: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => void (inst = await instance('closed')));
  afterAll(() => inst?.stop());

  it('the first account is allowed (admin); then sign-up is 403 registration_closed, even with an invite', async () => {
    const first = await register(inst.backend.url, { email: email('owner') });
    expect(first.status).toBe(201);
    expect(first.body.user.role).toBe('admin');
    const c = new Client(inst.backend.url);
    c.token = first.body.token;
    const inv = (await c.post('/api/admin/invites', {})).body;
    for (const body of [{ email: email('late') }, { email: email('late2'), invite: inv.token }]) {
      expect(await register(inst.backend.url, body)).toMatchObject({ status: 403, body: { error: { code: 'registration_closed' } } });
    }
    expect((await c.get('/api/auth/registration')).body).toEqual({ mode: 'closed', firstAccount: false });
  });
});

describe('REGISTRATION=open with FIRST_ACCOUNT_ADMIN=false', () => {
  let inst: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => void (inst = await instance('open', { FIRST_ACCOUNT_ADMIN: 'false' })));
  afterAll(() => inst?.stop());

  it('anyone signs up, nobody becomes admin by being first (make-admin does it)', async () => {
    for (const tag of ['a', 'b']) {
      const r = await register(inst.backend.url, { email: email(tag) });
      expect(r.status).toBe(201);
      expect(r.body.user.role).toBe('user');
    }
  });
});
