// Benchmark of reconnect-window expiry: N streams (100) drop their publisher and their windows are
// made to close at the same instant; two backend replicas (child processes, NODE_ENV=production,
// real PostgreSQL and Redis, a throw-away database) sweep for them. Reported per stream:
// (stream.ended recorded in the webhook outbox − deadline) and (status written − deadline).
// Run: npm run bench:reconnect-expiry   (= npx tsx bench/reconnect-expiry.ts)
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { signPublish } from '../backend/src/auth/tokens.js';
import { omeSignature } from '../backend/src/ome/signature.js';
import { percentile } from './support/open-loop.js';
import { backendSecrets, scratchDatabase, startChild } from './support/setup.js';

const SECRET = randomBytes(32).toString('hex');
const env = {
  PUBLISH_JWT_SECRET: randomBytes(32).toString('hex'),
  PLAYBACK_JWT_SECRET: randomBytes(32).toString('hex'),
  SESSION_JWT_SECRET: randomBytes(32).toString('hex'),
};
const STREAMS = Number(process.env.BENCH_STREAMS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 2);
const SWEEP_MS = process.env.RECONNECT_SWEEP_INTERVAL_MS ?? '500';
/** The common deadline is set this far after the last closing was answered. */
const LEAD_MS = 3_000;

const time = () => new Date().toISOString().replace('Z', '+00:00');
async function admission(port: number, body: object) {
  const raw = JSON.stringify(body);
  const res = await fetch(`http://127.0.0.1:${port}/api/ome/admission`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ome-signature': omeSignature(SECRET, raw) },
    body: raw,
  });
  return (await res.json()) as { allowed?: boolean };
}
const rtmp = (id: string, status: 'opening' | 'closing', port: number) => {
  const url = `rtmp://localhost:1935/app/${id}?token=${signPublish({ streamId: id, keyVersion: 1 }, env.PUBLISH_JWT_SECRET)}`;
  return { client: { address: '127.0.0.1', port, real_ip: '127.0.0.1' }, request: { direction: 'incoming', protocol: 'RTMP', status, time: time(), url, ...(status === 'closing' ? { new_url: url } : {}) } };
};
const pct = (xs: number[], p: number) => percentile([...xs].sort((a, b) => a - b), p);

async function main() {
  const db = await scratchDatabase('ocp_bench_reconnect');
  const prefix = `ocpbench-reconnect:${process.pid}`;
  const replicas: Awaited<ReturnType<typeof startChild>>[] = [];
  for (let i = 0; i < REPLICAS; i++) {
    replicas.push(
      await startChild('backend/src/main.ts', {
        ...backendSecrets(), ...env, DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, HOST: '127.0.0.1', PORT: '0',
        LOG_LEVEL: 'info', OME_WEBHOOK_SECRET: SECRET, OME_PUBLIC_HOST: 'localhost', NODE_ENV: 'production',
        // No OME here: start-up reconcile only (it changes nothing when OME cannot be asked).
        OME_API_URL: 'http://127.0.0.1:9', OME_RECONCILE_INTERVAL_SECONDS: '0',
        // The outbox records deliveries; sending them is not what is measured.
        WEBHOOK_WORKER: 'false', RECONNECT_SWEEP_INTERVAL_MS: SWEEP_MS,
      }),
    );
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const rows: Record<string, string | number>[] = [];
  const all: number[] = [];
  try {
    const owner = randomUUID();
    await c.query(`INSERT INTO "User"(id,email,"passwordHash","updatedAt") VALUES ($1,'bench@example.test','x',now())`, [owner]);
    await c.query(`INSERT INTO "WebhookEndpoint"(id,"ownerId",url,secret,events,"updatedAt") VALUES ($1,$2,'http://127.0.0.1:9/h','whsec_x',ARRAY['stream.disconnected','stream.ended'],now())`, [randomUUID(), owner]);
    for (let run = 1; run <= RUNS; run++) {
      const ids = Array.from({ length: STREAMS }, () => randomUUID());
      await c.query(`INSERT INTO "Stream"(id,"ownerId",name,"reconnectWindowSeconds","updatedAt") SELECT unnest($1::uuid[]), $2, 'b', 600, now()`, [ids, owner]);
      // Publish and drop, spread over the replicas as a load balancer would.
      await Promise.all(ids.map(async (id, n) => {
        const r = replicas[n % replicas.length]!;
        if (!(await admission(r.port, rtmp(id, 'opening', 30000 + n))).allowed) throw new Error('publish refused');
        await admission(replicas[(n + 1) % replicas.length]!.port, rtmp(id, 'closing', 30000 + n));
      }));
      const reconnecting = (await c.query(`SELECT count(*)::int AS n FROM "Stream" WHERE id = ANY($1::uuid[]) AND status = 'reconnecting'`, [ids])).rows[0].n;
      if (reconnecting !== STREAMS) throw new Error(`only ${reconnecting} of ${STREAMS} streams reconnecting`);
      // Every window closes at the same instant (DB clock, UTC like the column).
      const { rows: [d] } = await c.query(
        `UPDATE "Stream" SET "reconnectDeadline" = date_trunc('milliseconds', (now() AT TIME ZONE 'UTC') + make_interval(secs => $2::float8 / 1000))
         WHERE id = ANY($1::uuid[]) RETURNING "reconnectDeadline" AS deadline`, [ids, LEAD_MS]);
      const deadline = (d as { deadline: Date }).deadline;
      const stop = Date.now() + LEAD_MS + 20_000;
      for (;;) {
        const n = (await c.query(`SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE "eventType" = 'stream.ended' AND payload->'data'->>'streamId' = ANY($1::text[])`, [ids])).rows[0].n;
        if (n >= STREAMS) break;
        if (Date.now() > stop) throw new Error(`only ${n} of ${STREAMS} stream.ended recorded 20 s after the deadline`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1_500)); // any second stream.ended would show up by now
      const ended = await c.query(
        `SELECT payload->'data'->>'streamId' AS id, "createdAt" AS recorded FROM "WebhookDelivery" WHERE "eventType" = 'stream.ended' AND payload->'data'->>'streamId' = ANY($1::text[])`, [ids]);
      const status = await c.query(`SELECT id::text, status, "updatedAt" AS at FROM "Stream" WHERE id = ANY($1::uuid[])`, [ids]);
      const perStream = new Map<string, number>();
      for (const r of ended.rows as { id: string; recorded: Date }[]) perStream.set(r.id, (perStream.get(r.id) ?? 0) + 1);
      const twice = [...perStream.values()].filter((n) => n > 1).length;
      const recorded = (ended.rows as { recorded: Date }[]).map((r) => r.recorded.getTime() - deadline.getTime());
      const written = (status.rows as { status: string; at: Date }[]).filter((r) => r.status === 'ended').map((r) => r.at.getTime() - deadline.getTime());
      all.push(...recorded);
      rows.push({
        run, streams: STREAMS, replicas: REPLICAS, 'sweep ms': Number(SWEEP_MS),
        'ended (status)': written.length, 'stream.ended': ended.rowCount ?? 0, 'sent twice': twice,
        'status written − deadline p50/p99 ms': `${pct(written, 50)} / ${pct(written, 99)}`,
        'stream.ended recorded − deadline p50/p99 ms': `${pct(recorded, 50)} / ${pct(recorded, 99)}`,
        'min ms': Math.min(...recorded),
      });
    }
    console.table(rows);
    console.log(`all runs: stream.ended recorded − deadline p50 ${pct(all, 50)} ms, p99 ${pct(all, 99)} ms, max ${Math.max(...all)} ms (target p99 < 2000 ms)`);
    console.log(`machine: ${(await import('node:os')).cpus().length} cores`);
  } finally {
    await c.end();
    for (const r of replicas) r.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    await db.drop();
  }
}

await main();
