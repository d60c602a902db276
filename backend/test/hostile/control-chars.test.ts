// The guard for NUL and control characters (issue 17, item 3): walks /api/openapi.json, builds a
// valid request for every operation from its own schema, then puts NUL (and other C0 controls)
// into each string field, query parameter and path parameter in turn. Every such request must be
// refused with 400 validation_error naming that field — a new route whose schema uses a bare
// z.string() fails here without anyone editing this file. PostgreSQL refuses U+0000 in text
// (22021), which used to surface as a 500 and, for some fields, was stored as-is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, sendAdmission } from '../helpers.js';
import { CONTROL_CHARACTERS } from './arbitraries.js';
import { fill, isolatedBackend, raw, type Isolated } from './support.js';

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
};
type Op = {
  requestBody?: { content?: Record<string, { schema: Schema }> };
  parameters?: { name: string; in: string; schema?: Schema }[];
};

let iso: Isolated;
let base: string;
let owner: Client;
let doc: { paths: Record<string, Record<string, Op>>; components?: { schemas?: Record<string, Schema> } };
const ids: Record<string, string> = {};
let seq = 0;
let adminToken = '';

beforeAll(async () => {
  iso = await isolatedBackend();
  base = iso.backend.url;
  owner = new Client(base);
  await owner.signUp();
  ids.stream = (await owner.createStream({ name: 'target' })).stream.id;
  const hook = await owner.post('/api/webhooks', { url: 'https://example.com/hook' });
  ids.webhook = hook.body?.endpoint?.id ?? crypto.randomUUID();
  // /api/admin/* is for admins: an admin's session speaks there, so validation is reached.
  const admin = new Client(base);
  const a = await admin.signUp();
  await iso.backend.ctx.db.user.update({ where: { id: a.id }, data: { role: 'admin' } });
  await iso.backend.ctx.sessions.forget(a.id);
  adminToken = admin.token!;
  ids.victim = (await new Client(base).signUp()).id;
  doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as typeof doc;
});
afterAll(() => iso?.stop());

const deref = (s: Schema): Schema => (s.$ref ? deref(doc.components!.schemas![s.$ref.split('/').pop()!]!) : s);
const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);
/** Strings whose format already excludes control characters (and enums) need no check of their own. */
const isFreeString = (s: Schema) => typeOf(s) === 'string' && !s.enum && s.format !== 'uuid' && s.format !== 'date-time';

/** A value the schema accepts (the sampler follows types, formats, enums and minimum sizes). */
function sample(s0: Schema): unknown {
  const s = deref(s0);
  const alt = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alt) return sample(alt[0]!);
  if (s.enum) return s.enum[0];
  switch (typeOf(s)) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v)]));
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items ?? {}));
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'string':
      if (s.format === 'email') return `ctl-${Date.now()}-${seq++}@example.test`;
      if (s.format === 'uri' || s.format === 'url') return 'https://example.com/hook';
      if (s.format === 'uuid') return crypto.randomUUID();
      return 'x'.repeat(Math.max(8, s.minLength ?? 0));
    default:
      return null;
  }
}

/** Paths (a.b.0) of every free-text string in a sample, with its schema. */
function stringLeaves(s0: Schema, value: unknown, at: (string | number)[] = []): { path: (string | number)[]; schema: Schema }[] {
  const s = deref(s0);
  const alt = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alt) return stringLeaves(alt[0]!, value, at);
  if (typeOf(s) === 'object' && value && typeof value === 'object') {
    return Object.entries(s.properties ?? {}).flatMap(([k, v]) => stringLeaves(v, (value as Record<string, unknown>)[k], [...at, k]));
  }
  if (typeOf(s) === 'array' && Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(s.items ?? {}, v, [...at, i]));
  return isFreeString(s) ? [{ path: at, schema: s }] : [];
}

function setAt(obj: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(obj) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
  return copy;
}

/** A hostile value of the same shape: the control character inside an otherwise valid value. */
function poisoned(valid: string, schema: Schema, ch: string): string {
  if (schema.format === 'email') return valid.replace('@', `${ch}@`);
  if (schema.format === 'uri' || schema.format === 'url') return `${valid}${ch}x`;
  return `${valid.slice(0, 2)}${ch}${valid.slice(2)}`;
}

const realId = (path: string) => (path.startsWith('/api/admin/users') ? ids.victim! : path.startsWith('/api/webhooks') ? ids.webhook! : ids.stream!);
let current = '';
const auth = () => ({ authorization: `Bearer ${current.startsWith('/api/admin/') ? adminToken : owner.token}` });

function operations() {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
}

function expectRefused(r: Awaited<ReturnType<typeof raw>>, field: string, what: string) {
  expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 300)}`).toBe(400);
  expect(r.body?.error?.code, what).toBe('validation_error');
  expect((r.body.error.details ?? []).map((d: { path: string }) => d.path), what).toContain(field);
}

describe('NUL and control characters in every string of every request', () => {
  it('JSON bodies: each string field refuses each control character with 400 validation_error', { timeout: 60_000 }, async () => {
    let checked = 0;
    for (const { path, method, op } of operations()) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema || path === '/api/ome/admission') continue;
      current = path;
      const url = fill(path, { id: realId(path) });
      const valid = sample(schema);
      const leaves = stringLeaves(schema, valid);
      for (const leaf of leaves) {
        for (const ch of CONTROL_CHARACTERS) {
          const field = leaf.path.join('.');
          const body = setAt(sample(schema), leaf.path, poisoned(String(sample(leaf.schema)), leaf.schema, ch));
          const what = `${method} ${path} ${field}=…U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}…`;
          const r = await raw(base, method, url, { body: JSON.stringify(body), headers: { ...auth(), 'content-type': 'application/json' } });
          expectRefused(r, field, what);
          checked++;
        }
      }
    }
    // register, login (email, password), streams create/update (name, description), webhooks (url)
    expect(checked).toBeGreaterThanOrEqual(8 * CONTROL_CHARACTERS.length);
  });

  it('the sampler builds bodies the API accepts, so the refusals above are about the character', async () => {
    for (const { path, method, op } of operations()) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema || path === '/api/ome/admission') continue;
      current = path;
      const r = await raw(base, method, fill(path, { id: realId(path) }), { body: JSON.stringify(sample(schema)), headers: { ...auth(), 'content-type': 'application/json' } });
      expect(r.status, `${method} ${path} valid sample → ${r.status} ${r.text.slice(0, 200)}`).toBeLessThan(500);
      expect(r.body?.error?.code, `${method} ${path} valid sample → ${r.text.slice(0, 200)}`).not.toBe('validation_error');
    }
  });

  it('query and path parameters refuse control characters with 400 validation_error', { timeout: 60_000 }, async () => {
    for (const { path, method, op } of operations()) {
      if (path === '/api/ome/admission') continue;
      current = path;
      const params = (op.parameters ?? []).filter((p) => p.schema && isFreeString(deref(p.schema)));
      const body = op.requestBody?.content?.['application/json']?.schema;
      const bodyText = body ? JSON.stringify(sample(body)) : undefined;
      const headers = { ...auth(), ...(bodyText ? { 'content-type': 'application/json' } : {}) };
      for (const p of params) {
        for (const ch of CONTROL_CHARACTERS) {
          const value = `ab${ch}cd`;
          const what = `${method} ${path} ${p.in} ${p.name}=…U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}…`;
          // Other path parameters get a value their route accepts (a VOD variant playlist's name).
          const url = p.in === 'path'
            ? fill(path, { name: 'source.m3u8', [p.name]: value, id: p.name === 'id' ? value : realId(path) })
            : `${fill(path, { id: realId(path), name: 'source.m3u8' })}?${p.name}=${encodeURIComponent(value)}`;
          if (p.in !== 'path' && p.in !== 'query') continue;
          expectRefused(await raw(base, method, url, { body: bodyText, headers }), p.name, what);
        }
      }
    }
  });

  it('signed OME admission requests with a control character in any string are refused as malformed', async () => {
    const before = await iso.fingerprint();
    const fields: [string, 'client' | 'request'][] = [['address', 'client'], ['real_ip', 'client'], ['user_agent', 'client'], ['protocol', 'request'], ['url', 'request'], ['new_url', 'request'], ['time', 'request']];
    for (const [field, part] of fields) {
      const value = field === 'url' ? `rtmp://live.example.test:1935/app/${ids.stream}\u0000?token=x` : `1\u0000${field}`;
      const body = part === 'client' ? omeBody('rtmp-publish-opening', {}, { [field]: value }) : omeBody('rtmp-publish-opening', { [field]: value });
      const r = await sendAdmission(base, body);
      expect(r.status, `${part}.${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
    }
    expect(await iso.fingerprint()).toEqual(before);
  });
});
