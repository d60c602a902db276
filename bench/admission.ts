// Benchmark of the OME admission endpoint: signed publish and playback calls against the real
// backend (child process, real PostgreSQL and Redis), beside a bare Express handler (the ceiling).
// Run: npx tsx bench/admission.ts   (from the repository root)
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { signPlayback, signPublish } from '../backend/src/auth/tokens.js';
import { omeSignature } from '../backend/src/ome/signature.js';
import { backendSecrets, scratchDatabase, startChild } from './support/setup.js';

// Fresh random secrets per run: the backend runs with NODE_ENV=production, which refuses known or weak ones.
const SECRET = randomBytes(32).toString('hex');
const env = {
  PUBLISH_JWT_SECRET: randomBytes(32).toString('hex'),
  PLAYBACK_JWT_SECRET: randomBytes(32).toString('hex'),
  SESSION_JWT_SECRET: randomBytes(32).toString('hex'),
};
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RATE = Number(process.env.BENCH_RATE ?? 2000);

function signed(body: object) {
  const raw = JSON.stringify(body);
  return { method: 'POST' as const, path: '/api/ome/admission', body: raw, headers: { 'content-type': 'application/json', 'x-ome-signature': omeSignature(SECRET, raw) } };
}
const client = (port: number) => ({ address: '127.0.0.1', port, real_ip: '127.0.0.1' });
const time = () => new Date().toISOString().replace('Z', '+00:00');

async function run(name: string, port: number, requests: autocannon.Request[], rate?: number) {
  let i = 0;
  // A fast refusal is no admission: every answer must be 200 with allowed:true to count as served.
  let refused = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        setupRequest: (req) => ({ ...req, ...requests[i++ % requests.length]! }),
        onResponse: (status, body) => {
          if (status !== 200 || !body.includes('"allowed":true')) refused++;
        },
      },
    ],
  });
  return {
    name,
    rate: rate ? `${rate}/s` : 'max',
    'req/s': Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    refused,
    errors: result.errors + result.timeouts,
  };
}

async function main() {
  const db = await scratchDatabase('ocp_bench_admission');
  const backend = await startChild('backend/src/main.ts', {
    ...backendSecrets(), ...env, DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `ocpbench:${process.pid}`, HOST: '127.0.0.1', PORT: '0',
    LOG_LEVEL: 'info', OME_WEBHOOK_SECRET: SECRET, OME_PUBLIC_HOST: 'localhost', NODE_ENV: 'production', DATABASE_POOL_SIZE: '20',
  });
  const bare = await startChild('bench/support/bare-admission-server.ts', {});
  try {
    // Streams: one public, one private, and enough idle ones that every publish call is a real start.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const owner = randomUUID();
    await c.query(`INSERT INTO "User"(id,email,"passwordHash","updatedAt") VALUES ($1,'bench@example.test','x',now())`, [owner]);
    const publicId = randomUUID();
    const privateId = randomUUID();
    await c.query(`INSERT INTO "Stream"(id,"ownerId",name,visibility,"updatedAt") VALUES ($1,$3,'pub','public',now()),($2,$3,'priv','private',now())`, [publicId, privateId, owner]);
    const publishIds = Array.from({ length: DURATION * 4000 }, () => randomUUID());
    await c.query(`INSERT INTO "Stream"(id,"ownerId",name,"updatedAt") SELECT unnest($1::uuid[]), $2, 'p', now()`, [publishIds, owner]);
    await c.end();

    const playbackToken = signPlayback(privateId, env.PLAYBACK_JWT_SECRET, 3600).token;
    // Built again for every run: OME stamps request.time, and the backend refuses times outside its window.
    const playback = () => Array.from({ length: 1000 }, (_, n) =>
      signed({
        client: client(20000 + n),
        request: n % 2
          ? { direction: 'outgoing', protocol: 'LLHLS', status: 'opening', time: time(), url: `http://localhost:3333/app/${publicId}/abr.m3u8` }
          : { direction: 'outgoing', protocol: 'WebRTC', status: 'opening', time: time(), url: `ws://localhost:3333/app/${privateId}/abr?token=${playbackToken}` },
      }),
    );
    const publish = (ids: string[]) =>
      ids.map((id, n) =>
        signed({
          client: client(30000 + (n % 30000)),
          request: { direction: 'incoming', protocol: 'RTMP', status: 'opening', time: time(), url: `rtmp://localhost:1935/app/${id}?token=${signPublish({ streamId: id, keyVersion: 1 }, env.PUBLISH_JWT_SECRET)}` },
        }),
      );
    const half = publishIds.length / 2;

    // Warm-up (not reported): JIT, connection pools, the access cache.
    const WARM = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
    await autocannon({ url: `http://127.0.0.1:${bare.port}`, connections: CONNECTIONS, duration: WARM, requests: [playback()[0]!] });
    await autocannon({ url: `http://127.0.0.1:${backend.port}`, connections: CONNECTIONS, duration: WARM, requests: playback().slice(0, 2) });

    const rows = [];
    rows.push(await run('bare express {allowed:true}', bare.port, playback()));
    rows.push(await run('playback (public LL-HLS + private WebRTC)', backend.port, playback()));
    rows.push(await run('publish (RTMP, idle → live)', backend.port, publish(publishIds.slice(0, half))));
    rows.push(await run('playback', backend.port, playback(), RATE));
    rows.push(await run('publish (RTMP, idle → live)', backend.port, publish(publishIds.slice(half)), RATE));
    console.table(rows);
    const ceiling = rows[0]!['req/s'];
    console.log(`machine: ${(await import('node:os')).cpus().length} cores; ${CONNECTIONS} connections; ${DURATION}s per run`);
    console.log(`playback / bare throughput: ${(rows[1]!['req/s'] / ceiling).toFixed(2)}`);
    console.log(`publish  / bare throughput: ${(rows[2]!['req/s'] / ceiling).toFixed(2)}`);
    console.log(`p99 at ${RATE} req/s: playback ${rows[3]!.p99} ms, publish ${rows[4]!.p99} ms (target < 10 ms)`);
  } finally {
    backend.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  }
}

await main();
