// VOD upload benchmark: throughput and peak RSS of the worker's upload path (GcsStore.upload:
// streamed resumable upload through @google-cloud/storage with crc32c validation, local md5+crc32c,
// metadata verification) against a plain stream copy of the same bytes to the same server (one
// `pipeline(createReadStream, http.request)` PUT into a resumable session): the ceiling.
//
//   npx tsx bench/vod-upload.ts [--sizes 50,500] [--runs 3]
//
// The server is the GCS test server from vod-uploader/test/support (it hashes and writes every
// byte to disk, like a real endpoint would do work per byte); it runs in this process, each upload
// in its own child process so its peak RSS (process.resourceUsage().maxRSS) is its own.
// Files are random bytes: throughput does not depend on content (nothing is transcoded here).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const BUCKET = 'bench-vods';
const MB = 1024 * 1024;

interface Sample {
  seconds: number;
  maxRssMB: number;
}

async function childPlain(file: string, endpoint: string): Promise<void> {
  const size = (await stat(file)).size;
  // Same warm-up as the worker side: one request before the clock starts.
  await new Promise<void>((resolve, reject) => http.get(`${endpoint}/storage/v1/b/${BUCKET}`, (res) => res.resume().on('end', () => resolve())).on('error', reject));
  const start = process.hrtime.bigint();
  const name = encodeURIComponent(`bench/plain-${path.basename(file)}`);
  const session = await new Promise<string>((resolve, reject) => {
    const req = http.request(`${endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=resumable&name=${name}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      if (res.statusCode !== 200 || !res.headers.location) reject(new Error(`session: ${res.statusCode}`));
      else resolve(res.headers.location);
    });
    req.on('error', reject);
    req.end('{}');
  });
  await new Promise<void>((resolve, reject) => {
    const req = http.request(session, { method: 'PUT', headers: { 'content-length': size, 'content-range': `bytes 0-${size - 1}/${size}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`upload: ${res.statusCode}`))));
    });
    req.on('error', reject);
    pipeline(createReadStream(file, { highWaterMark: MB }), req).catch(reject);
  });
  report(start);
}

async function childWorker(file: string, endpoint: string): Promise<void> {
  const { loadConfig } = await import('../vod-uploader/src/config/index.js');
  const { GcsStore } = await import('../vod-uploader/src/storage/gcs.js');
  // The production configuration path, defaults included; only the endpoint and bucket are local.
  const config = loadConfig({ DATABASE_URL: 'unused://', REDIS_URL: 'unused://', GCS_BUCKET: BUCKET, GCS_API_ENDPOINT: endpoint, ...pick(process.env, ['GCS_CHUNK_SIZE_MB', 'GCS_RESUMABLE_THRESHOLD_MB']) });
  const store = new GcsStore(config.gcs);
  // The worker keeps one client for its lifetime: its one-time set-up (~50 ms for the auth
  // library's first request) is paid before its first job, not per upload.
  await store.remoteMeta('bench/warm-up');
  const start = process.hrtime.bigint();
  const r = await store.upload({ localPath: file, objectName: `bench/worker-${path.basename(file)}`, contentType: 'video/mp4', cacheControl: 'private, max-age=31536000, immutable' });
  if (r.skipped) throw new Error('object already present: benchmark would measure nothing');
  report(start);
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]!]));
}

function report(start: bigint): void {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const maxRssMB = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  process.stdout.write(`${JSON.stringify({ seconds, maxRssMB })}\n`);
}

async function makeFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const block = randomBytes(4 * MB);
  for (let written = 0; written < bytes; written += block.length) {
    const n = Math.min(block.length, bytes - written);
    // Vary each block so no layer can deduplicate or compress.
    block.writeUInt32BE(written / block.length, 0);
    if (!out.write(n === block.length ? Buffer.from(block) : block.subarray(0, n))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
}

function runChild(mode: 'plain' | 'worker', file: string, endpoint: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', import.meta.filename, '--child', mode, file, endpoint], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${mode} child exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as Sample);
      } catch (err) {
        reject(err);
      }
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, mode, file, endpoint] = args;
    if (mode === 'plain') await childPlain(file!, endpoint!);
    else await childWorker(file!, endpoint!);
    return;
  }
  const arg = (name: string, def: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1]! : def;
  };
  const sizes = arg('--sizes', '50,500').split(',').map(Number);
  const runs = Number(arg('--runs', '3'));
  const { GcsTestServer } = await import('../vod-uploader/test/support/gcs-test-server.js');
  const server = await GcsTestServer.start({ buckets: [BUCKET] });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ocp-bench-vod-'));
  const rows: string[] = [];
  try {
    console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${execFileSync('uname', ['-sr']).toString().trim()}`);
    console.log(`server: GCS test server on ${server.url} (in the parent process); best of ${runs} runs each; random bytes`);
    for (const sizeMB of sizes) {
      const file = path.join(dir, `rec-${sizeMB}MB.bin`);
      await makeFile(file, sizeMB * MB);
      const best: Record<string, Sample> = {};
      for (let i = 0; i < runs; i++) {
        // Alternate so page-cache warmth and server state favour neither side.
        for (const mode of i % 2 === 0 ? (['plain', 'worker'] as const) : (['worker', 'plain'] as const)) {
          for (const o of [...server.objects.values()]) await rm(o.file, { force: true });
          server.objects.clear();
          const s = await runChild(mode, file, server.url);
          const prev = best[mode];
          best[mode] = { seconds: Math.min(prev?.seconds ?? Infinity, s.seconds), maxRssMB: Math.max(prev?.maxRssMB ?? 0, s.maxRssMB) };
          console.log(`  ${sizeMB} MB ${mode.padEnd(6)} run ${i + 1}: ${(sizeMB / s.seconds).toFixed(1)} MB/s, peak RSS ${s.maxRssMB.toFixed(0)} MB`);
        }
      }
      const plain = sizeMB / best.plain!.seconds;
      const worker = sizeMB / best.worker!.seconds;
      rows.push(
        `| ${sizeMB} MB | ${plain.toFixed(1)} | ${worker.toFixed(1)} | ${((worker / plain) * 100).toFixed(0)} % | ${best.plain!.maxRssMB.toFixed(0)} MB | ${best.worker!.maxRssMB.toFixed(0)} MB |`,
      );
      await rm(file, { force: true });
    }
    console.log('\n| recording | plain copy (ceiling) MB/s | worker upload MB/s | worker / ceiling | peak RSS plain | peak RSS worker |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
    console.log('\ntargets: worker ≥ 80 % of the ceiling; worker peak RSS flat in file size and < 200 MB at 500 MB');
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
