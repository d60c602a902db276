// Benchmark of the health sampler (issue 15.2): N live broadcasts (500) in a throw-away database,
// one backend replica (child process, NODE_ENV=production) sampling them every
// HEALTH_SAMPLE_INTERVAL_MS from a stand-in for OME's REST API in this process, which answers every
// stream with the captured OME 0.20 stream and stats bodies. Reported: the backend's CPU (from
// /proc, user+system) with the sampler on, and the same backend with the sampler off as the
// baseline; OME requests per second; samples written per tick; how long a tick keeps OME busy.
// Run: npm run bench:health-sampler   (= npx tsx bench/health-sampler.ts)
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { backendSecrets, root, scratchDatabase, startChild } from './support/setup.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const INTERVAL_MS = Number(process.env.HEALTH_SAMPLE_INTERVAL_MS ?? 5000);
const FIXTURES = path.join(root, 'backend/test/fixtures/ome/rest-api');
const streamBody = readFileSync(path.join(FIXTURES, 'get-stream-stream1-rtmp.json'), 'utf8');
const statsBody = readFileSync(path.join(FIXTURES, 'get-stats-stream1.json'), 'utf8');
const TOKEN = randomBytes(32).toString('hex');
const AUTH = `Basic ${Buffer.from(TOKEN).toString('base64')}`;

/** OME's REST API for `ids`: records when each sampler request arrived. */
async function omeStandIn(ids: string[]) {
  const arrivals: number[] = [];
  const list = JSON.stringify({ statusCode: 200, message: 'OK', response: ids });
  const server = createServer((req, res) => {
    const send = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (req.headers.authorization !== AUTH) return send(401, '{"statusCode":401,"message":"Unauthorized"}');
    const url = req.url ?? '';
    if (url === '/v1/vhosts/default/apps/app/streams') return send(200, list);
    const one = /^\/v1\/vhosts\/default\/apps\/app\/streams\/([^/?]+)$/.exec(url);
    if (one) {
      arrivals.push(Date.now());
      return send(200, streamBody.replaceAll('"stream1"', JSON.stringify(decodeURIComponent(one[1]!))));
    }
    if (/^\/v1\/stats\/current\/vhosts\/default\/apps\/app\/streams\/[^/?]+$/.test(url)) {
      arrivals.push(Date.now());
      return send(200, statsBody);
    }
    send(404, '{"statusCode":404,"message":"Not found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function measure(dbUrl: string, omeUrl: string, intervalMs: number) {
  const backend = await startChild('backend/src/main.ts', {
    ...backendSecrets(),
    DATABASE_URL: dbUrl, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `ocpbench-sampler:${process.pid}`, HOST: '127.0.0.1', PORT: '0',
    LOG_LEVEL: 'info', OME_PUBLIC_HOST: 'localhost', NODE_ENV: 'production',
    OME_API_URL: omeUrl, OME_API_ACCESS_TOKEN: TOKEN, OME_RECONCILE_INTERVAL_SECONDS: '0', WEBHOOK_WORKER: 'false',
    HEALTH_SAMPLE_INTERVAL_MS: String(intervalMs),
  });
  try {
    await new Promise((r) => setTimeout(r, 3_000)); // start-up work (reconcile, first ticks of the other pollers) is not measured
    const cpu0 = cpuSeconds(backend.child.pid!);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    return { cpu: cpuSeconds(backend.child.pid!) - cpu0, wall: (Date.now() - t0) / 1000, t0 };
  } finally {
    backend.child.kill('SIGTERM');
    await new Promise((r) => backend.child.once('exit', r));
  }
}

async function main() {
  const db = await scratchDatabase('ocp_bench_sampler');
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const ids = Array.from({ length: STREAMS }, () => randomUUID());
  const ome = await omeStandIn(ids);
  try {
    const owner = randomUUID();
    await c.query(`INSERT INTO "User"(id,email,"passwordHash","updatedAt") VALUES ($1,'bench@example.test','x',now())`, [owner]);
    await c.query(`INSERT INTO "Stream"(id,"ownerId",name,status,"updatedAt") SELECT unnest($1::uuid[]), $2, 'b', 'live', now()`, [ids, owner]);
    await c.query(`INSERT INTO "StreamSession"(id,"streamId",protocol,"clientAddress","clientPort") SELECT gen_random_uuid(), unnest($1::uuid[]), 'rtmp', '127.0.0.1', 1935`, [ids]);

    const baseline = await measure(db.url, ome.url, 0);
    ome.arrivals.length = 0;
    await c.query(`DELETE FROM "StreamHealthSample"`);
    const on = await measure(db.url, ome.url, INTERVAL_MS);
    const inWindow = ome.arrivals.filter((t) => t >= on.t0 && t <= on.t0 + on.wall * 1000);
    // A tick's requests arrive in a burst; bursts are split where OME is idle for over a second.
    const bursts: number[][] = [];
    for (const t of inWindow) {
      const last = bursts.at(-1);
      if (last && t - last.at(-1)! < 1_000) last.push(t);
      else bursts.push([t]);
    }
    const busy = bursts.map((b) => b.at(-1)! - b[0]!).sort((a, b) => a - b);
    const ticks = (await c.query(`SELECT at, count(*)::int AS n FROM "StreamHealthSample" WHERE at BETWEEN $1 AND $2 GROUP BY at ORDER BY at`, [new Date(on.t0), new Date(on.t0 + on.wall * 1000)])).rows as { n: number }[];
    const share = (x: { cpu: number; wall: number }) => ((x.cpu / x.wall) * 100).toFixed(1);
    console.table([
      {
        streams: STREAMS, 'interval ms': INTERVAL_MS, 'seconds measured': SECONDS,
        'backend CPU, sampler off (% of a core)': share(baseline),
        'backend CPU, sampler on (% of a core)': share(on),
        'sampler share (% of a core)': (((on.cpu - baseline.cpu) / on.wall) * 100).toFixed(1),
        'OME requests/s': (inWindow.length / on.wall).toFixed(1),
        ticks: ticks.length,
        'samples per tick (min/max)': ticks.length ? `${Math.min(...ticks.map((t) => t.n))} / ${Math.max(...ticks.map((t) => t.n))}` : '0',
        'tick OME burst p50/max ms': busy.length ? `${busy[Math.floor(busy.length / 2)]} / ${busy.at(-1)}` : '-',
      },
    ]);
    console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
  } finally {
    await c.end();
    await ome.close();
    await db.drop();
  }
}

await main();
