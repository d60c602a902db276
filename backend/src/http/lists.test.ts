// Cursor pagination of every list over real HTTP and PostgreSQL: walking all pages gives every row
// of the caller exactly once in (createdAt desc, id desc) order, rows inserted meanwhile neither
// repeat nor hide others, owner scoping holds, and every bad limit/cursor/q/status is a 400.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { encodeCursor } from './pagination.js';

let backend: RunningBackend;
let alice: Client;
let bob: Client;
let aliceId: string;
let bobId: string;
let aliceStream: string;
let bobStream: string;

beforeAll(async () => {
  backend = await startTestBackend();
  alice = new Client(backend.url);
  bob = new Client(backend.url);
  aliceId = (await alice.signUp()).id;
  bobId = (await bob.signUp()).id;
  aliceStream = (await alice.createStream({ name: 'alice main' })).stream.id;
  bobStream = (await bob.createStream({ name: 'bob main' })).stream.id;
});
afterAll(() => backend?.stop());

const db = () => backend.ctx.db;
type Keyed = { id: string; at: Date };
/** The order every list promises, computed here independently of the server's query. */
const newestFirst = (rows: Keyed[]) =>
  [...rows].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((r) => r.id);

/** Follows nextCursor to the end; returns the pages' item ids. */
async function walk(client: Client, path: string, key: string, limit?: number, extra = '') {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams();
    if (limit !== undefined) qs.set('limit', String(limit));
    if (cursor) qs.set('cursor', cursor);
    const r = await client.get(`${path}?${qs}${extra}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual([key, 'nextCursor'].sort());
    pages.push((r.body[key] as { id: string }[]).map((i) => i.id));
    cursor = r.body.nextCursor;
    expect(pages.length).toBeLessThan(500);
  } while (cursor);
  return pages;
}

async function seedVods(ownerId: string, n: number, over: (i: number) => Record<string, unknown> = () => ({})) {
  const base = Date.now() - 10_000_000;
  await db().vod.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      ownerId,
      streamId: ownerId === aliceId ? aliceStream : bobStream,
      recordingId: `list-${randomBytes(8).toString('hex')}`,
      title: `Recording ${i}`,
      // Groups of three share a timestamp: the id tiebreak has to keep page boundaries exact.
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
      ...over(i),
    })),
  });
}

describe('pagination', () => {
  it('VODs: default page of 50, every own row once in newest-first order, nothing of other users', async () => {
    await seedVods(aliceId, 123);
    await seedVods(bobId, 40);
    const pages = await walk(alice, '/api/vods', 'vods');
    expect(pages.map((p) => p.length)).toEqual([50, 50, 23]);
    const rows = await db().vod.findMany({ where: { ownerId: aliceId }, select: { id: true, createdAt: true } });
    expect(pages.flat()).toEqual(newestFirst(rows.map((r) => ({ id: r.id, at: r.createdAt }))));
    // Small pages across the timestamp ties.
    expect((await walk(alice, '/api/vods', 'vods', 7)).flat()).toEqual(pages.flat());
    expect((await walk(alice, '/api/vods', 'vods', 100)).map((p) => p.length)).toEqual([100, 23]);
    // Bob sees his 40 only.
    const bobs = (await walk(bob, '/api/vods', 'vods', 100)).flat();
    expect(bobs).toHaveLength(40);
    expect(bobs.some((id) => pages.flat().includes(id))).toBe(false);
  });

  it('rows inserted or deleted while a client pages never repeat or hide the others', async () => {
    const owner = new Client(backend.url);
    const ownerId = (await owner.signUp()).id;
    await seedVods(ownerId, 30);
    const before = (await walk(owner, '/api/vods', 'vods', 100)).flat();
    const seen: string[] = [];
    let cursor: string | null = null;
    let step = 0;
    do {
      const r = await owner.get(`/api/vods?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.vods.map((v: { id: string }) => v.id));
      cursor = r.body.nextCursor;
      step++;
      // New recordings arrive while paging (newest: they belong before the cursor).
      await seedVods(ownerId, 2, () => ({ createdAt: new Date() }));
      // The row the cursor names is deleted: the walk still continues after it.
      if (step === 3 && cursor) await db().vod.delete({ where: { id: seen[seen.length - 1]! } });
    } while (cursor);
    expect(seen).toEqual(before);
    expect(new Set(seen).size).toBe(seen.length);
    // A fresh first page shows the newcomers.
    const fresh = (await owner.get('/api/vods?limit=100')).body.vods as { id: string }[];
    expect(fresh).toHaveLength(30 - 1 + 2 * step);
  });

  it('streams: pages, the q search (case-insensitive, wildcards literal) and the status filter', async () => {
    const owner = new Client(backend.url);
    const ownerId = (await owner.signUp()).id;
    const names = ['Morning Show', 'evening show', 'SHOWCASE', 'Podcast', 'Sale 100%', 'Sale 1000', 'a_b', 'axb', 'Night show'];
    for (const name of names) await owner.createStream({ name });
    await db().stream.updateMany({ where: { ownerId, name: { in: ['Podcast', 'Night show'] } }, data: { status: 'ended' } });
    const rows = await db().stream.findMany({ where: { ownerId }, select: { id: true, createdAt: true, name: true } });
    const pages = await walk(owner, '/api/streams', 'streams', 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1]);
    expect(pages.flat()).toEqual(newestFirst(rows.map((r) => ({ id: r.id, at: r.createdAt }))));
    const named = async (query: string) => {
      const r = await owner.get(`/api/streams?${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body.streams as { name: string }[]).map((s) => s.name).sort();
    };
    expect(await named('q=show')).toEqual(['Morning Show', 'Night show', 'SHOWCASE', 'evening show']);
    expect(await named('q=%20SHOW%20')).toEqual(['Morning Show', 'Night show', 'SHOWCASE', 'evening show']); // trimmed
    expect(await named('q=g%20s')).toEqual(['Morning Show', 'evening show']); // inner spaces count
    expect(await named(`q=${encodeURIComponent('100%')}`)).toEqual(['Sale 100%']);
    expect(await named('q=a_b')).toEqual(['a_b']);
    expect(await named('q=%25')).toEqual(['Sale 100%']);
    expect(await named('q=')).toHaveLength(names.length);
    expect(await named('status=ended')).toEqual(['Night show', 'Podcast']);
    expect(await named('status=ended&q=show')).toEqual(['Night show']);
    expect(await named('q=nothing-like-this')).toEqual([]);
    // Filters page like the full list.
    expect((await walk(owner, '/api/streams', 'streams', 1, '&q=show')).flat()).toHaveLength(4);
    // Another user's search never sees these.
    expect((await bob.get('/api/streams?q=show')).body.streams).toEqual([]);
  });

  it('VODs: q, status and streamId filters combine with paging', async () => {
    const owner = new Client(backend.url);
    const ownerId = (await owner.signUp()).id;
    const s1 = (await owner.createStream({ name: 'one' })).stream.id;
    await db().vod.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        ownerId,
        streamId: i % 2 ? s1 : null,
        recordingId: `f-${randomBytes(8).toString('hex')}`,
        title: i % 3 === 0 ? `Keynote Day ${i}` : `Panel ${i}`,
        status: i % 4 === 0 ? ('ready' as const) : ('pending' as const),
      })),
    });
    const ids = async (query: string) => (await walk(owner, '/api/vods', 'vods', 2, `&${query}`)).flat().length;
    expect(await ids('q=KEYNOTE')).toBe(4); // 0,3,6,9
    expect(await ids('status=ready')).toBe(3); // 0,4,8
    expect(await ids('status=ready&q=keynote')).toBe(1); // 0
    expect(await ids(`streamId=${s1}`)).toBe(6);
    expect(await ids(`streamId=${s1}&q=keynote`)).toBe(2); // 3,9
  });

  it('admins page through everybody\'s streams and VODs', async () => {
    const admin = new Client(backend.url);
    const email = `admin-${randomBytes(4).toString('hex')}@example.test`;
    const adminId = (await admin.signUp(email)).id;
    await db().user.update({ where: { id: adminId }, data: { role: 'admin' } });
    const login = await admin.post('/api/auth/login', { email, password: 'correct horse battery' });
    admin.token = login.body.token;
    const all = (await walk(admin, '/api/vods', 'vods', 100)).flat();
    expect(all.length).toBe(await db().vod.count());
    expect(new Set(all).size).toBe(all.length);
    expect((await walk(admin, '/api/streams', 'streams', 3)).flat().length).toBe(await db().stream.count());
  });

  it('stream sessions: pages by startedAt, owner only', async () => {
    const base = Date.now() - 1_000_000;
    await db().streamSession.createMany({
      data: Array.from({ length: 11 }, (_, i) => ({
        streamId: aliceStream, protocol: 'rtmp' as const, clientAddress: '203.0.113.7', clientPort: 40000 + i,
        startedAt: new Date(base + Math.floor(i / 2) * 1000), endedAt: new Date(base + i * 1000 + 500),
      })),
    });
    const pages = await walk(alice, `/api/streams/${aliceStream}/sessions`, 'sessions', 4);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 3]);
    const rows = await db().streamSession.findMany({ where: { streamId: aliceStream }, select: { id: true, startedAt: true } });
    expect(pages.flat()).toEqual(newestFirst(rows.map((r) => ({ id: r.id, at: r.startedAt }))));
    expect((await walk(alice, `/api/streams/${aliceStream}/sessions`, 'sessions')).map((p) => p.length)).toEqual([11]);
    expect((await bob.get(`/api/streams/${aliceStream}/sessions`)).status).toBe(404);
  });

  it('webhook endpoints and their deliveries: pages, owner only', async () => {
    const owner = new Client(backend.url);
    await owner.signUp();
    for (let i = 0; i < 5; i++) expect((await owner.post('/api/webhooks', { url: `https://hooks.example.com/h${i}` })).status).toBe(201);
    const endpoints = await walk(owner, '/api/webhooks', 'endpoints', 2);
    expect(endpoints.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(new Set(endpoints.flat()).size).toBe(5);
    expect((await bob.get('/api/webhooks')).body.endpoints).toEqual([]);

    const endpointId = endpoints[0]![0]!;
    const base = Date.now() - 100_000;
    await db().webhookDelivery.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        endpointId, eventId: randomUUID(), eventType: 'stream.live', payload: {}, createdAt: new Date(base + Math.floor(i / 3) * 1000),
      })),
    });
    const deliveries = await walk(owner, `/api/webhooks/${endpointId}/deliveries`, 'deliveries', 3);
    expect(deliveries.map((p) => p.length)).toEqual([3, 3, 1]);
    const rows = await db().webhookDelivery.findMany({ where: { endpointId }, select: { id: true, createdAt: true } });
    expect(deliveries.flat()).toEqual(newestFirst(rows.map((r) => ({ id: r.id, at: r.createdAt }))));
    expect((await bob.get(`/api/webhooks/${endpointId}/deliveries`)).status).toBe(404);
  });

  it('a cursor is only a position: replayed by another user it shows that user\'s rows only', async () => {
    const page = (await alice.get('/api/vods?limit=5')).body;
    expect(page.nextCursor).toEqual(expect.any(String));
    const r = await bob.get(`/api/vods?limit=100&cursor=${page.nextCursor}`);
    expect(r.status).toBe(200);
    for (const v of r.body.vods as { id: string }[]) {
      expect((await db().vod.findUniqueOrThrow({ where: { id: v.id } })).ownerId).toBe(bobId);
    }
    // A well-formed cursor the server never issued is a position too (far future: everything).
    const forged = encodeCursor({ at: new Date('2999-01-01T00:00:00.000Z'), id: randomUUID() });
    const f = await bob.get(`/api/vods?limit=100&cursor=${forged}`);
    expect(f.status).toBe(200);
    expect(f.body.vods).toHaveLength(40);
  });
});

describe('bad list parameters → 400 validation_error', () => {
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const badLimits = ['0', '101', '1000', '-1', '1.5', 'abc', '', '1e1', '0x10', ' 5', '50abc', '99999999999999999999'];
  const badCursors = [
    'not a cursor', '!!!!', b64('hello'), b64([]), b64(['2026-01-01T00:00:00.000Z']), b64({ at: '2026-01-01T00:00:00.000Z', id: randomUUID() }),
    b64(['2026-02-31T00:00:00.000Z', randomUUID()]), b64(['yesterday', randomUUID()]), b64([1767225600000, randomUUID()]),
    b64(['2026-01-01T00:00:00.000Z', 'not-a-uuid']), b64(['2026-01-01T00:00:00.000Z', `${randomUUID()}' OR 1=1 --`]),
    b64(['+275760-09-13T00:00:00.000Z', randomUUID()]), 'A'.repeat(5000), b64(['2026-01-01T00:00:00.000Z', randomUUID(), 'extra']),
    `${b64(['2026-01-01T00:00:00.000Z', randomUUID()])}=`, encodeURIComponent(`${b64(['2026-01-01T00:00:00.000Z', randomUUID()]).slice(0, -1)}+`), // base64, not base64url
  ];
  const lists = () => ['/api/streams', '/api/vods', `/api/streams/${aliceStream}/sessions`, '/api/webhooks', `/api/webhooks/${hookId}/deliveries`];
  let hookId: string;
  beforeAll(async () => {
    hookId = (await alice.post('/api/webhooks', { url: 'https://hooks.example.com/bad-params' })).body.endpoint.id;
  });

  async function expect400(path: string, field: string) {
    const r = await alice.get(path);
    expect(r.status, `${path} → ${r.status} ${JSON.stringify(r.body)}`).toBe(400);
    expect(r.body.error.code).toBe('validation_error');
    expect(r.body.error.details.map((d: { path: string }) => d.path), path).toContain(field);
  }

  it('limit outside 1–100 or not a plain whole number, on every list', async () => {
    for (const list of lists()) {
      for (const l of badLimits) await expect400(`${list}?limit=${encodeURIComponent(l)}`, 'limit');
      await expect400(`${list}?limit=5&limit=6`, 'limit');
    }
  });

  it('a cursor the server did not issue in that form, on every list', async () => {
    for (const list of lists()) {
      for (const c of badCursors) await expect400(`${list}?cursor=${c.includes('%') ? c : encodeURIComponent(c)}`, 'cursor');
      await expect400(`${list}?cursor=a&cursor=b`, 'cursor');
    }
  });

  it('q too long, with NUL, or repeated; status not one of the statuses', async () => {
    for (const list of ['/api/streams', '/api/vods']) {
      await expect400(`${list}?q=${'x'.repeat(101)}`, 'q');
      await expect400(`${list}?q=a%00b`, 'q');
      await expect400(`${list}?q=a&q=b`, 'q');
      for (const s of ['bogus', 'LIVE', '', 'ready,failed']) await expect400(`${list}?status=${encodeURIComponent(s)}`, 'status');
      await expect400(`${list}?status=idle&status=live`, 'status');
    }
    await expect400('/api/streams?status=ready', 'status'); // a VOD status, not a stream status
    await expect400('/api/vods?status=live', 'status');
  });
});
