// Property-based hostile input over every operation in the OpenAPI document (new routes are covered
// without touching this file): random and malformed bodies, wrong types, huge strings, unicode,
// prototype-pollution keys sent as raw JSON text, junk path/query values and junk credentials.
// Every answer must be 2xx/4xx (4xx with the error shape), the server must stay up, and a rejected
// request must leave every table byte-for-byte unchanged.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers.js';
import { bodyText, contentType, controlString, cursorValue, headerValue, junkApiKey, limitValue, MULTI_LINE_FIELDS, pathValue, searchValue, statusValue, VALID_BODIES } from './arbitraries.js';
import { expectWellFormed, fill, isolatedBackend, listOperations, raw, type Isolated, type Operation } from './support.js';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);

let iso: Isolated;
let base: string;
let owner: Client;
let ops: Operation[];
let ownerEmail = '';
const ids: Record<string, string> = {};
/** The owner's API keys: every scope, and streams:read only. */
const keys = { all: '', read: '' };
let adminToken = '';
/** The session that speaks on a path: the admin's on /api/admin/*, else the owner's. */
const sessionFor = (path: string) => (path.startsWith('/api/admin/') ? adminToken : owner.token);

beforeAll(async () => {
  iso = await isolatedBackend();
  base = iso.backend.url;
  owner = new Client(base);
  ownerEmail = (await owner.signUp()).email;
  ids.stream = (await owner.createStream({ name: 'target', visibility: 'private' })).stream.id;
  ids.webhook = (await owner.post('/api/webhooks', { url: 'https://hooks.example.com/hook' })).body.endpoint.id;
  ids.output = (await owner.post(`/api/streams/${ids.stream}/outputs`, { name: 'target', url: 'rtmp://1.1.1.1/live2', streamKey: 'target-stream-key-0001' })).body.output.id;
  const all = (await owner.post('/api/api-keys', { name: 'all', scopes: ['streams:write', 'vods:write', 'webhooks:write'] })).body;
  keys.all = all.key;
  ids.apiKey = all.apiKey.id;
  keys.read = (await owner.post('/api/api-keys', { name: 'read', scopes: ['streams:read'] })).body.key;
  // /api/admin/* is for admins: an admin's session speaks there (the owner's would stop at 403).
  const admin = new Client(base);
  const a = await admin.signUp();
  await iso.backend.ctx.db.user.update({ where: { id: a.id }, data: { role: 'admin' } });
  await iso.backend.ctx.sessions.forget(a.id);
  adminToken = admin.token!;
  ids.victim = (await new Client(base).signUp()).id;
  ids.invite = (await admin.post('/api/admin/invites', {})).body.invite.id;
  // A ready VOD of the owner's (as the worker leaves it), so clip and download requests reach their handlers.
  const vodId = crypto.randomUUID();
  ids.vod = (await iso.backend.ctx.db.vod.create({
    data: { id: vodId, ownerId: (await owner.get('/api/auth/me')).body.user.id, streamId: ids.stream, recordingId: `hostile-${vodId}`, status: 'ready', title: 'target vod', durationMs: 60_000, objectPrefix: `vods/${vodId}/`, playlistObject: `vods/${vodId}/hls/index.m3u8` },
  })).id;
  ops = await listOperations(base);
});
afterAll(async () => {
  await iso?.stop();
});

/** A real id of the owner's for the resource the path names, so validation and handlers run for real. */
const realId = (path: string) =>
  path.startsWith('/api/admin/users') ? ids.victim! : path.startsWith('/api/admin/invites') ? ids.invite! : path.startsWith('/api/webhooks') ? ids.webhook! : path.startsWith('/api/api-keys') ? ids.apiKey! : path.startsWith('/api/vods/') ? ids.vod! : ids.stream!;

/**
 * Logout and "log out everywhere" are routes too: when a run ended the owner's session, log in
 * again, so later runs still speak as a logged-in owner.
 */
async function keepOwnerLoggedIn(path: string) {
  if (!path.startsWith('/api/auth/')) return;
  if ((await raw(base, 'GET', '/api/auth/me', { headers: { authorization: `Bearer ${owner.token}` } })).status !== 401) return;
  const r = await raw(base, 'POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ownerEmail, password: 'correct horse battery' }) });
  expect(r.status, r.text).toBe(200);
  owner.token = r.body.token;
}

async function checked(what: string, send: () => Promise<Awaited<ReturnType<typeof raw>>>) {
  const before = await iso.fingerprint();
  const r = await send();
  expectWellFormed(r, what);
  if (r.status >= 400) expect(await iso.fingerprint(), `${what}: rejected but something was written`).toEqual(before);
  return r;
}

/** Every string in a decoded JSON value, keys included. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

describe('hostile input on every JSON endpoint', () => {
  it('the OpenAPI document lists the routes the fuzzers walk', () => {
    const names = ops.map((o) => `${o.method} ${o.path}`);
    for (const n of ['POST /api/auth/register', 'POST /api/auth/login', 'POST /api/streams', 'PATCH /api/streams/{id}', 'POST /api/webhooks', 'POST /api/ome/admission']) {
      expect(names).toContain(n);
    }
    expect(ops.filter((o) => o.hasBody).length).toBeGreaterThanOrEqual(5);
  });

  it('random, malformed, huge and polluting bodies: never 5xx, error shape, nothing written on rejection', { timeout: 60_000 }, async () => {
    const withBody = ops.filter((o) => o.hasBody && o.path !== '/api/ome/admission');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withBody), bodyText, contentType, fc.boolean(), fc.constantFrom('session', 'apiKey'), async (op, body, type, real, cred) => {
        const path = fill(op.path, { id: real ? realId(op.path) : crypto.randomUUID(), outputId: real ? ids.output! : crypto.randomUUID() });
        const headers: Record<string, string> = { authorization: `Bearer ${cred === 'session' ? sessionFor(op.path) : keys.all}` };
        if (type) headers['content-type'] = type;
        await checked(`${op.method} ${path} ${type} ${body.slice(0, 120)}`, () => raw(base, op.method, path, { body, headers }));
        await keepOwnerLoggedIn(op.path);
      }),
      { numRuns: RUNS },
    );
    // Nothing leaked onto shared prototypes in the server process.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect((await raw(base, 'GET', '/healthz')).status).toBe(200);
  });

  it('control characters (NUL, C0, DEL) in an otherwise valid body: 400 validation_error, never stored', { timeout: 60_000 }, async () => {
    const targets = Object.entries(VALID_BODIES).flatMap(([route, body]) => Object.keys(body).filter((field) => typeof body[field] === 'string').map((field) => ({ route, body, field })));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), controlString, fc.constantFrom('prefix', 'inside', 'suffix'), async ({ route, body, field }, junk, where) => {
        const [method, p] = route.split(' ') as [string, string];
        const validValue = String(body[field]);
        const value = where === 'prefix' ? junk + validValue : where === 'suffix' ? validValue + junk : validValue.replace('@', `${junk}@`).replace('//', `//${junk}`);
        const path = fill(p, { id: realId(p), outputId: ids.output! });
        const what = `${route} ${field}=${JSON.stringify(value)}`;
        const r = await checked(what, () => raw(base, method, path, { body: JSON.stringify({ ...body, [field]: value }), headers: { authorization: `Bearer ${sessionFor(p)}`, 'content-type': 'application/json' } }));
        const control = MULTI_LINE_FIELDS.has(field) ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/;
        // The URL check removes surrounding whitespace and tab/LF/CR as WHATWG URL parsing does; that is stored.
        if (control.test(field === 'url' ? value.trim().replace(/[\t\n\r]/g, '') : value)) {
          expect(r.status, what).toBe(400);
          expect(r.body.error.code, what).toBe('validation_error');
        }
        // Checked on the decoded answer, not its JSON text: a junk backslash before "t" is no tab.
        if (r.status < 300) expect(stringsIn(r.body).filter((x) => control.test(x)), `${what}: accepted and echoed a control character`).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('prototype-pollution keys never change what a user or stream is', async () => {
    const c = new Client(base);
    const r = await raw(base, 'POST', '/api/auth/register', {
      body: `{"email":"proto-${Date.now()}@example.test","password":"correct horse battery","__proto__":{"role":"admin"},"role":"admin"}`,
      headers: { 'content-type': 'application/json' },
    });
    expectWellFormed(r, 'register with __proto__');
    if (r.status === 201) {
      expect(r.body.user.role).toBe('user');
      c.token = r.body.token;
      expect((await c.get('/api/auth/me')).body.user.role).toBe('user');
    }
    const s = await raw(base, 'POST', '/api/streams', {
      body: '{"name":"p","__proto__":{"visibility":"public","record":false},"constructor":{"prototype":{"status":"live"}}}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
    });
    expectWellFormed(s, 'stream with __proto__');
    expect(s.status).toBe(400); // strict schema: unknown keys are refused, not merged
  });

  it('junk path parameters, query strings and credentials on every operation', { timeout: 60_000 }, async () => {
    const auth = fc.oneof(
      fc.constant<string | null>(null),
      fc.constant('session'),
      headerValue.map((v) => `Bearer ${v}`),
      headerValue,
      fc.constant('Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.'),
      fc.constantFrom('apiKey', 'readKey'),
      junkApiKey.map((k) => `Bearer ${k}`),
    );
    const query = fc.array(fc.tuple(fc.constantFrom('token', 'streamId', 'id', '__proto__', 'limit', 'cursor', 'q', 'status'), pathValue), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops), pathValue, query, auth, async (op, id, q, a) => {
        const qs = q.length ? `?${q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : '';
        const path = fill(op.path, { id }) + qs;
        const headers: Record<string, string> = {};
        if (a === 'session') headers.authorization = `Bearer ${sessionFor(op.path)}`;
        else if (a === 'apiKey') headers.authorization = `Bearer ${keys.all}`;
        else if (a === 'readKey') headers.authorization = `Bearer ${keys.read}`;
        else if (a !== null) headers.authorization = a;
        const body = op.hasBody ? '{}' : undefined;
        if (body) headers['content-type'] = 'application/json';
        const r = await checked(`${op.method} ${path} auth=${String(a).slice(0, 40)}`, () => raw(base, op.method, path, { body, headers }));
        // Without a valid session, session routes answer 401 before anything else.
        // (A junk id like '..' can also make the path match no route at all: 404 from the fallback.)
        // An id of '.' or '..' is a dot segment: the client resolves it before sending, so the
        // request is for another path (maybe another route's), not this operation with a junk id.
        const sentElsewhere = new URL(fill(op.path, { id }), base).pathname !== fill(op.path, { id });
        const noRoute = sentElsewhere || (r.status === 404 && /^No route/.test(r.body.error.message));
        if (op.session && (a === 'apiKey' || a === 'readKey')) {
          // A valid key: never a 401; refused before anything else where it has no business.
          const granted = a === 'apiKey' ? op.scope !== null : op.scope === 'streams:read';
          if (!granted && !noRoute) {
            expect(r.status, `${op.method} ${path} → ${r.status}`).toBe(403);
            expect(r.body.error.code).toBe(op.scope ? 'insufficient_scope' : 'session_required');
          } else expect(r.status, `${op.method} ${path} → ${r.status}`).not.toBe(401);
        } else if (op.session && a !== 'session') {
          expect(r.status === 401 || noRoute, `${op.method} ${path} → ${r.status}`).toBe(true);
        }
        await keepOwnerLoggedIn(op.path);
      }),
      { numRuns: RUNS },
    );
    expect((await raw(base, 'GET', '/healthz')).status).toBe(200);
  });

  it('list parameters (limit, cursor, q, status, repeated too) on every paginated list: never 5xx, 200 is a page', { timeout: 60_000 }, async () => {
    const lists = ops.filter((o) => o.method === 'GET' && o.queryParams.includes('cursor'));
    // Found from the document, so a new paginated list is covered without touching this file.
    expect(lists.map((o) => o.path)).toEqual(expect.arrayContaining(['/api/streams', '/api/streams/{id}/sessions', '/api/vods', '/api/webhooks', '/api/webhooks/{id}/deliveries', '/api/admin/users', '/api/admin/invites']));
    const param = fc.oneof(
      limitValue.map((v) => ['limit', v] as const),
      cursorValue.map((v) => ['cursor', v] as const),
      searchValue.map((v) => ['q', v] as const),
      statusValue.map((v) => ['status', v] as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), fc.array(param, { minLength: 1, maxLength: 4 }), async (op, params) => {
        const qs = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const path = `${fill(op.path, { id: realId(op.path) })}?${qs}`;
        const r = await checked(`GET ${path}`, () => raw(base, 'GET', path, { headers: { authorization: `Bearer ${sessionFor(op.path)}` } }));
        if (r.status === 200) {
          expect(typeof r.body.nextCursor === 'string' || r.body.nextCursor === null, path).toBe(true);
          expect(Object.values(r.body).some(Array.isArray), path).toBe(true);
        } else {
          expect(r.status, `${path} → ${r.status}`).toBe(400);
          expect(r.body.error.code).toBe('validation_error');
        }
      }),
      { numRuns: RUNS },
    );
    expect((await raw(base, 'GET', '/healthz')).status).toBe(200);
  });
});
