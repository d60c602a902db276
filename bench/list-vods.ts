// Benchmark of the paginated VOD list: one creator with 5,000 VODs among other users' rows, asked
// over real HTTP (backend as a child process, real PostgreSQL and Redis, a throw-away database).
// Run: npm run bench:lists   (BENCH_VODS=5000 BENCH_OTHER_USERS=40 BENCH_OTHER_VODS=1000 BENCH_REQUESTS=200)
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { percentile } from './support/open-loop.js';
import { backendSecrets, scratchDatabase, startChild } from './support/setup.js';

const VODS = Number(process.env.BENCH_VODS ?? 5000);
const OTHER_USERS = Number(process.env.BENCH_OTHER_USERS ?? 40);
const OTHER_VODS = Number(process.env.BENCH_OTHER_VODS ?? 1000); // per other user
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const env = {
  PUBLISH_JWT_SECRET: 'bench-publish-secret-bench-publish-secret',
  PLAYBACK_JWT_SECRET: 'bench-playback-secret-bench-playback-secre',
  SESSION_JWT_SECRET: 'bench-session-secret-bench-session-secret',
};

/** Titles like the worker writes them ("<stream name> — <date>"), from a small vocabulary so `q=` hits vary. */
const SHOWS = ['Morning Show', 'Keynote', 'Town Hall', 'Match Day', 'Podcast Live', 'Studio Session', 'Q&A', 'Launch Event', 'Gaming Night', 'Concert'];

async function seed(url: string, creatorId: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const others = Array.from({ length: OTHER_USERS }, () => randomUUID());
    await c.query(
      `INSERT INTO "User"(id, email, "passwordHash", "updatedAt") SELECT id, 'other-' || id || '@example.test', 'x', now() FROM unnest($1::uuid[]) AS id`,
      [others],
    );
    // Ten streams per user, one per show name; VODs spread over them and over the last two years.
    await c.query(
      `INSERT INTO "Stream"(id, "ownerId", name, "updatedAt")
       SELECT gen_random_uuid(), u, ($2::text[])[s], now() FROM unnest($1::uuid[]) AS u, generate_series(1, 10) AS s`,
      [[creatorId, ...others], SHOWS],
    );
    const vods = async (owner: string, n: number) =>
      c.query(
        `WITH st AS (SELECT id, name, row_number() OVER (ORDER BY name) AS k FROM "Stream" WHERE "ownerId" = $1)
         INSERT INTO "Vod"(id, "ownerId", "streamId", "recordingId", status, title, "durationMs", "createdAt", "updatedAt", "readyAt")
         SELECT gen_random_uuid(), $1, st.id, 'bench-' || gen_random_uuid(),
                (CASE WHEN i % 20 = 0 THEN 'failed' WHEN i % 50 = 1 THEN 'processing' ELSE 'ready' END)::"VodStatus",
                st.name || ' — ' || to_char(now() - i * interval '3 hours', 'YYYY-MM-DD HH24:MI'), 3600000,
                now() - i * interval '3 hours', now(), now() - i * interval '3 hours'
         FROM generate_series(1, $2::int) AS i JOIN st ON st.k = 1 + i % 10`,
        [owner, n],
      );
    await vods(creatorId, VODS);
    for (const o of others) await vods(o, OTHER_VODS);
    await c.query('ANALYZE');
    const counts = (await c.query(`SELECT count(*)::int AS all, count(*) FILTER (WHERE "ownerId" = $1)::int AS mine FROM "Vod"`, [creatorId])).rows[0];
    return counts as { all: number; mine: number };
  } finally {
    await c.end();
  }
}

/** REQUESTS sequential requests (one at a time, keep-alive): latency as a dashboard user sees it. */
async function measure(name: string, base: string, token: string, path: string, expectItems: (n: number) => boolean) {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 10; i++) {
    const t0 = performance.now();
    const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    const body = (await r.json()) as { vods?: unknown[] };
    const ms = performance.now() - t0;
    if (r.status !== 200 || !body.vods || !expectItems(body.vods.length)) throw new Error(`${name}: ${r.status} ${JSON.stringify(body).slice(0, 200)}`);
    if (i >= 10) times.push(ms); // the first 10 warm up connections, caches and the JIT
  }
  times.sort((a, b) => a - b);
  return { name, p50: +percentile(times, 50).toFixed(1), p99: +percentile(times, 99).toFixed(1), max: +times.at(-1)!.toFixed(1) };
}

async function main() {
  const db = await scratchDatabase('ocp_bench_lists');
  const backend = await startChild('backend/src/main.ts', {
    ...backendSecrets(), ...env, DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `ocpbench:${process.pid}`, HOST: '127.0.0.1', PORT: '0',
    LOG_LEVEL: 'info', OME_PUBLIC_HOST: 'localhost', NODE_ENV: 'production',
    OME_RECONCILE_INTERVAL_SECONDS: '0', OME_API_URL: 'http://127.0.0.1:9',
    // The creator is the first account of this empty instance: as admin it would list every owner's VODs.
    FIRST_ACCOUNT_ADMIN: 'false',
  });
  const base = `http://127.0.0.1:${backend.port}`;
  try {
    const reg = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `creator-${process.pid}@example.test`, password: 'bench-password-123' }),
    });
    const { token, user } = (await reg.json()) as { token: string; user: { id: string } };
    const t0 = performance.now();
    const counts = await seed(db.url, user.id);
    console.log(`seeded ${counts.mine} VODs for the creator, ${counts.all} in all (${OTHER_USERS} other users), in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Walk every page once (also gives the deep cursor): no duplicates, nothing missing.
    const walkStart = performance.now();
    const ids = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    let deepCursor = '';
    do {
      const r = await fetch(`${base}/api/vods?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await r.json()) as { vods: { id: string }[]; nextCursor: string | null };
      for (const v of body.vods) ids.add(v.id);
      cursor = body.nextCursor;
      if (++pages === Math.floor(VODS / 100) - 1 && cursor) deepCursor = cursor;
    } while (cursor);
    const walkMs = performance.now() - walkStart;
    if (ids.size !== counts.mine) throw new Error(`walk saw ${ids.size} of ${counts.mine}`);
    console.log(`walked all ${pages} pages of 100 (${ids.size} distinct VODs) in ${walkMs.toFixed(0)} ms`);

    const rows = [
      await measure('first page (limit 50)', base, token, '/api/vods', (n) => n === 50),
      await measure(`deep page (after row ${(Math.floor(VODS / 100) - 1) * 100}, limit 50)`, base, token, `/api/vods?cursor=${deepCursor}`, (n) => n === 50),
      await measure('q=keynote (10 % of titles)', base, token, '/api/vods?q=keynote', (n) => n === 50),
      await measure('q=2026-01-0 (rare)', base, token, `/api/vods?q=${encodeURIComponent('2026-01-0')}`, (n) => n >= 0),
      await measure('q=zzz (no match)', base, token, '/api/vods?q=zzz', (n) => n === 0),
      await measure('status=processing', base, token, '/api/vods?status=processing', (n) => n === 50),
      await measure('first page, limit 100', base, token, '/api/vods?limit=100', (n) => n === 100),
    ];
    console.table(rows);

    // The same queries straight on PostgreSQL: which index answers, and the database's share of the time.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const plans: Record<string, string> = {
      'first page': `SELECT * FROM "Vod" WHERE "ownerId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
      'deep page': `SELECT * FROM "Vod" WHERE "ownerId" = $1 AND "createdAt" <= now() - interval '14700 hours' AND ("createdAt" < now() - interval '14700 hours' OR id < 'ffffffff-ffff-ffff-ffff-ffffffffffff') ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
      'status=processing': `SELECT * FROM "Vod" WHERE "ownerId" = $1 AND status = 'processing' ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
      'q=keynote': `SELECT * FROM "Vod" WHERE "ownerId" = $1 AND title ILIKE '%keynote%' ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
      'q=2026-01-0': `SELECT * FROM "Vod" WHERE "ownerId" = $1 AND title ILIKE '%2026-01-0%' ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
      'q=zzz': `SELECT * FROM "Vod" WHERE "ownerId" = $1 AND title ILIKE '%zzz%' ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
      'q=keynote, all owners (admin)': `SELECT * FROM "Vod" WHERE title ILIKE '%keynote%' ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
      'q=2026-01-0, all owners (admin)': `SELECT * FROM "Vod" WHERE title ILIKE '%2026-01-0%' ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
    };
    for (const [name, sql] of Object.entries(plans)) {
      const params = sql.includes('$1') ? [user.id] : [];
      for (let i = 0; i < 5; i++) await c.query(sql, params);
      const plan = (await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
      const indexes = new Set<string>();
      const visit = (n: { 'Index Name'?: string; Plans?: unknown[] }) => {
        if (n['Index Name']) indexes.add(n['Index Name']);
        for (const p of (n.Plans ?? []) as (typeof n)[]) visit(p);
      };
      visit(plan.Plan);
      console.log(`SQL ${name}: ${plan['Execution Time'].toFixed(2)} ms in PostgreSQL, via ${[...indexes].join(', ') || 'no index (seq scan)'}`);
    }
    await c.end();

    const load = await autocannon({
      url: `${base}/api/vods`, connections: 10, duration: 5, headers: { authorization: `Bearer ${token}` },
    });
    console.log(`first page under load (10 connections, 5 s): ${Math.round(load.requests.average)} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, non2xx ${load.non2xx}`);
  } finally {
    backend.child.kill('SIGTERM');
    await new Promise((r) => backend.child.once('exit', r));
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
