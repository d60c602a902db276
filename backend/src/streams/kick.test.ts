// Kicking a live publisher (issue 16 item 2) over real HTTP, PostgreSQL and Redis, with OME's REST
// API stood in for (test/support/ome-rest-stand-in.ts): rotating the key or disabling the stream
// ends the session with its reason (never leaving it `reconnecting`), sends OME's documented
// "Delete Stream" call — DELETE /v1/vhosts/{vhost}/apps/{app}/streams/{stream} with
// `Authorization: Basic base64(AccessToken)` ("This terminates the ingress connection.",
// docs/rest-api/v1/virtualhost/application/stream/README.md) — retries it while OME is down, and
// admission refuses the reconnect meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import { OmeRestStandIn } from '../../test/support/ome-rest-stand-in.js';
import type { RunningBackend } from '../server.js';
import { reconcileWithOme } from '../ome/reconcile.js';
import { OmeRestClient } from '../ome/rest-client.js';
import { runKick } from './kick.js';

let ome: OmeRestStandIn;
let backend: RunningBackend;
let owner: Client;

beforeAll(async () => {
  ome = await new OmeRestStandIn('kick-test-token').start();
  backend = await startTestBackend({ OME_API_URL: ome.url, OME_API_ACCESS_TOKEN: 'kick-test-token', OME_KICK_BACKOFF_MS: '100', OME_KICK_ATTEMPTS: '8', WEBHOOK_WORKER: 'false' });
  owner = new Client(backend.url);
  await owner.signUp();
});
afterAll(async () => {
  await backend?.stop();
  await ome?.stop();
});

let port = 48000;
const nextClient = () => ({ address: '203.0.113.20', port: port++ });
const open = (url: string, client: { address: string; port: number }) => sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url }, client));
const close = (url: string, client: { address: string; port: number }) => sendAdmission(backend.url, omeBody('rtmp-publish-closing', { url, new_url: url }, client));
const db = () => backend.ctx.db;
const sessionsOf = (id: string) => db().streamSession.findMany({ where: { streamId: id }, orderBy: { startedAt: 'asc' } });

/** A stream with a live publisher (admitted, and present in the OME stand-in). */
async function live(window = 60) {
  const { stream, ingest } = await owner.createStream({ name: 'kick me', reconnectWindowSeconds: window });
  const url = rtmpPublishUrl(ingest);
  const client = nextClient();
  expect((await open(url, client)).body.allowed).toBe(true);
  ome.streams.add(stream.id);
  return { id: stream.id as string, url, client };
}

const deletePath = (id: string) => `/v1/vhosts/default/apps/app/streams/${id}`;

describe('kicking a live publisher through OME\'s REST API', () => {
  it('rotate-key: the session ends `key_rotated`, OME gets the exact DELETE, the old key cannot come back', async () => {
    const s = await live();
    const r = await owner.post(`/api/streams/${s.id}/rotate-key`);
    expect(r.status).toBe(200);
    // Ended at once in the database, never via reconnecting.
    expect(await db().stream.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ status: 'ended', reconnectDeadline: null });
    const [session] = await sessionsOf(s.id);
    expect(session).toMatchObject({ endReason: 'key_rotated' });
    expect(session!.endedAt).not.toBeNull();

    const [del] = await waitFor(async () => (ome.deletes(s.id).length ? ome.deletes(s.id) : null), 'the kick');
    expect(del).toMatchObject({ method: 'DELETE', url: deletePath(s.id), auth: 'Basic a2ljay10ZXN0LXRva2Vu', answered: 200 });
    expect(ome.streams.has(s.id)).toBe(false);

    // OME's closing call for the kicked connection changes nothing (no reconnect window opens).
    expect((await close(s.url, s.client)).body).toEqual({});
    expect((await db().stream.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('ended');
    expect((await sessionsOf(s.id))[0]).toMatchObject({ endReason: 'key_rotated' });
    // The encoder reconnects with the old key: refused.
    const again = await open(s.url, nextClient());
    expect(again.body).toMatchObject({ allowed: false, reason: 'stream key was revoked' });
    // The new key publishes.
    const fresh = (await owner.get(`/api/streams/${s.id}/ingest`)).body;
    expect((await open(rtmpPublishUrl(fresh), nextClient())).body.allowed).toBe(true);
  });

  it('disable: the session ends `disabled`, the stream is disabled (not reconnecting), the publisher kicked', async () => {
    const s = await live();
    expect((await owner.post(`/api/streams/${s.id}/disable`)).body.stream.status).toBe('disabled');
    expect((await sessionsOf(s.id))[0]).toMatchObject({ endReason: 'disabled' });
    await waitFor(async () => ome.deletes(s.id).some((d) => d.answered === 200), 'the kick');
    expect((await close(s.url, s.client)).body).toEqual({});
    expect((await db().stream.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('disabled');
    expect((await open(s.url, nextClient())).body).toMatchObject({ allowed: false, reason: 'stream disabled' });
  });

  it('OME down: the kick is retried with backoff until OME is back; admission refuses the reconnect meanwhile', async () => {
    const s = await live();
    ome.down = true;
    try {
      expect((await owner.post(`/api/streams/${s.id}/rotate-key`)).status).toBe(200);
      // Two failed attempts (connection reset), spaced by the backoff.
      const failed = await waitFor(async () => (ome.deletes(s.id).length >= 2 ? ome.deletes(s.id) : null), 'two failed attempts');
      expect(failed.every((d) => d.answered === 'reset')).toBe(true);
      expect(failed[1]!.at - failed[0]!.at).toBeGreaterThanOrEqual(90);
      // The publisher is still connected to OME, but its reconnect would be refused already.
      expect((await open(s.url, nextClient())).body).toMatchObject({ allowed: false, reason: 'stream key was revoked' });
      expect((await sessionsOf(s.id))[0]).toMatchObject({ endReason: 'key_rotated' });
    } finally {
      ome.down = false;
    }
    const ok = await waitFor(async () => ome.deletes(s.id).find((d) => d.answered === 200), 'the kick once OME is back', 15_000);
    expect(ok).toMatchObject({ method: 'DELETE', url: deletePath(s.id), auth: ome.expectedAuth });
    expect(ome.streams.has(s.id)).toBe(false);
    expect((await db().stream.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('ended');
  });

  it('a reconnecting stream: rotation ends the window (nobody to kick, no DELETE sent)', async () => {
    const s = await live(30);
    ome.streams.delete(s.id);
    await close(s.url, s.client);
    expect((await db().stream.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('reconnecting');
    await owner.post(`/api/streams/${s.id}/rotate-key`);
    expect(await db().stream.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ status: 'ended', reconnectDeadline: null });
    expect((await sessionsOf(s.id))[0]).toMatchObject({ endReason: 'key_rotated' });
    await new Promise((r) => setTimeout(r, 300));
    expect(ome.deletes(s.id)).toHaveLength(0);
  });

  it('a late retry never kicks a newer publisher (another session is on air)', async () => {
    const s = await live();
    const [old] = await sessionsOf(s.id);
    const calls: string[] = [];
    const fake = { deleteStream: async (n: string) => (calls.push(n), 'deleted' as const) };
    expect(await runKick({ db: db(), ome: fake }, { streamId: s.id, sessionId: '00000000-0000-4000-8000-000000000000', reason: 'key_rotated' })).toBe('superseded');
    expect(calls).toEqual([]);
    expect(await runKick({ db: db(), ome: fake }, { streamId: s.id, sessionId: old!.id, reason: 'key_rotated' })).toBe('kicked');
    expect(calls).toEqual([s.id]);
  });

  it('backstop: a kick whose job was lost (Redis away) is sent by the reconciler for OME streams that are disabled, owner-disabled or deleted', async () => {
    const disabled = await live();
    const ownerOff = await (async () => {
      const other = new Client(backend.url);
      const u = await other.signUp();
      const { stream, ingest } = await other.createStream({ name: 'owner off' });
      expect((await open(rtmpPublishUrl(ingest), nextClient())).body.allowed).toBe(true);
      ome.streams.add(stream.id);
      return { id: stream.id as string, userId: u.id };
    })();
    const gone = '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f';
    ome.streams.add(gone);
    const untouched = await live();
    // The database changed behind the kick path's back (as if every enqueue had failed).
    await db().stream.update({ where: { id: disabled.id }, data: { status: 'disabled' } });
    await db().user.update({ where: { id: ownerOff.userId }, data: { disabledAt: new Date() } });
    await db().stream.update({ where: { id: ownerOff.id }, data: { status: 'ended' } });
    const c = backend.ctx.config.ome;
    const rest = new OmeRestClient({ apiUrl: c.apiUrl, accessToken: c.apiAccessToken, timeoutMs: c.apiTimeoutMs, vhost: c.vhost, app: c.app });
    const result = await reconcileWithOme({ db: db(), lifecycle: backend.ctx.lifecycle, ome: rest, broadcasts: backend.ctx.broadcasts, logger: backend.ctx.logger, graceMs: 0 });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && [...result.kicked!].sort()).toEqual([disabled.id, ownerOff.id, gone].sort());
    for (const id of [disabled.id, ownerOff.id, gone]) await waitFor(async () => ome.deletes(id).some((d) => d.answered === 200), `the kick of ${id}`);
    expect(ome.deletes(untouched.id)).toHaveLength(0);
    expect(ome.streams.has(untouched.id)).toBe(true);
  });
});
