// ffprobe / ffmpeg through child_process: probe, HLS VOD remux (no re-encode), poster frame.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class MediaError extends Error {
  override name = 'MediaError';
}

export interface Rendition {
  type: 'video' | 'audio';
  codec: string;
  profile?: string;
  width?: number;
  height?: number;
  fps?: number;
  bitrateBps?: number;
  channels?: number;
  sampleRate?: number;
}

export interface ProbeResult {
  formatName: string;
  durationMs: number;
  sizeBytes: number;
  bitrateBps: number | null;
  renditions: Rendition[];
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      // Keep only the tail: ffmpeg's useful error is at the end and its progress is unbounded.
      err = (err + d.toString()).slice(-8000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new MediaError(`${path.basename(cmd)} could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString();
      if (code === 0) resolve({ stdout, stderr: err });
      else {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        reject(new MediaError(`${path.basename(cmd)} failed (${why}): ${lastLines(err, 3)}`));
      }
    });
  });
}

function lastLines(s: string, n: number): string {
  return s.trim().split('\n').slice(-n).join(' | ').trim() || 'no output';
}

function ratio(r: unknown): number | undefined {
  if (typeof r !== 'string') return undefined;
  const [a, b] = r.split('/').map(Number);
  if (!a || !b) return undefined;
  return Math.round((a / b) * 1000) / 1000;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Pure: ffprobe's JSON → what the Vod stores. Throws MediaError when there is nothing playable. */
export function interpretProbe(json: unknown): ProbeResult {
  const j = json as { format?: Record<string, unknown>; streams?: Record<string, unknown>[] };
  const renditions: Rendition[] = [];
  for (const s of j.streams ?? []) {
    if (s.codec_type === 'video' && s.disposition && (s.disposition as Record<string, number>).attached_pic) continue;
    if (s.codec_type === 'video') {
      renditions.push(
        clean({
          type: 'video',
          codec: String(s.codec_name ?? 'unknown'),
          profile: typeof s.profile === 'string' ? s.profile : undefined,
          width: num(s.width),
          height: num(s.height),
          fps: ratio(s.avg_frame_rate) ?? ratio(s.r_frame_rate),
          bitrateBps: num(s.bit_rate),
        }),
      );
    } else if (s.codec_type === 'audio') {
      renditions.push(
        clean({
          type: 'audio',
          codec: String(s.codec_name ?? 'unknown'),
          profile: typeof s.profile === 'string' ? s.profile : undefined,
          channels: num(s.channels),
          sampleRate: num(s.sample_rate),
          bitrateBps: num(s.bit_rate),
        }),
      );
    }
  }
  const durationS = num(j.format?.duration);
  if (renditions.length === 0) throw new MediaError('recording has no audio or video stream');
  if (durationS === undefined || durationS <= 0) throw new MediaError('recording has no measurable duration');
  return {
    formatName: String(j.format?.format_name ?? 'unknown'),
    durationMs: Math.round(durationS * 1000),
    sizeBytes: num(j.format?.size) ?? 0,
    bitrateBps: num(j.format?.bit_rate) ?? null,
    renditions,
  };
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface MediaTools {
  ffmpegPath: string;
  ffprobePath: string;
}

export async function probe(tools: MediaTools, file: string): Promise<ProbeResult> {
  const { stdout } = await run(
    tools.ffprobePath,
    ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file],
    120_000,
  );
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new MediaError('ffprobe returned unreadable output');
  }
  return interpretProbe(json);
}

export interface HlsOutput {
  dir: string;
  playlist: string;
  segments: string[];
}

export interface HlsNaming {
  /** Playlist file name inside outDir. */
  playlist?: string;
  /** Segment files are `<prefix>_00000.ts`…; distinct prefixes let several runs share one directory. */
  segmentPrefix?: string;
}

/** A line of ffmpeg's concat demuxer list: `file '<path>'`, with `'` escaped as `'\''`. */
export function concatListLine(file: string): string {
  return `file '${file.replace(/'/g, "'\\''")}'`;
}

/**
 * Remuxes into an HLS VOD (MPEG-TS segments) without re-encoding. Segments cut on keyframes,
 * so their length follows the encoder's GOP; hls_time is the target. Several inputs (pieces with
 * the same codec parameters) go through ffmpeg's concat demuxer: one continuous timeline, `-c copy`.
 */
export async function remuxToHls(
  tools: MediaTools,
  input: string | string[],
  outDir: string,
  segmentSeconds: number,
  naming: HlsNaming = {},
): Promise<HlsOutput> {
  await mkdir(outDir, { recursive: true });
  const inputs = typeof input === 'string' ? [input] : input;
  if (inputs.length === 0) throw new MediaError('nothing to remux');
  const playlist = path.join(outDir, naming.playlist ?? 'index.m3u8');
  const prefix = naming.segmentPrefix ?? 'seg';
  let source: string[];
  if (inputs.length === 1) source = ['-i', inputs[0]!];
  else {
    // The list sits beside outDir (never uploaded); -safe 0 allows absolute paths.
    const list = path.join(path.dirname(outDir), `${prefix}.concat.txt`);
    await writeFile(list, inputs.map(concatListLine).join('\n') + '\n');
    source = ['-f', 'concat', '-safe', '0', '-i', list];
  }
  await run(
    tools.ffmpegPath,
    [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      ...source,
      '-map', '0:v:0?', '-map', '0:a:0?',
      '-c', 'copy',
      '-f', 'hls',
      '-hls_time', String(segmentSeconds),
      '-hls_playlist_type', 'vod',
      '-hls_segment_type', 'mpegts',
      '-hls_flags', 'independent_segments',
      '-hls_segment_filename', path.join(outDir, `${prefix}_%05d.ts`),
      playlist,
    ],
    30 * 60_000,
  );
  const mine = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_\\d+\\.ts$`);
  const segments = (await readdir(outDir)).filter((f) => mine.test(f)).sort().map((f) => path.join(outDir, f));
  if (segments.length === 0) throw new MediaError('HLS remux produced no segments');
  await checkHlsOutput(playlist, segments);
  return { dir: outDir, playlist, segments };
}

/**
 * ffmpeg 5.1's HLS muxer ignores failed writes (ENOSPC, EIO) and still exits 0, leaving an empty
 * playlist and truncated segments; its exit code alone would publish a broken VOD.
 */
async function checkHlsOutput(playlist: string, segments: string[]): Promise<void> {
  const text = await readFile(playlist, 'utf8');
  if (!text.includes('#EXT-X-ENDLIST')) throw new MediaError('HLS remux output incomplete: playlist has no end marker');
  const listed = text.split('\n').map((l) => l.trim()).filter((l) => l.endsWith('.ts'));
  const present = new Set(segments.map((s) => path.basename(s)));
  if (listed.length !== present.size || listed.some((l) => !present.has(l))) {
    throw new MediaError(`HLS remux output incomplete: playlist lists ${listed.length} segments, ${present.size} written`);
  }
  for (const s of segments) {
    if ((await stat(s)).size === 0) throw new MediaError(`HLS remux output incomplete: ${path.basename(s)} is empty`);
  }
}

/** Bytes an unprivileged writer may still use on the filesystem holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** One JPEG frame from early in the recording (not frame 0: often black), scaled to ≤ 1280 wide. */
export async function poster(tools: MediaTools, input: string, out: string, durationMs: number): Promise<string> {
  const at = Math.min(2, durationMs / 2000).toFixed(3);
  await run(
    tools.ffmpegPath,
    [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-ss', at, '-i', input,
      '-frames:v', '1', '-vf', "scale='min(1280,iw)':-2", '-q:v', '3',
      out,
    ],
    120_000,
  );
  return out;
}
