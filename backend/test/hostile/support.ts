// Shared by the hostile-input and authorization suites: a backend on its OWN migrated database (so
// "nothing was written" can be checked over every table while other suites run in parallel), raw
// HTTP requests that never hang on streaming answers, the operations listed by the OpenAPI
// document, and the well-formedness rule every answer must obey.
import pg from 'pg';
import { expect } from 'vitest';
import { isolatedDatabase, startTestBackend } from '../helpers.js';
import type { RunningBackend } from '../../src/server.js';

export interface Isolated {
  backend: RunningBackend;
  pg: pg.Client;
  /** count + content hash of every table (new tables are picked up automatically). */
  fingerprint(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function isolatedBackend(overrides: Record<string, string> = {}): Promise<Isolated> {
  const db = await isolatedDatabase('hostile');
  const databaseUrl = db.url;
  const backend = await startTestBackend({ DATABASE_URL: databaseUrl, LOGIN_RATE_LIMIT_PER_MINUTE: '1000000', ...overrides });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // Columns that an authenticated request may write even when it is refused: an API key's last-used
  // time records every request the key authenticated (throttled to once a minute), so its owner can
  // tell a key is still in use before revoking it. Nothing else about the key may change. A
  // dashboard session's last-seen time is the same record for sessions.
  const ignored: Record<string, string[]> = { ApiKey: ['lastUsedAt'], Session: ['lastSeenAt'] };
  const tables = (
    await client.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`)
  ).rows.map((r) => r.t);
  return {
    backend,
    pg: client,
    async fingerprint() {
      const out: Record<string, string> = {};
      for (const t of tables) {
        const skip = ignored[t];
        const row = skip ? `(to_jsonb(x) - ${skip.map((c) => `'${c}'`).join(' - ')})::text` : 'x::text';
        const r = await client.query<{ n: number; h: string }>(`SELECT count(*)::int AS n, md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) AS h FROM "${t}" x`);
        out[t] = `${r.rows[0]!.n}:${r.rows[0]!.h}`;
      }
      return out;
    },
    async stop() {
      await backend.stop();
      await client.end();
      await db.drop();
    },
  };
}

export interface RawRes {
  status: number;
  contentType: string;
  body: any;
  text: string;
  headers: Headers;
}

/** One HTTP request with raw bytes; streaming answers (SSE) are cut after the headers. */
export async function raw(base: string, method: string, path: string, opts: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<RawRes> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 10_000);
  try {
    const res = await fetch(base + path, { method, headers: opts.headers, body: opts.body, signal: ctrl.signal, redirect: 'manual' });
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, contentType, body: null, text: '', headers: res.headers };
    }
    const text = await res.text();
    let body: any = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, contentType, body, text, headers: res.headers };
  } finally {
    clearTimeout(timer);
  }
}

/** The contract for every answer: 2xx, 3xx or 4xx, never 5xx; a 4xx carries `{error:{code,message}}`. */
export function expectWellFormed(r: RawRes, what: string): void {
  expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.contentType, what).toMatch(/^application\/json/);
    expect(typeof r.body?.error?.code, `${what}: ${r.text.slice(0, 200)}`).toBe('string');
    expect(typeof r.body?.error?.message, what).toBe('string');
  }
}

export interface Operation {
  method: string;
  /** OpenAPI form, e.g. /api/streams/{id} */
  path: string;
  session: boolean;
  /** The API key scope the route accepts (OpenAPI security alternative `apiKey: [scope]`); null = sessions only. */
  scope: string | null;
  hasBody: boolean;
  pathParams: string[];
  queryParams: string[];
}

export async function listOperations(base: string): Promise<Operation[]> {
  const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { security?: Record<string, string[]>[]; requestBody?: unknown; parameters?: { name: string; in: string }[] }>>;
  };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        session: Array.isArray(op.security) && op.security.length > 0,
        scope: op.security?.find((s) => s.apiKey)?.apiKey?.[0] ?? null,
        hasBody: op.requestBody !== undefined,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return ops;
}

export const fill = (path: string, values: Record<string, string>) =>
  path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? values.id ?? 'x'));
