// Hostile input on the public beacon endpoints, aimed at the accepting path: every body starts as a
// beacon the backend would take (about a broadcast on air, a VOD with its token) and is then bent:
// a field replaced by a hostile value or dropped, a key added (prototype pollution too), the body
// swapped for malformed or huge text, another content type. Every answer must be 204 or a 4xx with
// the error shape (never 5xx); what is stored must be exactly the accepted beacons, each within the
// schema; and nothing but the beacon tables (and a VOD's two counters) may change.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission } from '../helpers.js';
import { bodyText, contentType, hostileValue } from './arbitraries.js';
import { expectWellFormed, isolatedBackend, raw, type Isolated } from './support.js';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);
const BEACON_TABLES = ['ViewerLatencySample', 'VodView', 'Vod'];

let iso: Isolated;
let base: string;
const live: { id: string; sessionId: string }[] = [];
let vod: { id: string; token: string };

beforeAll(async () => {
  iso = await isolatedBackend({
    GCS_BUCKET: 'hostile-beacons', GCS_API_ENDPOINT: 'http://127.0.0.1:9',
    // Budgets are exercised in src/analytics/beacons.test.ts; here every run must reach validation and the checks after it.
    BEACON_RATE_LIMIT_PER_IP_PER_MINUTE: '1000000', BEACON_RATE_LIMIT_PER_VIEWER_PER_MINUTE: '1000000',
  });
  base = iso.backend.url;
  const owner = new Client(base);
  const user = await owner.signUp();
  let port = 52000;
  for (const visibility of ['public', 'private'] as const) {
    const { stream, ingest } = await owner.createStream({ name: `hostile ${visibility}`, visibility, reconnectWindowSeconds: 0 });
    expect((await sendAdmission(base, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, { port: port++ }))).body.allowed).toBe(true);
    const session = await iso.backend.ctx.db.streamSession.findFirstOrThrow({ where: { streamId: stream.id, endedAt: null } });
    live.push({ id: stream.id, sessionId: session.id });
  }
  const v = await iso.backend.ctx.db.vod.create({
    data: { ownerId: user.id, recordingId: 'hostile-beacon-vod', status: 'ready', durationMs: 60_000, objectPrefix: 'vods/h/', playlistObject: 'vods/h/hls/index.m3u8', readyAt: new Date() },
  });
  const detail = await owner.get(`/api/vods/${v.id}`);
  vod = { id: v.id, token: new URL(detail.body.playback.hls as string, base).searchParams.get('token')! };
});
afterAll(() => iso?.stop());

const keyArb = fc.constantFrom('streamId', 'sessionId', 'viewerId', 'protocol', 'rendition', 'latencyMs', 'vodId', 'token', 'watchedMs', 'positionMs', '__proto__', 'constructor', 'prototype', 'extra');
/** A valid beacon, then at most three edits of it (or, sometimes, a different body altogether). */
const edits = fc.array(fc.oneof(
  fc.tuple(fc.constant('set' as const), keyArb, hostileValue),
  fc.tuple(fc.constant('drop' as const), keyArb, fc.constant(null)),
), { maxLength: 3 });

function bodyFrom(valid: Record<string, unknown>, ops: ['set' | 'drop', string, unknown][]): string {
  const entries = new Map(Object.entries(valid));
  for (const [op, k, v] of ops) {
    if (op === 'drop') entries.delete(k);
    else entries.set(k, v);
  }
  // Written as text, so `__proto__` stays an own key exactly as a client would send it.
  return `{${[...entries].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

async function outsideBeacons(): Promise<Record<string, string>> {
  const all = await iso.fingerprint();
  for (const t of BEACON_TABLES) delete all[t];
  const { rows } = await iso.pg.query(`SELECT md5(string_agg((to_jsonb(v) - 'views' - 'watchMs' - 'updatedAt')::text, '|' ORDER BY id)) AS h FROM "Vod" v`);
  return { ...all, Vod: String(rows[0]!.h) };
}

let seq = 0;
describe('hostile beacons', () => {
  it('latency: never 5xx, only accepted beacons are stored, each within the schema', { timeout: 120_000 }, async () => {
    const before = await outsideBeacons();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...live), edits, fc.option(bodyText, { freq: 4 }), contentType, async (s, ops, replaced, type) => {
        const valid = { streamId: s.id, sessionId: s.sessionId, viewerId: `hostile-${seq++}`, protocol: 'llhls', rendition: '480p', latencyMs: 2500 };
        const body = replaced ?? bodyFrom(valid, ops);
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        const r = await raw(base, 'POST', '/api/beacons/latency', { body, headers });
        expectWellFormed(r, `latency ${type} ${body.slice(0, 160)}`);
        expect([204, 400, 404, 409, 413, 415], `${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
        if (r.status === 204) accepted++;
      }),
      { numRuns: RUNS },
    );
    await iso.backend.ctx.analytics.flush();
    const rows = (await iso.pg.query('SELECT "sessionId", "viewerId", protocol::text, rendition, "latencyMs" FROM "ViewerLatencySample"')).rows as { sessionId: string; viewerId: string; protocol: string; rendition: string | null; latencyMs: number }[];
    expect(rows.length).toBe(accepted);
    expect(accepted).toBeGreaterThan(0);
    for (const row of rows) {
      expect(live.map((l) => l.sessionId)).toContain(row.sessionId);
      expect(row.viewerId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      expect(['webrtc', 'llhls']).toContain(row.protocol);
      if (row.rendition !== null) expect(row.rendition).toMatch(/^[A-Za-z0-9_.:-]{1,32}$/);
      expect(Number.isInteger(row.latencyMs) && row.latencyMs >= 0 && row.latencyMs <= 120_000).toBe(true);
    }
    expect(await outsideBeacons()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await raw(base, 'GET', '/healthz')).status).toBe(200);
  });

  it('VOD: never 5xx, one view per accepted player, watch time never above the caps', { timeout: 120_000 }, async () => {
    const before = await outsideBeacons();
    const players = new Set<string>();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(edits, fc.option(bodyText, { freq: 4 }), contentType, fc.integer({ min: 0, max: 3 }), async (ops, replaced, type, player) => {
        const valid = { vodId: vod.id, viewerId: `hostile-vod-${player}`, token: vod.token, watchedMs: 10_000, positionMs: 5_000 };
        const body = replaced ?? bodyFrom(valid, ops);
        const r = await raw(base, 'POST', '/api/beacons/vod', { body, headers: type ? { 'content-type': type } : {} });
        expectWellFormed(r, `vod ${type} ${body.slice(0, 160)}`);
        expect([204, 400, 401, 404, 413, 415], `${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
        if (r.status === 204) {
          accepted++;
          players.add(JSON.parse(body).viewerId);
        }
      }),
      { numRuns: RUNS },
    );
    await iso.backend.ctx.analytics.flush();
    const views = (await iso.pg.query('SELECT "viewerId", "watchedMs", "firstAt", "lastAt" FROM "VodView" WHERE "vodId" = $1', [vod.id])).rows as { viewerId: string; watchedMs: number; firstAt: Date; lastAt: Date }[];
    expect(views.map((v) => v.viewerId).sort()).toEqual([...players].sort());
    for (const v of views) expect(v.watchedMs).toBeLessThanOrEqual(v.lastAt.getTime() - v.firstAt.getTime() + 15_000);
    const totals = await iso.backend.ctx.db.vod.findUniqueOrThrow({ where: { id: vod.id }, select: { views: true, watchMs: true } });
    expect(totals).toEqual({ views: players.size, watchMs: BigInt(views.reduce((n, v) => n + v.watchedMs, 0)) });
    expect(accepted).toBeGreaterThan(0);
    expect(await outsideBeacons()).toEqual(before);
  });
});
