import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

let backend: RunningBackend;
let alice: Client;
let bob: Client;
beforeAll(async () => {
  backend = await startTestBackend();
  alice = new Client(backend.url);
  bob = new Client(backend.url);
  await alice.signUp();
  await bob.signUp();
});
afterAll(() => backend.stop());

describe('streams', () => {
  it('creates a stream with defaults and ready-to-paste OBS settings', async () => {
    const r = await alice.post('/api/streams', { name: '  Morning show ', description: 'coffee' });
    expect(r.status).toBe(201);
    expect(r.body.stream).toMatchObject({ name: 'Morning show', description: 'coffee', visibility: 'public', record: true, status: 'idle', lastStartedAt: null, reconnectWindowSeconds: 60, reconnectDeadline: null });
    const { rtmp, srt, whip } = r.body.ingest;
    expect(rtmp.server).toBe('rtmp://live.example.test:1935/app');
    expect(rtmp.streamKey).toMatch(new RegExp(`^${r.body.stream.id}\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(srt.url).toMatch(/^srt:\/\/live\.example\.test:9999\?streamid=srt%3A%2F%2F/);
    expect(whip.url).toMatch(new RegExp(`^http://live\\.example\\.test:3333/app/${r.body.stream.id}\\?direction=whip&token=`));
    expect((await alice.get(`/api/streams/${r.body.stream.id}/ingest`)).body).toEqual(r.body.ingest);
  });

  it('lists, reads, updates and deletes own streams', async () => {
    const { stream } = await alice.createStream({ name: 'crud', visibility: 'private', record: false });
    expect((await alice.get('/api/streams')).body.streams.map((s: { id: string }) => s.id)).toContain(stream.id);
    expect((await alice.get(`/api/streams/${stream.id}`)).body.stream).toMatchObject({ name: 'crud', visibility: 'private', record: false });
    const u = await alice.patch(`/api/streams/${stream.id}`, { name: 'renamed', record: true });
    expect(u.status).toBe(200);
    expect(u.body.stream).toMatchObject({ name: 'renamed', record: true, visibility: 'private' });
    const w = await alice.patch(`/api/streams/${stream.id}`, { reconnectWindowSeconds: 0 });
    expect(w.body.stream).toMatchObject({ reconnectWindowSeconds: 0 });
    expect((await alice.patch(`/api/streams/${stream.id}`, { reconnectWindowSeconds: 1800 })).body.stream.reconnectWindowSeconds).toBe(1800);
    expect((await alice.createStream({ name: 'short window', reconnectWindowSeconds: 5 })).stream.reconnectWindowSeconds).toBe(5);
    expect((await alice.del(`/api/streams/${stream.id}`)).status).toBe(204);
    expect((await alice.get(`/api/streams/${stream.id}`)).status).toBe(404);
  });

  it("hides other users' streams behind 404 on every route", async () => {
    const { stream } = await alice.createStream({ name: 'secret' });
    const routes: [string, string, unknown?][] = [
      ['GET', ''], ['PATCH', '', { name: 'x' }], ['DELETE', ''], ['GET', '/ingest'], ['POST', '/rotate-key', {}], ['GET', '/playback'],
      ['GET', '/sessions'], ['GET', '/events'], ['POST', '/disable', {}], ['POST', '/enable', {}],
    ];
    for (const [m, p, b] of routes) {
      const r = await bob.req(m, `/api/streams/${stream.id}${p}`, b);
      expect(r.status, `${m} ${p}`).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await bob.get('/api/streams')).body.streams.map((s: { id: string }) => s.id)).not.toContain(stream.id);
    expect((await alice.get(`/api/streams/${stream.id}`)).status).toBe(200);
  });

  it('requires a session on every stream route', async () => {
    const anon = new Client(backend.url);
    for (const [m, p] of [['GET', '/api/streams'], ['POST', '/api/streams'], ['GET', '/api/streams/00000000-0000-4000-8000-000000000000'], ['GET', '/api/events']]) {
      const r = await anon.req(m!, p!, m === 'POST' ? { name: 'x' } : undefined);
      expect(r.status, `${m} ${p}`).toBe(401);
    }
  });

  it('lets an admin see and manage every stream', async () => {
    const { stream } = await bob.createStream({ name: 'bob stream' });
    const admin = await backend.ctx.db.user.create({ data: { email: `admin${Date.now()}@example.test`, passwordHash: 'x', role: 'admin' } });
    const c = new Client(backend.url);
    c.token = (await backend.ctx.sessions.start(admin.id)).token;
    expect((await c.get('/api/streams')).body.streams.map((s: { id: string }) => s.id)).toContain(stream.id);
    expect((await c.get(`/api/streams/${stream.id}`)).status).toBe(200);
  });

  it('validates input with per-field messages and refuses unknown fields', async () => {
    const cases: [unknown, string[]][] = [
      [{}, ['name']],
      [{ name: '' }, ['name']],
      [{ name: 'x'.repeat(101) }, ['name']],
      [{ name: 'ok', visibility: 'secret' }, ['visibility']],
      [{ name: 'ok', record: 'yes' }, ['record']],
      [{ name: 'ok', description: 'd'.repeat(1001) }, ['description']],
      [{ name: 'ok', reconnectWindowSeconds: -1 }, ['reconnectWindowSeconds']],
      [{ name: 'ok', reconnectWindowSeconds: 1801 }, ['reconnectWindowSeconds']],
      [{ name: 'ok', reconnectWindowSeconds: 1.5 }, ['reconnectWindowSeconds']],
      [{ name: 'ok', reconnectWindowSeconds: '60' }, ['reconnectWindowSeconds']],
      [{ name: 'ok', reconnectWindowSeconds: null }, ['reconnectWindowSeconds']],
      [{ name: 'ok', status: 'live' }, ['']],
      [{ name: 'ok', __proto__: { admin: true }, constructor: { prototype: {} } }, ['']],
    ];
    for (const [body, paths] of cases) {
      const r = await alice.post('/api/streams', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(paths);
    }
    const { stream } = await alice.createStream();
    expect((await alice.patch(`/api/streams/${stream.id}`, {})).status).toBe(400);
    expect((await alice.patch(`/api/streams/${stream.id}`, { keyVersion: 9 })).status).toBe(400);
    const badWindow = await alice.patch(`/api/streams/${stream.id}`, { reconnectWindowSeconds: 3600 });
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.error.details).toEqual([expect.objectContaining({ path: 'reconnectWindowSeconds', message: 'reconnectWindowSeconds must be at most 1800' })]);
    expect((await alice.req('POST', '/api/streams', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
  });

  it('refuses to delete a live stream', async () => {
    const { stream, ingest } = await alice.createStream({ name: 'live one' });
    expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, { port: 55001 }))).body.allowed).toBe(true);
    const r = await alice.del(`/api/streams/${stream.id}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('stream_live');
    const sessions = await alice.get(`/api/streams/${stream.id}/sessions`);
    expect(sessions.body.sessions).toEqual([{ id: expect.any(String), protocol: 'rtmp', clientAddress: '127.0.0.1', startedAt: expect.any(String), endedAt: null, endReason: null, reconnectCount: 0, gaps: [], vod: null }]);
  });

  it("links each session to its broadcast's VOD (the joined one over older per-recording ones)", async () => {
    const { stream, ingest } = await alice.createStream({ name: 'recorded', reconnectWindowSeconds: 0 });
    const url = rtmpPublishUrl(ingest);
    const list = async () => (await alice.get(`/api/streams/${stream.id}/sessions`)).body.sessions as { id: string; vod: unknown }[];
    for (const port of [55101, 55102]) {
      await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url }, { port }));
      await sendAdmission(backend.url, omeBody('rtmp-publish-closing', { url, new_url: url }, { port }));
    }
    const [second, first] = await list();
    expect([first!.vod, second!.vod]).toEqual([null, null]);
    const db = backend.ctx.db;
    const ownerId = stream.ownerId ?? (await db.stream.findUniqueOrThrow({ where: { id: stream.id } })).ownerId;
    const base = { ownerId, streamId: stream.id, title: 'v' };
    const joined = await db.vod.create({ data: { ...base, sessionId: first!.id, recordingId: `session-${first!.id}`, status: 'ready' } });
    await db.vod.create({ data: { ...base, sessionId: first!.id, recordingId: `piece-${first!.id}-late`, status: 'pending' } }); // newer, not the joined one
    const piece = await db.vod.create({ data: { ...base, sessionId: second!.id, recordingId: `rec-${second!.id}`, status: 'processing' } });
    const after = await list();
    expect(after.find((x) => x.id === first!.id)!.vod).toEqual({ id: joined.id, status: 'ready' });
    expect(after.find((x) => x.id === second!.id)!.vod).toEqual({ id: piece.id, status: 'processing' });
    // Another user's VOD never shows through someone else's session list (the list is 404 for them).
    const bob = new Client(backend.url);
    await bob.signUp();
    expect((await bob.get(`/api/streams/${stream.id}/sessions`)).status).toBe(404);
  });
});

describe('viewers (public pages)', () => {
  it('shows public streams to anybody and private ones only with their playback token', async () => {
    const anon = new Client(backend.url);
    const pub = await alice.createStream({ name: 'open', visibility: 'public' });
    const r = await anon.get(`/api/public/streams/${pub.stream.id}`);
    expect(r.body.stream).toEqual({ id: pub.stream.id, name: 'open', description: '', status: 'idle', reconnectDeadline: null, sessionId: null });
    expect((await anon.get(`/api/public/streams/${pub.stream.id}/playback`)).body.token).toBeNull();

    const priv = await alice.createStream({ name: 'closed', visibility: 'private' });
    expect((await anon.get(`/api/public/streams/${priv.stream.id}`)).status).toBe(404);
    expect((await anon.get(`/api/public/streams/${priv.stream.id}?token=nope`)).status).toBe(404);
    const token = (await alice.get(`/api/streams/${priv.stream.id}/playback`)).body.token as string;
    expect((await anon.get(`/api/public/streams/${pub.stream.id}?token=${token}`)).status).toBe(200);
    const ok = await anon.get(`/api/public/streams/${priv.stream.id}/playback?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body.webrtc).toContain(`?token=${token}`);
    // a token of another private stream does not open this one
    const other = await alice.createStream({ name: 'closed 2', visibility: 'private' });
    expect((await anon.get(`/api/public/streams/${other.stream.id}?token=${token}`)).status).toBe(404);
    expect((await anon.get('/api/public/streams/not-a-uuid')).status).toBe(404);
  });
});
