// Typed test clients over real HTTP against a real backend (real PostgreSQL and Redis).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { inject } from 'vitest';
import { buildConfig, type Config } from '../src/config/index.js';
import { parseEnv } from '../src/config/env.js';
import { createLogger } from '../src/http/logger.js';
import { omeSignature } from '../src/ome/signature.js';
import { startBackend, type BackendHooks, type RunningBackend } from '../src/server.js';
import { applyMigrations } from './global-setup.js';

export const OME_SECRET = 'test-ome-webhook-secret';

/** Suites whose webhook receivers listen on loopback opt in, as an operator with an internal receiver would. */
export const LOOPBACK_RECEIVERS = { WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' } as const;

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${inject('redisPrefix')}:${Math.random().toString(36).slice(2, 8)}`,
    SESSION_JWT_SECRET: 'session-secret-session-secret-session-secret',
    PUBLISH_JWT_SECRET: 'publish-secret-publish-secret-publish-secret',
    PLAYBACK_JWT_SECRET: 'playback-secret-playback-secret-playback-sec',
    OME_WEBHOOK_SECRET: OME_SECRET,
    OME_PUBLIC_HOST: 'live.example.test',
    // No OME here: its REST API is refused at once, and reconcile only runs at start-up (it changes
    // nothing when OME cannot be asked). Suites that stand in for OME override these.
    OME_API_URL: 'http://127.0.0.1:9',
    OME_RECONCILE_INTERVAL_SECONDS: '0',
    WEBHOOK_BACKOFF_MS: '50',
    WEBHOOK_DELIVERY_TIMEOUT_MS: '2000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Suites sign up freely, and their first account (on an isolated database) is a plain user;
    // the registration modes and first-admin rule have their own suite (src/admin/*.test.ts).
    REGISTRATION: 'open',
    FIRST_ACCOUNT_ADMIN: 'false',
    OME_KICK_BACKOFF_MS: '50',
    // A random stream-key ring per backend (restream outputs); suites that restart a backend pass theirs.
    OUTPUT_ENCRYPTION_KEYS: `t${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`,
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return buildConfig(parseEnv(testEnv(overrides)));
}

/** Collects log lines so tests can assert what (not) gets logged. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.lines.push(chunk.toString());
    cb();
  }
  get text() {
    return this.lines.join('');
  }
}

export async function startTestBackend(overrides: Record<string, string> = {}, logs?: LogCapture, hooks: BackendHooks = {}): Promise<RunningBackend> {
  const config = testConfig(overrides);
  const logger = createLogger(logs ? 'info' : 'silent', logs);
  return startBackend(config, logger, hooks);
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  token: string | null = null;
  constructor(readonly base: string) {}

  async req<T = any>(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const res = await fetch(this.base + p, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(p: string) => this.req<T>('GET', p);
  post = <T = any>(p: string, b?: unknown) => this.req<T>('POST', p, b ?? {});
  patch = <T = any>(p: string, b: unknown) => this.req<T>('PATCH', p, b);
  del = <T = any>(p: string) => this.req<T>('DELETE', p);

  /** Registers a fresh user and keeps its session. */
  async signUp(email = `u${Date.now()}${Math.random().toString(36).slice(2, 7)}@example.test`, password = 'correct horse battery') {
    const r = await this.post('/api/auth/register', { email, password });
    if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
    this.token = r.body.token;
    return r.body.user as { id: string; email: string; role: string };
  }

  async createStream(body: Record<string, unknown> = { name: 'My show' }) {
    const r = await this.post('/api/streams', body);
    if (r.status !== 201) throw new Error(`create stream failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { stream: any; ingest: { rtmp: { server: string; streamKey: string }; srt: { url: string }; whip: { url: string } } };
  }
}

// ---- OME admission webhooks, built from payloads captured from OME 0.20.0 ----
const FIXTURES = path.join(import.meta.dirname, 'fixtures/ome/webhooks');

export interface OmeCapture {
  rawBody: string;
  parsedBody: { client: Record<string, unknown>; request: Record<string, unknown> };
  headers: Record<string, string>;
}

export function omeFixture(name: string): OmeCapture {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as OmeCapture;
}

/** Now, in the form OME writes `request.time` (2026-11-22T00:41:56.474+00:00). */
export const omeTime = (ms = Date.now()) => new Date(ms).toISOString().replace('Z', '+00:00');

/**
 * A captured OME request with its URL (and optionally other fields) replaced, keeping OME's key
 * order. `request.time` is now, as OME would stamp it, unless the caller sets it.
 */
export function omeBody(name: string, request: Record<string, unknown>, client: Record<string, unknown> = {}): string {
  const f = omeFixture(name).parsedBody;
  return JSON.stringify({ client: { ...f.client, ...client }, request: { ...f.request, time: omeTime(), ...request } });
}

export async function sendAdmission(base: string, rawBody: string, signature: string | null = omeSignature(OME_SECRET, rawBody)): Promise<Res> {
  const res = await fetch(`${base}/api/ome/admission`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'OvenMediaEngine',
      ...(signature !== null ? { 'x-ome-signature': signature } : {}),
    },
    body: rawBody,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** The URL OBS would connect to: RTMP server + "/" + stream key. */
export const rtmpPublishUrl = (ingest: { rtmp: { server: string; streamKey: string } }) => `${ingest.rtmp.server}/${ingest.rtmp.streamKey}`;

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A migrated database of the test's own, for suites whose assertions cover the whole database
 * (start-up reconcile, "nothing was written anywhere") and so must not see other files' rows.
 */
export async function isolatedDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `ocp_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  applyMigrations(u.toString());
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
