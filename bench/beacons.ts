// Benchmark of the viewer beacon endpoint: 5,000 latency beacons a second for 20 s (50,000 players,
// one beacon every 10 s each, from 5,000 client addresses) against the real backend (child process,
// NODE_ENV=production, real PostgreSQL and Redis, a throw-away database), alongside OME playback
// admissions at a modest rate, as bench/admission.ts sends them. Open loop: every request leaves at
// its time whatever the answers do, spread evenly (no once-a-second bursts). First the same beacons
// go to a bare node:http server that only parses them and answers 204 (the ceiling of this machine
// at that moment: its p99 is what scheduling alone costs here).
// Printed: errors (anything but 204 / allowed:true), p50/p99 latency per kind, rows written per second
// and the mean batch size (from the backend's own counters), and whether every accepted beacon is stored.
// Run: npm run bench:beacons   (= npx tsx bench/beacons.ts, from the repository root)
// Knobs: BENCH_BEACON_RATE (5000/s), BENCH_SECONDS (20), BENCH_ADMISSION_RATE (200/s), BENCH_STREAMS (50),
// BENCH_PROFILE=<dir> (a CPU profile of the backend, bench/support/profiled-backend.ts),
// BENCH_COMPILED=1 (the built backend, `npm run build -w backend` first, instead of the sources under tsx).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { omeSignature } from '../backend/src/ome/signature.js';
import { openLoop, percentile as pct, type Outcomes } from './support/open-loop.js';
import { RawHttpPool, type RawAnswer } from './support/raw-http.js';
import { backendSecrets, scratchDatabase, startChild } from './support/setup.js';

// Fresh random secrets per run: the backend runs with NODE_ENV=production, which refuses known or weak ones.
const env = backendSecrets();
const SECRET = env.OME_WEBHOOK_SECRET!;
const RATE = Number(process.env.BENCH_BEACON_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ADMISSION_RATE = Number(process.env.BENCH_ADMISSION_RATE ?? 200);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 50);
const WARMUP_SECONDS = 3;
/** One beacon every 10 s per player: the rate needs this many players. */
const PLAYERS = RATE * 10;
/** Ten players per address (households, offices); each address then sends 1/s, far inside its budget. */
const ADDRESSES = Math.ceil(PLAYERS / 10);

const r2 = (n: number) => Math.round(n * 100) / 100;

function summarize(name: string, outs: Outcomes, seconds: number) {
  const lat = outs.sorted();
  return { kind: name, requests: outs.count, 'req/s': r2(outs.count / seconds), 'p50 ms': r2(pct(lat, 50)), 'p90 ms': r2(pct(lat, 90)), 'p99 ms': r2(pct(lat, 99)), 'max ms': r2(lat.at(-1) ?? NaN), errors: outs.failed };
}

/** The backend's own request-duration histogram for one route (cumulative buckets, seconds). */
async function serverBuckets(port: number, route: string): Promise<Map<number, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    if (!m[1]!.includes(`route="${route}"`)) continue;
    const le = /le="([^"]+)"/.exec(m[1]!)![1]!;
    const key = le === '+Inf' ? Infinity : Number(le);
    out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}
/** The bucket bound (ms) under which fraction p of the requests between two snapshots fell. */
function bucketPercentile(before: Map<number, number>, after: Map<number, number>, p: number): string {
  const les = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const le of les) if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= p * total) return le === Infinity ? '> 2500' : `≤ ${le * 1000}`;
  return '?';
}

/** A counter of the backend's /metrics (summed over its labels matching `labels`). */
async function metric(port: number, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))) if ((m[1] ?? '').includes(labels)) sum += Number(m[2]);
  return sum;
}

async function main() {
  const db = await scratchDatabase('ocp_bench_beacons');
  // BENCH_COMPILED=1: the built backend (`npm run build -w backend`, node backend/dist/main.js), as the image runs it.
  const compiled = process.env.BENCH_COMPILED === '1';
  const backend = await startChild(compiled ? 'backend/dist/main.js' : process.env.BENCH_PROFILE ? 'bench/support/profiled-backend.ts' : 'backend/src/main.ts', {
    ...env, DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `ocpbench-beacons:${process.pid}`, HOST: '127.0.0.1', PORT: '0',
    LOG_LEVEL: 'info', OME_PUBLIC_HOST: 'localhost', NODE_ENV: 'production',
    // No OME here: start-up reconcile only (it changes nothing when OME cannot be asked), no health sampling.
    OME_API_URL: 'http://127.0.0.1:9', OME_RECONCILE_INTERVAL_SECONDS: '0', HEALTH_SAMPLE_INTERVAL_MS: '0', WEBHOOK_WORKER: 'false',
    // The players' addresses arrive in X-Forwarded-For from the load balancer on loopback (the default TRUST_PROXY).
    TRUST_PROXY: 'loopback',
  }, { compiled });
  const bare = await startChild('bench/support/bare-beacon-server.ts', {});
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const pool = new RawHttpPool(backend.port, 256);
  const barePool = new RawHttpPool(bare.port, 256);
  try {
    // Streams on air: each with an open broadcast (session), as admission leaves them.
    const owner = randomUUID();
    await c.query(`INSERT INTO "User"(id,email,"passwordHash","updatedAt") VALUES ($1,'bench@example.test','x',now())`, [owner]);
    const streams = Array.from({ length: STREAMS }, () => ({ id: randomUUID(), sessionId: randomUUID() }));
    await c.query(`INSERT INTO "Stream"(id,"ownerId",name,visibility,status,"lastStartedAt","updatedAt") SELECT unnest($1::uuid[]), $2, 'live', 'public', 'live', now(), now()`, [streams.map((s) => s.id), owner]);
    await c.query(`INSERT INTO "StreamSession"(id,"streamId",protocol,"clientAddress","clientPort") SELECT unnest($1::uuid[]), unnest($2::uuid[]), 'rtmp', '203.0.113.1', 1`, [streams.map((s) => s.sessionId), streams.map((s) => s.id)]);

    // Player n watches stream n % STREAMS from address n % ADDRESSES; half WebRTC, half LL-HLS.
    const beacon = (n: number, offset = 0, target: 'backend' | 'bare' = 'backend') => {
      const player = offset + (n % PLAYERS);
      const s = streams[player % STREAMS]!;
      const webrtc = player % 2 === 0;
      const body = JSON.stringify({
        streamId: s.id, sessionId: s.sessionId, viewerId: `bench-player-${player}`, protocol: webrtc ? 'webrtc' : 'llhls',
        rendition: ['1080p', '720p', '480p'][player % 3], latencyMs: webrtc ? 150 + (player % 400) : 2000 + (player % 3000),
      });
      const a = player % ADDRESSES;
      const via = target === 'bare' ? barePool : pool;
      return via.post('/api/beacons/latency', body, { 'x-forwarded-for': `10.${(a >> 16) & 255}.${(a >> 8) & 255}.${a & 255}` });
    };
    // Playback admissions (LL-HLS and WebRTC of a public stream on air), signed as OME signs them.
    const time = () => new Date().toISOString().replace('Z', '+00:00');
    const admission = (n: number) => {
      const s = streams[n % STREAMS]!;
      const hls = n % 2 === 0;
      const raw = JSON.stringify({
        client: { address: `10.9.${(n >> 8) & 255}.${n & 255}`, port: 20000 + (n % 30000), real_ip: '10.9.0.1' },
        request: { direction: 'outgoing', protocol: hls ? 'LLHLS' : 'WebRTC', status: 'opening', time: time(), url: hls ? `http://localhost:3333/app/${s.id}/abr.m3u8` : `ws://localhost:3333/app/${s.id}/abr` },
      });
      return pool.post('/api/ome/admission', raw, { 'x-ome-signature': omeSignature(SECRET, raw) });
    };

    const noContent = (r: RawAnswer) => r.status === 204;
    const allowed = (r: RawAnswer) => r.status === 200 && r.body.includes('"allowed":true');
    // Warm-up (not reported): JIT, pools, caches, the Redis scripts. Other players than the run's.
    await openLoop(RATE, WARMUP_SECONDS, (n) => beacon(n, 0, 'bare'), noContent);
    const ceiling = await openLoop(RATE, SECONDS, (n) => beacon(n, 0, 'bare'), noContent);
    await Promise.all([openLoop(RATE, WARMUP_SECONDS, (n) => beacon(n, PLAYERS), noContent), openLoop(ADMISSION_RATE, WARMUP_SECONDS, admission, allowed)]);
    await new Promise((r) => setTimeout(r, 1500));
    const warm = Number((await c.query('SELECT count(*)::int AS n FROM "ViewerLatencySample"')).rows[0].n);
    const rows0 = await metric(backend.port, 'viewer_beacon_rows_written_total', 'kind="latency"');
    const batches0 = await metric(backend.port, 'viewer_beacon_batches_total', 'kind="latency"');

    const server0 = await serverBuckets(backend.port, '/api/beacons/latency');
    const cpu0 = await metric(backend.port, 'process_cpu_seconds_total');
    const genCpu0 = process.cpuUsage();
    const gc0 = { major: await metric(backend.port, 'nodejs_gc_duration_seconds_sum', 'kind="major"'), minor: await metric(backend.port, 'nodejs_gc_duration_seconds_sum', 'kind="minor"'), n: await metric(backend.port, 'nodejs_gc_duration_seconds_count', 'kind="major"') };
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t0 = performance.now();
    const startedAt = Date.now();
    const [beacons, admissions] = await Promise.all([openLoop(RATE, SECONDS, (n) => beacon(n), noContent), openLoop(ADMISSION_RATE, SECONDS, admission, allowed)]);
    const seconds = (performance.now() - t0) / 1000;
    lag.disable();
    const genCpu = process.cpuUsage(genCpu0);
    const cpu = (await metric(backend.port, 'process_cpu_seconds_total')) - cpu0;
    const server1 = await serverBuckets(backend.port, '/api/beacons/latency');
    const gc = {
      major: (await metric(backend.port, 'nodejs_gc_duration_seconds_sum', 'kind="major"')) - gc0.major,
      minor: (await metric(backend.port, 'nodejs_gc_duration_seconds_sum', 'kind="minor"')) - gc0.minor,
      n: (await metric(backend.port, 'nodejs_gc_duration_seconds_count', 'kind="major"')) - gc0.n,
    };
    // The last batch is written within a flush interval; wait for it (and no longer than 10 s).
    const accepted = beacons.outcomes.count - beacons.outcomes.failed;
    let stored = 0;
    const waitStart = performance.now();
    for (; performance.now() - waitStart < 10_000; await new Promise((r) => setTimeout(r, 200))) {
      stored = Number((await c.query('SELECT count(*)::int AS n FROM "ViewerLatencySample"')).rows[0].n) - warm;
      if (stored >= accepted) break;
    }
    const rows = (await metric(backend.port, 'viewer_beacon_rows_written_total', 'kind="latency"')) - rows0;
    const batches = (await metric(backend.port, 'viewer_beacon_batches_total', 'kind="latency"')) - batches0;
    const dropped = await metric(backend.port, 'viewer_beacon_rows_dropped_total');

    console.table([
      summarize('ceiling: bare node:http 204', ceiling.outcomes, SECONDS),
      summarize('beacon (POST /api/beacons/latency)', beacons.outcomes, seconds),
      summarize('admission (playback, signed)', admissions.outcomes, seconds),
    ]);
    const runs = { bare: ceiling.outcomes, beacon: beacons.outcomes, admission: admissions.outcomes };
    const errors = Object.values(runs).reduce((n, o) => n + o.failed, 0);
    const kinds = Object.entries(runs).flatMap(([kind, o]) => [...o.errors].map(([error, n]) => `  ${n} × ${kind}: ${error}`));
    for (const line of kinds.slice(0, 10)) console.log(line);
    const beaconLat = beacons.outcomes.sorted();
    const p99 = pct(beaconLat, 99);
    console.log(`backend: ${compiled ? 'compiled (node backend/dist/main.js)' : 'sources under tsx (backend/src/main.ts)'}`);
    console.log(`measured from ${new Date(startedAt).toISOString()} (epoch ms ${startedAt}), to line up with system samples`);
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}; ${PLAYERS} players from ${ADDRESSES} addresses over ${STREAMS} streams; ${SECONDS} s at ${RATE} beacons/s + ${ADMISSION_RATE} admissions/s`);
    console.log(`errors: ${errors} (beacons ${beacons.outcomes.failed}, admissions ${admissions.outcomes.failed})`);
    const bareLat = ceiling.outcomes.sorted();
    console.log(`ceiling (bare node:http, same schedule): p50 ${r2(pct(bareLat, 50))} ms, p99 ${r2(pct(bareLat, 99))} ms`);
    console.log(`beacon p50 ${r2(pct(beaconLat, 50))} ms, p99 ${r2(p99)} ms (target < 20 ms): ${p99 < 20 ? 'met' : 'MISSED'}`);
    console.log(`rows written: ${rows} in ${batches} batches → ${r2(rows / seconds)} rows/s, mean batch ${r2(rows / Math.max(1, batches))} rows; dropped ${dropped}`);
    console.log(`stored after the run: ${stored} of ${accepted} accepted beacons${stored === accepted ? '' : ' (MISMATCH)'}`);
    console.log(`backend's own timing of the beacons (its histogram buckets): p50 ${bucketPercentile(server0, server1, 0.5)} ms, p99 ${bucketPercentile(server0, server1, 0.99)} ms`);
    console.log(`backend event loop (prom-client, whole process): delay p99 ${r2((await metric(backend.port, 'nodejs_eventloop_lag_p99_seconds')) * 1000)} ms, max ${r2((await metric(backend.port, 'nodejs_eventloop_lag_max_seconds')) * 1000)} ms`);
    // When the slow ones were sent: per 100 ms of the run, how many beacons took over 20 ms.
    const slow = new Map<number, number>();
    const { at, ms } = beacons.outcomes;
    for (let i = 0; i < ms.length; i++) if (ms[i]! > 20) slow.set(Math.floor((at[i]! - t0) / 100), (slow.get(Math.floor((at[i]! - t0) / 100)) ?? 0) + 1);
    console.log(`beacons over 20 ms: ${[...slow.values()].reduce((a, b) => a + b, 0)}, in ${slow.size} of ${Math.ceil(seconds * 10)} 100-ms slices${slow.size ? ` (worst: ${[...slow].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${(k / 10).toFixed(1)} s: ${n}`).join(', ')})` : ''}`);
    console.log(`backend GC during the run: ${gc.n} major collections, ${r2(gc.major * 1000)} ms; scavenges ${r2(gc.minor * 1000)} ms`);
    console.log(`CPU during the run: backend ${r2((cpu / seconds) * 100)} % of a core, load generator ${r2(((genCpu.user + genCpu.system) / 1e6 / seconds) * 100)} %`);
    console.log(`load generator: at worst ${r2(Math.max(beacons.behindMs, admissions.behindMs))} ms behind its schedule; event-loop delay p99 ${r2(lag.percentile(99) / 1e6)} ms`);
  } finally {
    pool.close();
    barePool.close();
    await c.end();
    bare.child.kill('SIGTERM');
    backend.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await db.drop();
  }
}

await main();
