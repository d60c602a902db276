// Live state after a restart: a real backend (real PostgreSQL and Redis) asks a real HTTP server that
// answers like OME 0.20's REST API (fixture body shape, Basic auth) which streams exist, and ends
// the ones OME no longer has through the lifecycle writer.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, isolatedDatabase, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { planReconcile, RECONCILE_GRACE_MS, RECONCILE_REASON } from './reconcile.js';

const TOKEN = 'reconcile-ome-token';
const listFixture = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../test/fixtures/ome/rest-api/get-streams-list.json'), 'utf8')) as { response: string[] };

/** Stand-in for OME's REST API: `names` is what OME currently has; `mode` breaks it on demand. */
class FakeOme {
  names: string[] = [];
  mode: 'ok' | 'error500' | 'garbage' = 'ok';
  calls = 0;
  private server: Server | null = null;
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      this.calls++;
      if (req.headers.authorization !== `Basic ${Buffer.from(TOKEN).toString('base64')}`) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"message":"[HTTP] Authorization header is required to call API (401)","statusCode":401}');
      }
      if (req.url !== '/v1/vhosts/default/apps/app/streams') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"message":"Could not find the stream","statusCode":404}');
      }
      if (this.mode === 'error500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end('{"message":"Internal Server Error","statusCode":500}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(this.mode === 'garbage' ? '<html>bad gateway</html>' : JSON.stringify({ ...listFixture, response: this.names }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }
  close() {
    return new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('planReconcile (pure)', () => {
  const t = new Date('2026-01-01T00:00:10Z');
  const a = '11111111-1111-4111-8111-111111111111';
  const b = '22222222-2222-4222-8222-222222222222';
  const c = '33333333-3333-4333-8333-333333333333';
  it('ends live streams OME lacks, spares recent ones, and reports OME streams that are not live', () => {
    const plan = planReconcile(
      [{ id: a, lastStartedAt: new Date('2026-01-01T00:00:00Z') }, { id: b, lastStartedAt: new Date('2026-01-01T00:00:11Z') }, { id: c, lastStartedAt: null }],
      [c, 'stream1', '44444444-4444-4444-8444-444444444444'],
      t,
    );
    expect(plan).toEqual({ end: [a], notLive: ['44444444-4444-4444-8444-444444444444'] });
  });
  it('uses the fixture shape: OME 0.20 lists plain stream names', () => {
    expect(listFixture.response).toEqual(['stream1']);
    expect(planReconcile([], listFixture.response, t)).toEqual({ end: [], notLive: [] });
  });
});

describe('reconcile with OME on start-up', () => {
  let ome: FakeOme;
  // Reconcile looks at every live stream in the database: other test files' live streams must not be in it.
  let db: Awaited<ReturnType<typeof isolatedDatabase>>;
  const running: RunningBackend[] = [];
  const start = async (over: Record<string, string> = {}) => {
    const b = await startTestBackend({ DATABASE_URL: db.url, OME_API_URL: ome.url, OME_API_ACCESS_TOKEN: TOKEN, OME_RECONCILE_INTERVAL_SECONDS: '0', ...over });
    running.push(b);
    return b;
  };
  const status = async (b: RunningBackend, id: string) => (await b.ctx.db.stream.findUniqueOrThrow({ where: { id } })).status;
  const sessions = (b: RunningBackend, id: string) => b.ctx.db.streamSession.findMany({ where: { streamId: id } });

  beforeAll(async () => {
    ome = await new FakeOme().start();
    db = await isolatedDatabase('reconcile');
  }, 60_000);
  afterAll(async () => {
    for (const b of running) await b.stop();
    await ome.close();
    await db.drop();
  });

  it('ends a stream whose closing was lost while the backend was down, and only that one', { timeout: 30_000 }, async () => {
    const first = await start();
    const c = new Client(first.url);
    await c.signUp();
    const lost = await c.createStream({ name: 'closing lost' });
    const still = await c.createStream({ name: 'still on air' });
    const idle = await c.createStream({ name: 'idle' });
    const admittedAt = Date.now();
    for (const [s, port] of [[lost, 61001], [still, 61002]] as const) {
      const r = await sendAdmission(first.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(s.ingest) }, { port }));
      expect(r.body.allowed).toBe(true);
    }
    ome.names = [lost.stream.id, still.stream.id];
    expect(await first.reconciler.first).toMatchObject({ ok: true, ended: [] });
    await first.stop();

    // While the backend was away the first broadcast ended (its closing never arrived) and OME
    // somehow has a stream the database thinks is idle (a missed opening: logged, not invented).
    ome.names = [still.stream.id, idle.stream.id, 'not-a-platform-stream'];
    await sleep(Math.max(0, admittedAt + RECONCILE_GRACE_MS + 200 - Date.now()));
    const second = await start();
    const result = await second.reconciler.first;
    // The idle stream's owner and stream are enabled: logged, not kicked (see streams/kick.test.ts).
    expect(result).toEqual({ ok: true, ended: [lost.stream.id], notLive: [idle.stream.id], kicked: [] });

    expect(await status(second, lost.stream.id)).toBe('ended');
    const [s] = await sessions(second, lost.stream.id);
    expect(s).toMatchObject({ endReason: RECONCILE_REASON });
    expect(s!.endedAt).toBeInstanceOf(Date);
    const viaApi = new Client(second.url);
    viaApi.token = c.token;
    expect((await viaApi.get(`/api/streams/${lost.stream.id}`)).body.stream).toMatchObject({ status: 'ended' });
    expect((await viaApi.get(`/api/streams/${lost.stream.id}/sessions`)).body.sessions[0]).toMatchObject({ endReason: 'reconciled' });
    expect(await status(second, still.stream.id)).toBe('live');
    expect((await sessions(second, still.stream.id))[0]!.endedAt).toBeNull();
    expect(await status(second, idle.stream.id)).toBe('idle');
    expect(await sessions(second, idle.stream.id)).toHaveLength(0);

    // The ended stream can go live again, and a second pass changes nothing.
    const again = await sendAdmission(second.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(lost.ingest) }, { port: 61003 }));
    expect(again.body.allowed).toBe(true);
    await second.stop();
  });

  it('changes nothing when OME cannot be asked (down, error, garbage, wrong token)', { timeout: 20_000 }, async () => {
    const b = await start();
    const c = new Client(b.url);
    await c.signUp();
    const s = await c.createStream({ name: 'on air' });
    expect((await sendAdmission(b.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(s.ingest) }, { port: 61010 }))).body.allowed).toBe(true);
    await b.stop();
    ome.names = [];
    await sleep(RECONCILE_GRACE_MS + 200);
    const down = await start({ OME_API_URL: 'http://127.0.0.1:1' });
    expect(await down.reconciler.first).toMatchObject({ ok: false });
    for (const mode of ['error500', 'garbage'] as const) {
      ome.mode = mode;
      const x = await start();
      expect(await x.reconciler.first).toMatchObject({ ok: false });
    }
    ome.mode = 'ok';
    const wrongToken = await start({ OME_API_ACCESS_TOKEN: 'not-the-token' });
    expect(await wrongToken.reconciler.first).toEqual({ ok: false, reason: 'http_401' });
    expect(await status(down, s.stream.id)).toBe('live');
    expect((await sessions(down, s.stream.id))[0]!.endedAt).toBeNull();
  });

  it('runs every OME_RECONCILE_INTERVAL_SECONDS, sparing a publish admitted moments before OME was asked', { timeout: 20_000 }, async () => {
    ome.names = [];
    const b = await start({ OME_RECONCILE_INTERVAL_SECONDS: '1' });
    await b.reconciler.first;
    const c = new Client(b.url);
    await c.signUp();
    const s = await c.createStream({ name: 'just admitted' });
    const callsBefore = ome.calls;
    expect((await sendAdmission(b.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(s.ingest) }, { port: 61020 }))).body.allowed).toBe(true);
    // OME does not list it (yet): within the grace window the periodic runs leave it live.
    await sleep(2_500);
    expect(ome.calls - callsBefore).toBeGreaterThanOrEqual(2);
    expect(await status(b, s.stream.id)).toBe('live');
    // It never shows up in OME: a later run ends it.
    await waitFor(async () => (await status(b, s.stream.id)) === 'ended', 'periodic reconcile ended the stream', RECONCILE_GRACE_MS + 5_000);
    expect((await sessions(b, s.stream.id))[0]).toMatchObject({ endReason: 'reconciled' });
  });
});
