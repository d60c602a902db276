// Admin user management over real HTTP, PostgreSQL and Redis, with OME's REST API stood in for:
// list/search with cursor pages, disable (sessions and API keys refused on their next request, on
// every replica; admission refuses publish and playback at once, across replicas; live publishers
// kicked with `user_disabled`), enable, delete (publishers kicked first, rows gone, VOD objects
// handed to the worker through ObjectDeletion rows and queued jobs), and the self-protection rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import { OmeRestStandIn } from '../../test/support/ome-rest-stand-in.js';
import type { RunningBackend } from '../server.js';
import { objectDeletionJobId } from '../vods/deletions.js';

let ome: OmeRestStandIn;
let a: RunningBackend;
let b: RunningBackend;
let admin: Client;
let adminId: string;

beforeAll(async () => {
  ome = await new OmeRestStandIn('users-test-token').start();
  const env = { OME_API_URL: ome.url, OME_API_ACCESS_TOKEN: 'users-test-token', WEBHOOK_WORKER: 'false' };
  a = await startTestBackend(env);
  // A second replica on the same database and Redis (same prefix): caches there must follow.
  b = await startTestBackend({ ...env, REDIS_PREFIX: a.ctx.config.redisPrefix });
  admin = new Client(a.url);
  adminId = (await admin.signUp(`admin-${Date.now()}@example.test`)).id;
  await a.ctx.db.user.update({ where: { id: adminId }, data: { role: 'admin' } });
  await a.ctx.sessions.forget(adminId);
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await ome?.stop();
});

let port = 49000;
const nextClient = () => ({ address: '203.0.113.30', port: port++ });
const openOn = (base: string, url: string, client = nextClient()) => sendAdmission(base, omeBody('rtmp-publish-opening', { url }, client));
const playOn = (base: string, streamId: string) => sendAdmission(base, omeBody('webrtc-playback-opening', { url: `ws://live.example.test:3333/app/${streamId}` }));

async function userWithLiveStream(tag: string) {
  const c = new Client(a.url);
  const email = `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;
  const u = await c.signUp(email);
  const { stream, ingest } = await c.createStream({ name: `${tag} show` });
  const url = rtmpPublishUrl(ingest);
  expect((await openOn(a.url, url)).body.allowed).toBe(true);
  ome.streams.add(stream.id);
  const key = (await c.post('/api/api-keys', { name: 'ci', scopes: ['streams:read'] })).body.key as string;
  return { c, u, email, streamId: stream.id as string, url, key };
}

describe('admin users', () => {
  it('lists every account newest first in cursor pages, searchable by email; non-admins get 403', async () => {
    const tag = `search${Date.now()}`;
    for (const n of [1, 2, 3]) await new Client(a.url).signUp(`${tag}-${n}@example.test`);
    const p1 = await admin.get(`/api/admin/users?q=${tag}&limit=2`);
    expect(p1.status).toBe(200);
    expect(p1.body.users.map((u: { email: string }) => u.email)).toEqual([`${tag}-3@example.test`, `${tag}-2@example.test`]);
    expect(p1.body.users[0]).toMatchObject({ role: 'user', disabled: false, disabledAt: null, streams: 0, vods: 0 });
    const p2 = await admin.get(`/api/admin/users?q=${tag}&limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body).toMatchObject({ users: [{ email: `${tag}-1@example.test` }], nextCursor: null });
    expect((await admin.get(`/api/admin/users?q=${tag.toUpperCase()}`)).body.users).toHaveLength(3);
    expect((await admin.get('/api/admin/users?q=%25')).body.users.length).toBe(0);
    const plain = new Client(a.url);
    await plain.signUp();
    expect((await plain.get('/api/admin/users')).body.error.code).toBe('forbidden');
  });

  it('disable: sessions and API keys refused on the next request (both replicas), publish and play refused at admission on both, the live publisher kicked with user_disabled', async () => {
    const t = await userWithLiveStream('disable');
    const onB = new Client(b.url);
    onB.token = t.c.token;
    // Warm both replicas' caches (session checks, playback facts).
    expect((await onB.get('/api/streams')).status).toBe(200);
    expect((await t.c.get('/api/streams')).status).toBe(200);
    expect((await playOn(b.url, t.streamId)).body.allowed).toBe(true);
    const keyed = (base: string) => fetch(`${base}/api/streams`, { headers: { authorization: `Bearer ${t.key}` } });
    expect((await keyed(b.url)).status).toBe(200);

    // An event stream the user has open on replica B ends when the account is disabled.
    const sse = await fetch(`${b.url}/api/events`, { headers: { authorization: `Bearer ${t.c.token}` } });
    expect(sse.status).toBe(200);
    const sseDone = (async () => {
      const reader = sse.body!.getReader();
      for (;;) if ((await reader.read()).done) return true;
    })();

    const r = await admin.post(`/api/admin/users/${t.u.id}/disable`);
    expect(r.status).toBe(200);
    expect(await Promise.race([sseDone, new Promise((res) => setTimeout(() => res(false), 3_000))])).toBe(true);
    expect(r.body).toMatchObject({ user: { id: t.u.id, disabled: true }, kicked: 1 });

    for (const c of [t.c, onB]) {
      const me = await c.get('/api/streams');
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('account_disabled');
    }
    for (const base of [a.url, b.url]) {
      const k = await keyed(base);
      expect(k.status).toBe(401);
      expect(((await k.json()) as { error: { code: string } }).error.code).toBe('account_disabled');
    }
    expect((await new Client(a.url).post('/api/auth/login', { email: t.email, password: 'correct horse battery' })).body.error.code).toBe('account_disabled');
    // Wrong password: the same 401 as anyone, the account's state is not revealed.
    expect((await new Client(a.url).post('/api/auth/login', { email: t.email, password: 'wrong password here' })).status).toBe(401);

    const s = await a.ctx.db.stream.findUniqueOrThrow({ where: { id: t.streamId } });
    expect(s.status).toBe('ended');
    expect((await a.ctx.db.streamSession.findFirstOrThrow({ where: { streamId: t.streamId } })).endReason).toBe('user_disabled');
    const kick = await waitFor(async () => ome.deletes(t.streamId).find((d) => d.answered === 200), 'the kick');
    expect(kick).toMatchObject({ method: 'DELETE', url: `/v1/vhosts/default/apps/app/streams/${t.streamId}`, auth: ome.expectedAuth });
    for (const base of [a.url, b.url]) {
      expect((await openOn(base, t.url)).body).toMatchObject({ allowed: false, reason: 'account disabled' });
      expect((await playOn(base, t.streamId)).body).toMatchObject({ allowed: false, reason: 'account disabled' });
    }
    expect((await new Client(a.url).get(`/api/public/streams/${t.streamId}`)).status).toBe(404);

    // Enable: the same key and a new login work again, publishing is admitted again.
    const en = await admin.post(`/api/admin/users/${t.u.id}/enable`);
    expect(en.body.user).toMatchObject({ disabled: false, disabledAt: null });
    expect((await keyed(b.url)).status).toBe(200);
    expect((await new Client(a.url).post('/api/auth/login', { email: t.email, password: 'correct horse battery' })).status).toBe(200);
    expect((await openOn(b.url, t.url)).body.allowed).toBe(true);
    expect((await playOn(b.url, t.streamId)).body.allowed).toBe(true);
  });

  it('admins cannot disable or delete themselves; unknown ids are 404', async () => {
    expect(await admin.post(`/api/admin/users/${adminId}/disable`)).toMatchObject({ status: 400, body: { error: { code: 'cannot_disable_self' } } });
    expect(await admin.del(`/api/admin/users/${adminId}`)).toMatchObject({ status: 400, body: { error: { code: 'cannot_delete_self' } } });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await admin.post(`/api/admin/users/${id}/disable`)).status).toBe(404);
      expect((await admin.post(`/api/admin/users/${id}/enable`)).status).toBe(404);
      expect((await admin.del(`/api/admin/users/${id}`)).status).toBe(404);
    }
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('delete: the publisher is kicked first, streams/sessions/VODs/webhooks/keys go, each VOD prefix is handed to the worker', async () => {
    const t = await userWithLiveStream('delete');
    expect((await t.c.post('/api/webhooks', { url: 'https://hooks.example.com/hook' })).status).toBe(201);
    const db = a.ctx.db;
    const vods = await Promise.all([0, 1].map((n) => db.vod.create({ data: { ownerId: t.u.id, streamId: t.streamId, recordingId: `del-${t.u.id}-${n}`, status: 'ready', ...(n === 0 ? { objectPrefix: `vods/custom-${t.u.id}/` } : {}) } })));
    // A VOD being uploaded: refused until it is done (its objects would be orphaned).
    await db.vod.update({ where: { id: vods[1]!.id }, data: { status: 'processing' } });
    expect(await admin.del(`/api/admin/users/${t.u.id}`)).toMatchObject({ status: 409, body: { error: { code: 'vods_processing' } } });
    await db.vod.update({ where: { id: vods[1]!.id }, data: { status: 'ready' } });

    const r = await admin.del(`/api/admin/users/${t.u.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ deleted: { streams: 1, vods: 2, webhooks: 1 }, kicked: 1 });
    await waitFor(async () => ome.deletes(t.streamId).some((d) => d.answered === 200), 'the kick');
    expect(await db.user.findUnique({ where: { id: t.u.id } })).toBeNull();
    expect(await db.stream.count({ where: { ownerId: t.u.id } })).toBe(0);
    expect(await db.vod.count({ where: { ownerId: t.u.id } })).toBe(0);
    expect(await db.webhookEndpoint.count({ where: { ownerId: t.u.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: t.u.id } })).toBe(0);
    expect(await db.apiKey.count({ where: { ownerId: t.u.id } })).toBe(0);
    const rows = await db.objectDeletion.findMany({ where: { subject: { in: vods.map((v) => `vod:${v.id}`) } }, orderBy: { prefix: 'asc' } });
    expect(rows.map((x) => x.prefix).sort()).toEqual([`vods/${vods[1]!.id}/`, `vods/custom-${t.u.id}/`].sort());
    for (const row of rows) {
      const job = await a.ctx.deletionQueue.getJob(objectDeletionJobId(row.id));
      expect(job?.data).toEqual({ deletionId: row.id });
    }
    // Its token and key are dead, its stream refused at admission.
    expect((await t.c.get('/api/streams')).status).toBe(401);
    expect((await openOn(b.url, t.url)).body).toMatchObject({ allowed: false, reason: 'unknown stream' });
  });
});
