// ABR VOD processing benchmark: wall time and peak RSS of the worker turning one publish recorded
// as the ladder (record_map.xml: source 1080p + AAC, and the 1080p/720p/480p/360p rungs OME encodes)
// into aligned HLS segments, playlists and stored objects.
//
//   npm run bench:vod-abr                # = npx tsx bench/vod-abr.ts --minutes 2,10
//   npx tsx bench/vod-abr.ts --minutes 10 --runs 2
//   npx tsx bench/vod-abr.ts --minutes 2 --fallback   # 720p "not recorded": encoded from the source
//
// The recordings are made once with ffmpeg and cached in $TMPDIR/ocp-bench-abr-<n>min/ (testsrc2 +
// sine, x264 CBR with filler at the ladder's bit rates, source keyframes every 2 s, rungs every 1 s,
// the stream's timestamps kept as OME's continuity mode does; the 1080p rung is the source passed
// through, as BypassIfMatch makes it for a 1080p source). Each run is a child process (node + tsx)
// doing exactly what the join does for a publish: processPublish (probe, keyframes, cut plan,
// segment muxer per rendition + audio, no re-encode: the remux-only path) → writePlaylists → the
// upload of every object to the GCS test server (in this process) with crc32c checks. Peak RSS:
// the node process itself (process.resourceUsage) and the largest process of the run including
// ffmpeg/ffprobe children (/usr/bin/time %M).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BUCKET = 'bench-abr';
const LADDER = [
  { name: '720p', height: 720, bitrate: '2500k' },
  { name: '480p', height: 480, bitrate: '1200k' },
  { name: '360p', height: 360, bitrate: '600k' },
];
const FILE = '20261204100000_20261204101000.mp4';

interface Sample {
  heapAfterGcMB: number;
  remuxS: number;
  uploadS: number;
  totalS: number;
  nodeRssMB: number;
  largestRssMB: number;
  objects: number;
  storedMB: number;
  variants: string[];
}

/** The recording of one publish, as the record map lays it out (cached across runs). */
async function recording(minutes: number): Promise<string> {
  const dir = path.join(os.tmpdir(), `ocp-bench-abr-${minutes}min`);
  if (existsSync(path.join(dir, '.done'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, '.make'), { recursive: true });
  const seconds = minutes * 60;
  console.log(`making a ${minutes}-minute 4-rendition recording in ${dir} (once; about ${Math.ceil(seconds / 2 / 60)} min here)…`);
  const x264 = (bitrate: string, gop: number) => [
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-bf', '0', '-sc_threshold', '0', '-g', String(gop), '-keyint_min', String(gop),
    '-b:v', bitrate, '-maxrate', bitrate, '-bufsize', `${parseInt(bitrate, 10) * 2}k`, '-x264-params', 'nal-hrd=cbr', '-output_ts_offset', '5', '-f', 'mpegts',
  ];
  const graph = `[0:v]split=4[s]${LADDER.map((_, i) => `[r${i}]`).join('')};${LADDER.map((r, i) => `[r${i}]scale=-2:${r.height}[o${i}]`).join(';')}`;
  await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-filter_complex', graph,
    '-map', '[s]', '-map', '1:a', ...x264('4500k', 60), '-c:a', 'aac', '-b:a', '128k', path.join(dir, '.make', 'source.ts'),
    ...LADDER.flatMap((r, i) => ['-map', `[o${i}]`, ...x264(r.bitrate, 30), path.join(dir, '.make', `${r.name}.ts`)]),
  ], { maxBuffer: 1 << 20 });
  const remux = async (name: string, from: string, videoOnly: boolean) => {
    await mkdir(path.join(dir, name), { recursive: true });
    await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-copyts', '-i', from, ...(videoOnly ? ['-map', '0:v:0'] : []), '-c', 'copy', path.join(dir, name, FILE)]);
  };
  await remux('source', path.join(dir, '.make', 'source.ts'), false);
  await remux('1080p', path.join(dir, '.make', 'source.ts'), true);
  for (const r of LADDER) await remux(r.name, path.join(dir, '.make', `${r.name}.ts`), true);
  await rm(path.join(dir, '.make'), { recursive: true, force: true });
  await writeFile(path.join(dir, '.done'), new Date().toISOString());
  return dir;
}

async function child(dir: string, endpoint: string, work: string, without: string | undefined): Promise<void> {
  const { pino } = await import('pino');
  const { loadConfig } = await import('../vod-uploader/src/config/index.js');
  const { GcsStore } = await import('../vod-uploader/src/storage/gcs.js');
  const { processPublish } = await import('../vod-uploader/src/jobs/abr-publish.js');
  const { writePlaylists } = await import('../vod-uploader/src/jobs/abr-join.js');
  const { uploadObjects, uploadPlan, verifyStored } = await import('../vod-uploader/src/jobs/vod-upload-steps.js');
  const { vodObjectLayout } = await import('../vod-uploader/src/storage/objects.js');
  // The production configuration and its defaults (6 s segments, 4 uploads in parallel); only the store is local.
  const config = loadConfig({ DATABASE_URL: 'unused://', REDIS_URL: 'unused://', GCS_BUCKET: BUCKET, GCS_API_ENDPOINT: endpoint, VOD_WORK_DIR: work });
  const store = new GcsStore(config.gcs);
  await store.remoteMeta('bench/warm-up');
  const log = pino({ level: 'silent' });
  const rungs = new Map<string, string>();
  // --fallback: one rung "not recorded", so the worker encodes it from the source (the fallback path).
  for (const name of await readdir(dir)) if (name !== 'source' && name !== without && !name.startsWith('.')) rungs.set(name, path.join(dir, name, FILE));
  const hlsDir = path.join(work, 'hls');
  await rm(work, { recursive: true, force: true });
  await mkdir(hlsDir, { recursive: true });

  const t0 = process.hrtime.bigint();
  const out = await processPublish(
    { index: 1, source: path.join(dir, 'source', FILE), rungs },
    { tools: config.media, ladder: config.abr.ladder, transcodeMissing: config.abr.transcodeMissing, transcodePreset: config.abr.transcodePreset, segmentSeconds: config.media.hlsSegmentSeconds, parallelism: 2 },
    hlsDir, work, log,
  );
  const encoded = [...out.variants.values()].filter((v) => v.transcoded).map((v) => v.name);
  if (encoded.join() !== (without ?? '')) throw new Error(`encoded ${encoded.join(', ') || 'nothing'}, expected ${without ?? 'nothing'}`);
  const written = await writePlaylists([out], hlsDir);
  const t1 = process.hrtime.bigint();
  const layout = { ...vodObjectLayout(config.gcs.prefix, `bench-${process.pid}`, 'mp4') };
  const playlistLayout = { ...layout, playlist: `${layout.hlsDir}master.m3u8` };
  const plan = {
    ...uploadPlan(playlistLayout, [{ localPath: path.join(dir, 'source', FILE), objectName: layout.original }], { hls: { dir: hlsDir, playlist: written.master, segments: written.segments }, posterPath: null }),
    playlists: written.mediaPlaylists.map((f) => ({ localPath: f, objectName: `${layout.hlsDir}${path.basename(f)}` })),
  };
  const results = await uploadObjects({ updateData: async () => undefined }, {}, plan, { vodId: 'bench' }, { store, parallelism: config.gcs.uploadParallelism, log });
  verifyStored(plan, results);
  const t2 = process.hrtime.bigint();
  const stored = results.reduce((a, r) => a + r.size, 0);
  await rm(work, { recursive: true, force: true });
  const s = (a: bigint, b: bigint) => Number(b - a) / 1e9;
  // What stays allocated once garbage is collected (peak RSS also counts garbage V8 had not collected yet).
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterGcMB = process.memoryUsage().heapUsed / 1e6;
  process.stdout.write(`${JSON.stringify({ remuxS: s(t0, t1), uploadS: s(t1, t2), totalS: s(t0, t2), nodeRssMB: process.resourceUsage().maxRSS / 1024, heapAfterGcMB, objects: results.length, storedMB: stored / 1e6, variants: written.variants.map((v) => v.name) })}\n`);
}

function runChild(dir: string, endpoint: string, work: string, without: string | undefined): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, '--expose-gc', '--import', 'tsx', '--conditions=source', import.meta.filename, '--child', dir, endpoint, work, ...(without ? [without] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'], env: process.env,
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${err.slice(-2000)}`));
      const kb = Number(/MAXRSS_KB=(\d+)/.exec(err)?.[1] ?? 0);
      resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as Omit<Sample, 'largestRssMB'>), largestRssMB: kb / 1024 });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2]!, args[3]!, args[4]);
  const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
  const minutesList = arg('--minutes', '2,10').split(',').map(Number);
  const runs = Number(arg('--runs', '1'));
  // --fallback: the 720p rung counts as not recorded, so each run also encodes it from the source.
  const without = args.includes('--fallback') ? '720p' : undefined;
  const { GcsTestServer } = await import('../vod-uploader/test/support/gcs-test-server.js');
  const server = await GcsTestServer.start({ buckets: [BUCKET] });
  const work = path.join(os.tmpdir(), `ocp-bench-abr-work-${process.pid}`);
  const rows: string[] = [];
  try {
    const { stdout } = await run('ffmpeg', ['-version']);
    console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${stdout.split('\n')[0]}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const minutes of minutesList) {
      const dir = await recording(minutes);
      let inputMB = 0;
      for (const name of await readdir(dir)) if (!name.startsWith('.')) inputMB += (await stat(path.join(dir, name, FILE))).size / 1e6;
      for (let i = 0; i < runs; i++) {
        for (const o of [...server.objects.values()]) await rm(o.file, { force: true });
        server.objects.clear();
        const s = await runChild(dir, server.url, work, without);
        const speed = (minutes * 60) / s.remuxS;
        console.log(`  ${minutes} min run ${i + 1}${without ? ` (${without} encoded)` : ''}: ${without ? 'remux + encode' : 'remux'} ${s.remuxS.toFixed(1)} s (${speed.toFixed(0)}x real time), upload ${s.uploadS.toFixed(1)} s, total ${s.totalS.toFixed(1)} s (${((minutes * 60) / s.totalS).toFixed(0)}x); node RSS ${s.nodeRssMB.toFixed(0)} MB (heap after GC ${s.heapAfterGcMB.toFixed(0)} MB), largest process ${s.largestRssMB.toFixed(0)} MB; ${s.objects} objects, ${s.storedMB.toFixed(0)} MB; variants ${s.variants.join(', ')}`);
        rows.push(`| ${minutes} min${without ? ` (${without} encoded)` : ''} | ${inputMB.toFixed(0)} MB | ${s.remuxS.toFixed(1)} s (${speed.toFixed(0)}×) | ${s.uploadS.toFixed(1)} s | ${s.totalS.toFixed(1)} s (${((minutes * 60) / s.totalS).toFixed(0)}×) | ${s.nodeRssMB.toFixed(0)} MB | ${s.heapAfterGcMB.toFixed(0)} MB | ${s.largestRssMB.toFixed(0)} MB | ${s.objects} / ${s.storedMB.toFixed(0)} MB |`);
      }
    }
    console.log('\n| recording | rendition files | remux (speed) | upload | total (speed) | peak RSS node | heap after GC | peak RSS largest process | objects / stored |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
    console.log('\ntargets: remux-only path ≥ 20× real time; RSS flat in duration (2 min vs 10 min)');
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
