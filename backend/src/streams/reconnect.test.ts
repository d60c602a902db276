// The reconnect window over real HTTP, PostgreSQL and Redis, with OME admission bodies shaped like
// the captures from OME 0.20.0 (test/fixtures/ome/webhooks): a publisher's closing opens the
// window, a publish with a valid key inside it continues the same session, and the deadline ends
// the broadcast once — across a backend restart and with two replicas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

let backend: RunningBackend;
let owner: Client;
// Deliveries are recorded (the outbox) but not sent: the worker is off and the endpoint unreachable.
const hooks = { WEBHOOK_WORKER: 'false', RECONNECT_SWEEP_INTERVAL_MS: '100' };

beforeAll(async () => {
  backend = await startTestBackend(hooks);
  owner = new Client(backend.url);
  await owner.signUp();
  const ep = await owner.post('/api/webhooks', { url: 'https://hooks.example.com/hook' });
  expect(ep.status).toBe(201);
});
afterAll(() => backend.stop());

let port = 47000;
const nextClient = () => ({ address: '203.0.113.9', port: port++ });
const open = (b: RunningBackend, url: string, client: { address: string; port: number }, fixture = 'rtmp-publish-opening') =>
  sendAdmission(b.url, omeBody(fixture, { url }, client));
const close = (b: RunningBackend, url: string, client: { address: string; port: number }, fixture = 'rtmp-publish-closing') =>
  sendAdmission(b.url, omeBody(fixture, { url, new_url: url }, client));

const db = () => backend.ctx.db;
const streamRow = (id: string) => db().stream.findUniqueOrThrow({ where: { id } });
const sessionsOf = (id: string) => db().streamSession.findMany({ where: { streamId: id }, orderBy: { startedAt: 'asc' }, include: { gaps: { orderBy: { startedAt: 'asc' } } } });
/** The outgoing webhook events recorded for one stream, in the order they were recorded. */
async function eventsOf(streamId: string) {
  const rows = await db().webhookDelivery.findMany({ where: { payload: { path: ['data', 'streamId'], equals: streamId } }, orderBy: [{ createdAt: 'asc' }] });
  return rows.map((r) => ({ type: r.eventType, eventId: r.eventId, createdAt: r.createdAt, data: (r.payload as { data: Record<string, unknown> }).data }));
}
const types = async (streamId: string) => (await eventsOf(streamId)).map((e) => e.type);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reconnect window', () => {
  it('a publish inside the window continues the same session: disconnected then reconnected, no stream.ended', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'blip', reconnectWindowSeconds: 30 });
    const url = rtmpPublishUrl(ingest);
    const first = nextClient();
    expect((await open(backend, url, first)).body.allowed).toBe(true);
    const closedAt = Date.now();
    expect((await close(backend, url, first)).body).toEqual({});

    const r = await streamRow(stream.id);
    expect(r.status).toBe('reconnecting');
    expect(Math.abs(r.reconnectDeadline!.getTime() - (closedAt + 30_000))).toBeLessThan(2_000);
    const [open1] = await sessionsOf(stream.id);
    expect(open1).toMatchObject({ endedAt: null, reconnectCount: 0 });
    expect(open1!.gaps).toHaveLength(1);
    expect(open1!.gaps[0]!.endedAt).toBeNull();
    // The dashboard sees it too.
    expect((await owner.get(`/api/streams/${stream.id}`)).body.stream).toMatchObject({ status: 'reconnecting', reconnectDeadline: r.reconnectDeadline!.toISOString() });

    // A second drop/return cycle, over SRT this time (the encoder may switch).
    const second = nextClient();
    expect((await open(backend, url, second)).body).toMatchObject({ allowed: true });
    expect(await streamRow(stream.id)).toMatchObject({ status: 'live', reconnectDeadline: null });
    await close(backend, url, second);
    const srtUrl = new URL(ingest.srt.url.replace(/^srt:/, 'http:')).searchParams.get('streamid')!;
    const third = nextClient();
    expect((await open(backend, srtUrl, third, 'srt-publish-opening-with-query')).body.allowed).toBe(true);

    const sessions = await sessionsOf(stream.id);
    expect(sessions).toHaveLength(1);
    const s = sessions[0]!;
    expect(s).toMatchObject({ id: open1!.id, endedAt: null, reconnectCount: 2, clientPort: third.port });
    expect(s.gaps).toHaveLength(2);
    for (const g of s.gaps) {
      expect(g.endedAt).not.toBeNull();
      expect(g.endedAt!.getTime()).toBeGreaterThanOrEqual(g.startedAt.getTime());
    }
    const api = (await owner.get(`/api/streams/${stream.id}/sessions`)).body.sessions;
    expect(api).toEqual([expect.objectContaining({ id: s.id, endedAt: null, reconnectCount: 2, gaps: s.gaps.map((g) => ({ startedAt: g.startedAt.toISOString(), endedAt: g.endedAt!.toISOString() })) })]);

    // The old connections' closings (a late or repeated OME call) match no open session any more.
    await close(backend, url, first);
    await close(backend, url, second);
    expect((await streamRow(stream.id)).status).toBe('live');

    await sleep(300);
    const evs = await eventsOf(stream.id);
    expect(evs.map((e) => e.type)).toEqual(['stream.live', 'stream.disconnected', 'stream.reconnected', 'stream.disconnected', 'stream.reconnected']);
    expect(new Set(evs.map((e) => e.data.sessionId))).toEqual(new Set([s.id]));
    expect(evs[1]!.data).toMatchObject({ status: 'reconnecting', reason: 'publisher_disconnected', reconnectDeadline: expect.any(String) });
    expect(evs[2]!.data).toMatchObject({ status: 'live', reconnects: 1 });
    expect(evs[4]!.data).toMatchObject({ status: 'live', reconnects: 2, protocol: 'srt' });
  });

  it('ends the broadcast once when the window passes: reason reconnect_window_expired, one stream.ended', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'gone', reconnectWindowSeconds: 1 });
    const url = rtmpPublishUrl(ingest);
    const c = nextClient();
    await open(backend, url, c);
    await close(backend, url, c);
    const { reconnectDeadline } = await streamRow(stream.id);
    const ended = await waitFor(async () => {
      const r = await streamRow(stream.id);
      return r.status === 'ended' ? r : null;
    }, 'window expired', 5_000);
    expect(ended.reconnectDeadline).toBeNull();
    expect(Date.now()).toBeGreaterThanOrEqual(reconnectDeadline!.getTime());
    const [s] = await sessionsOf(stream.id);
    expect(s).toMatchObject({ endReason: 'reconnect_window_expired', reconnectCount: 0 });
    // The broadcast ended when its publisher left, not when the window closed.
    expect(s!.endedAt!.getTime()).toBe(s!.gaps[0]!.startedAt.getTime());
    expect(ended.lastEndedAt!.getTime()).toBe(s!.endedAt!.getTime());
    expect(s!.gaps[0]!.endedAt).toBeNull();

    await sleep(500); // several more sweeps
    const evs = await eventsOf(stream.id);
    expect(evs.map((e) => e.type)).toEqual(['stream.live', 'stream.disconnected', 'stream.ended']);
    expect(evs[2]!.data).toMatchObject({ status: 'ended', reason: 'reconnect_window_expired', sessionId: s!.id, reconnects: 0 });

    // The next publish is a new broadcast.
    expect((await open(backend, url, nextClient())).body.allowed).toBe(true);
    expect(await sessionsOf(stream.id)).toHaveLength(2);
  });

  it('a key rotation during the window ends the broadcast at once; the old key cannot resume it', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'rotated', reconnectWindowSeconds: 600 });
    const url = rtmpPublishUrl(ingest);
    const c = nextClient();
    await open(backend, url, c);
    await close(backend, url, c);
    expect((await streamRow(stream.id)).status).toBe('reconnecting');
    const rotated = await owner.post(`/api/streams/${stream.id}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(await streamRow(stream.id)).toMatchObject({ status: 'ended', reconnectDeadline: null });
    const [s] = await sessionsOf(stream.id);
    expect(s!.endReason).toBe('key_rotated');
    expect(s!.endedAt).not.toBeNull();
    expect((await open(backend, url, nextClient())).body).toEqual({ allowed: false, reason: 'stream key was revoked' });
    expect((await open(backend, rtmpPublishUrl(rotated.body), nextClient())).body.allowed).toBe(true);
    expect(await sessionsOf(stream.id)).toHaveLength(2);
    await sleep(200);
    const evs = await eventsOf(stream.id);
    expect(evs.map((e) => e.type)).toEqual(['stream.live', 'stream.disconnected', 'stream.ended', 'stream.live']);
    expect(evs[2]!.data).toMatchObject({ reason: 'key_rotated' });
  });

  it('disabling during the window ends the broadcast at once and closes the session', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'disabled', reconnectWindowSeconds: 600 });
    const url = rtmpPublishUrl(ingest);
    const c = nextClient();
    await open(backend, url, c);
    await close(backend, url, c);
    const r = await owner.post(`/api/streams/${stream.id}/disable`);
    expect(r.body.stream).toMatchObject({ status: 'disabled', reconnectDeadline: null });
    const [s] = await sessionsOf(stream.id);
    expect(s).toMatchObject({ endReason: 'disabled' });
    expect(s!.endedAt).not.toBeNull();
    expect((await open(backend, url, nextClient())).body).toEqual({ allowed: false, reason: 'stream disabled' });
    await sleep(200);
    expect(await types(stream.id)).toEqual(['stream.live', 'stream.disconnected', 'stream.ended']);
  });

  it('refuses to delete a reconnecting stream (the broadcast is still open)', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'keep', reconnectWindowSeconds: 600 });
    const c = nextClient();
    await open(backend, rtmpPublishUrl(ingest), c);
    await close(backend, rtmpPublishUrl(ingest), c);
    const r = await owner.del(`/api/streams/${stream.id}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('stream_live');
  });

  it('a denied publish during the window changes nothing: its closing neither ends nor resumes the broadcast', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'intruder', reconnectWindowSeconds: 600 });
    const url = rtmpPublishUrl(ingest);
    const c = nextClient();
    await open(backend, url, c);
    await close(backend, url, c);
    const before = await streamRow(stream.id);
    const intruder = nextClient();
    const bad = url.replace(/token=[^&]+/, 'token=abc.def.ghi');
    expect((await open(backend, bad, intruder, 'rtmp-publish-opening-denied')).body).toEqual({ allowed: false, reason: 'invalid stream key' });
    await close(backend, bad, intruder, 'rtmp-publish-closing-after-deny');
    expect(await streamRow(stream.id)).toMatchObject({ status: 'reconnecting', reconnectDeadline: before.reconnectDeadline });
    const [s] = await sessionsOf(stream.id);
    expect(s).toMatchObject({ endedAt: null, reconnectCount: 0 });
    expect(s!.gaps).toHaveLength(1);
  });

  it('window 0 keeps the old behaviour: a closing ends the broadcast at once, no stream.disconnected', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'no window', reconnectWindowSeconds: 0 });
    const url = rtmpPublishUrl(ingest);
    const c = nextClient();
    await open(backend, url, c);
    await close(backend, url, c);
    expect(await streamRow(stream.id)).toMatchObject({ status: 'ended', reconnectDeadline: null });
    const [s] = await sessionsOf(stream.id);
    expect(s).toMatchObject({ endReason: 'publisher_disconnected', reconnectCount: 0 });
    expect(s!.gaps).toHaveLength(0);
    expect((await open(backend, url, nextClient())).body.allowed).toBe(true);
    expect(await sessionsOf(stream.id)).toHaveLength(2);
    await sleep(200);
    expect(await types(stream.id)).toEqual(['stream.live', 'stream.ended', 'stream.live']);
  });
});

describe('expiry across restarts and replicas', () => {
  it('a backend restarted during the window still ends the broadcast, once', async () => {
    const a = await startTestBackend(hooks);
    const { stream, ingest } = await owner.createStream({ name: 'restart', reconnectWindowSeconds: 2 });
    const url = rtmpPublishUrl(ingest);
    const c = nextClient();
    await open(a, url, c);
    await close(a, url, c);
    expect((await streamRow(stream.id)).status).toBe('reconnecting');
    await a.stop();
    // Stop the suite's own backend's sweep too, so only the new instance can end it.
    await backend.reconnectSweeper.stop();
    try {
      await sleep(2_300); // the deadline passes while no sweep runs
      expect((await streamRow(stream.id)).status).toBe('reconnecting');
      const b = await startTestBackend(hooks);
      try {
        await waitFor(async () => (await streamRow(stream.id)).status === 'ended', 'ended by the new instance', 3_000);
        await sleep(300);
        expect(await types(stream.id)).toEqual(['stream.live', 'stream.disconnected', 'stream.ended']);
        expect((await sessionsOf(stream.id))[0]!.endReason).toBe('reconnect_window_expired');
      } finally {
        await b.stop();
      }
    } finally {
      (backend as { reconnectSweeper: RunningBackend['reconnectSweeper'] }).reconnectSweeper = (await import('./reconnect-expiry.js')).startReconnectSweeper(
        { db: backend.ctx.db, lifecycle: backend.ctx.lifecycle, logger: backend.ctx.logger },
        100,
      );
    }
  });

  it('two replicas: every window ends once, with one stream.ended each, even when both fire at the same moment', async () => {
    const a = await startTestBackend({ ...hooks, RECONNECT_SWEEP_INTERVAL_MS: '50' });
    const b = await startTestBackend({ ...hooks, RECONNECT_SWEEP_INTERVAL_MS: '50' });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const { stream, ingest } = await owner.createStream({ name: `pair ${i}`, reconnectWindowSeconds: 1 });
        const c = nextClient();
        const url = rtmpPublishUrl(ingest);
        await open(i % 2 ? a : b, url, c);
        await close(i % 2 ? b : a, url, c);
        ids.push(stream.id);
      }
      await waitFor(async () => (await db().stream.count({ where: { id: { in: ids }, status: 'ended' } })) === ids.length, 'all ended', 5_000);
      await sleep(400);
      for (const id of ids) expect(await types(id)).toEqual(['stream.live', 'stream.disconnected', 'stream.ended']);

      // The conditional UPDATE is the guard, not the leader lock: both replicas' expiry statements
      // run at once, straight (no lock), over windows that passed; each stream comes back once.
      const more: string[] = [];
      for (let i = 0; i < 6; i++) {
        const { stream, ingest } = await owner.createStream({ name: `race ${i}`, reconnectWindowSeconds: 1 });
        const c = nextClient();
        await open(a, rtmpPublishUrl(ingest), c);
        more.push(stream.id);
        await close(a, rtmpPublishUrl(ingest), c);
      }
      for (const r of [a, b, backend]) await r.reconnectSweeper.stop();
      await db().stream.updateMany({ where: { id: { in: more } }, data: { reconnectDeadline: new Date(Date.now() - 1000) } });
      const [ra, rb] = await Promise.all([a.ctx.lifecycle.expireDue(), b.ctx.lifecycle.expireDue()]);
      const fired = [...ra, ...rb].map((e) => e.streamId).filter((id) => more.includes(id)).sort();
      expect(fired).toEqual([...more].sort());
      await sleep(300);
      for (const id of more) expect((await types(id)).filter((t) => t === 'stream.ended')).toHaveLength(1);
    } finally {
      await a.stop();
      await b.stop();
      (backend as { reconnectSweeper: RunningBackend['reconnectSweeper'] }).reconnectSweeper = (await import('./reconnect-expiry.js')).startReconnectSweeper(
        { db: backend.ctx.db, lifecycle: backend.ctx.lifecycle, logger: backend.ctx.logger },
        100,
      );
    }
  });

  it('a publish after the deadline but before any sweep ends the old broadcast and starts a new one', async () => {
    const slow = await startTestBackend({ ...hooks, RECONNECT_SWEEP_INTERVAL_MS: '60000' });
    await backend.reconnectSweeper.stop();
    try {
      const { stream, ingest } = await owner.createStream({ name: 'late', reconnectWindowSeconds: 1 });
      const url = rtmpPublishUrl(ingest);
      const c = nextClient();
      await open(slow, url, c);
      await close(slow, url, c);
      await sleep(1_200);
      expect((await streamRow(stream.id)).status).toBe('reconnecting');
      expect((await open(slow, url, nextClient())).body.allowed).toBe(true);
      const sessions = await sessionsOf(stream.id);
      expect(sessions).toHaveLength(2);
      expect(sessions[0]).toMatchObject({ endReason: 'reconnect_window_expired', reconnectCount: 0 });
      expect(sessions[1]).toMatchObject({ endedAt: null });
      await sleep(200);
      expect(await types(stream.id)).toEqual(['stream.live', 'stream.disconnected', 'stream.ended', 'stream.live']);
    } finally {
      await slow.stop();
    }
  });
});
