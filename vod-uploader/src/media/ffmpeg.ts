// ffprobe / ffmpeg through child_process: probe, HLS VOD remux (no re-encode), poster frame.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { aacCodecString, avcCodecString, hevcCodecString, parseHexDump } from './hls-abr.js';
import { formatCutList, parseSegmentCsv, type SegmentRow } from './abr-plan.js';

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
  /** H.264 level as ffprobe reports it (31 = 3.1). */
  level?: number;
  /** RFC 6381 codec string (avc1.64001F, mp4a.40.2…) from the stream's decoder configuration. */
  codecString?: string;
  /** First timestamp of the track, seconds, as the file carries it. */
  startS?: number;
}

export interface ProbeResult {
  formatName: string;
  durationMs: number;
  sizeBytes: number;
  bitrateBps: number | null;
  /** The file's start time (its earliest track start), seconds: what ffmpeg subtracts when it reads it. */
  startS: number;
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
          level: num(s.level),
          codecString: videoCodecString(s),
          startS: num(s.start_time),
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
          codecString: aacCodecString(String(s.codec_name ?? ''), typeof s.profile === 'string' ? s.profile : undefined) ?? undefined,
          startS: num(s.start_time),
        }),
      );
    }
  }
  const formatName = String(j.format?.format_name ?? 'unknown');
  const startS = num(j.format?.start_time) ?? 0;
  const durationS = mediaDuration(formatName, startS, num(j.format?.duration), j.streams ?? []);
  if (renditions.length === 0) throw new MediaError('recording has no audio or video stream');
  if (durationS === undefined || durationS <= 0) throw new MediaError('recording has no measurable duration');
  return {
    formatName,
    durationMs: Math.round(durationS * 1000),
    sizeBytes: num(j.format?.size) ?? 0,
    bitrateBps: num(j.format?.bit_rate) ?? null,
    startS,
    renditions,
  };
}

/**
 * How long the media plays. An MP4 whose timestamps do not start at 0 (OME's continuity mode keeps
 * the stream's own) begins with an empty edit, and its format duration counts that edit: the length
 * is then the tracks' span, from the earliest track start to the latest track end.
 */
function mediaDuration(formatName: string, startS: number, formatDuration: number | undefined, streams: Record<string, unknown>[]): number | undefined {
  if (!formatName.includes('mp4') && !formatName.includes('mov')) return formatDuration;
  if (startS <= 0) return formatDuration;
  let first = Infinity;
  let last = -Infinity;
  for (const s of streams) {
    const st = num(s.start_time);
    const d = num(s.duration);
    if (st === undefined || d === undefined || (s.codec_type !== 'video' && s.codec_type !== 'audio')) continue;
    first = Math.min(first, st);
    last = Math.max(last, st + d);
  }
  return Number.isFinite(first) && last > first ? last - first : formatDuration;
}

function videoCodecString(s: Record<string, unknown>): string | undefined {
  if (typeof s.extradata !== 'string') return undefined;
  const bytes = parseHexDump(s.extradata);
  if (s.codec_name === 'h264') return avcCodecString(bytes) ?? undefined;
  if (s.codec_name === 'hevc') return hevcCodecString(bytes) ?? undefined;
  return undefined;
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
    // -show_data adds each stream's extradata (the decoder configuration: profile and level bytes).
    ['-v', 'error', '-show_format', '-show_streams', '-show_data', '-of', 'json', file],
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

// ---------------------------------------------------------------------------------------------
// Multi-rendition VODs: keyframe times, cutting at given instants, and the fallback encode.

/**
 * Keyframe timestamps (seconds, as the file carries them) of the first video track. Reads packet
 * headers only (no decoding) and keeps only the keyframes, so memory does not grow with the length.
 */
export function probeKeyframes(tools: MediaTools, file: string, timeoutMs = 10 * 60_000): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(tools.ffprobePath, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keyframes: number[] = [];
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [pts, flags] = line.split(',');
      if (flags?.includes('K') && pts && pts !== 'N/A') keyframes.push(Number(pts));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new MediaError(`ffprobe could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new MediaError(`ffprobe failed (${signal ? `killed by ${signal}` : `exit code ${code}`}): ${lastLines(err, 3)}`));
      keyframes.sort((a, b) => a - b);
      resolve(keyframes);
    });
  });
}

export interface SegmentOutput {
  kind: 'video' | 'audio';
  /** Shared-timeline instants to cut at (only those after the track's first packet). */
  cuts: number[];
  /** Segment files are `<prefix>_00000.ts`… in outDir. */
  prefix: string;
}

export interface SegmentedTrack {
  kind: 'video' | 'audio';
  prefix: string;
  rows: SegmentRow[];
}

/**
 * Cuts one input's video and/or audio into MPEG-TS segments at the given instants, without
 * re-encoding (ffmpeg's segment muxer: a cut happens at the first packet, a keyframe for video, at or
 * after each instant). `itsoffsetS` moves the input onto the shared timeline: ffmpeg subtracts the
 * file's own start time, the offset adds back where that start lies on the shared timeline.
 */
export async function segmentFile(
  tools: MediaTools,
  input: string,
  itsoffsetS: number,
  outputs: SegmentOutput[],
  outDir: string,
  deltaS: number,
): Promise<SegmentedTrack[]> {
  await mkdir(outDir, { recursive: true });
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-itsoffset', itsoffsetS.toFixed(6), '-i', input];
  for (const o of outputs) {
    args.push(
      '-map', o.kind === 'video' ? '0:v:0' : '0:a:0',
      '-c', 'copy',
      '-f', 'segment', '-segment_format', 'mpegts',
      ...(o.cuts.length ? ['-segment_times', formatCutList(o.cuts)] : ['-segment_time', '1000000000']),
      '-segment_time_delta', deltaS.toFixed(6),
      '-segment_list', path.join(outDir, `${o.prefix}.csv`), '-segment_list_type', 'csv',
      path.join(outDir, `${o.prefix}_%05d.ts`),
    );
  }
  await run(tools.ffmpegPath, args, 30 * 60_000);
  const result: SegmentedTrack[] = [];
  for (const o of outputs) {
    const rows = parseSegmentCsv(await readFile(path.join(outDir, `${o.prefix}.csv`), 'utf8')).map((r) => ({ ...r, file: path.join(outDir, r.file) }));
    if (rows.length === 0) throw new MediaError(`segmenting ${path.basename(input)} (${o.kind}) produced no segments`);
    // ffmpeg's muxers can exit 0 after failed writes (see checkHlsOutput): every listed file must be there.
    for (const r of rows) {
      const size = await stat(r.file).then((s) => s.size, () => -1);
      if (size <= 0) throw new MediaError(`segment output incomplete: ${path.basename(r.file)} is ${size < 0 ? 'missing' : 'empty'}`);
    }
    result.push({ kind: o.kind, prefix: o.prefix, rows });
  }
  return result;
}

export interface TranscodeSpec {
  input: string;
  /** MPEG-TS output: it keeps the timestamps as encoded (an MP4 muxer may shift them). */
  output: string;
  /** Output height (width follows the aspect ratio); null keeps the picture size. */
  height: number | null;
  bitrateBps: number;
  /**
   * Keyframes on the frames at these instants of ffmpeg's input timeline (the input's timestamps
   * minus its start time). Frames keep their exact timestamps (-vsync passthrough, the demuxer's
   * time base), so a forced time hits its frame, not the one after a rounding.
   */
  keyframesAt: number[];
  preset: string;
}

/**
 * The fallback encode of one video rendition from a publish's source (H.264 High, no B-frames like
 * the ladder), keyframes forced at the plan's cuts so it lines up with the renditions OME recorded.
 */
export async function transcodeVideo(tools: MediaTools, t: TranscodeSpec): Promise<string> {
  await mkdir(path.dirname(t.output), { recursive: true });
  // A millisecond early: "at or after" then lands on the frame at that instant.
  const forced = t.keyframesAt.map((k) => Math.max(0, k - 0.001));
  await run(
    tools.ffmpegPath,
    [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-i', t.input,
      '-map', '0:v:0', '-an', '-sn', '-dn',
      ...(t.height ? ['-vf', `scale=-2:${t.height}`] : []),
      '-vsync', 'passthrough', '-enc_time_base', '-1',
      '-c:v', 'libx264', '-preset', t.preset, '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-bf', '0',
      '-b:v', String(t.bitrateBps), '-maxrate', String(Math.round(t.bitrateBps * 1.2)), '-bufsize', String(t.bitrateBps * 2),
      // Only the forced keyframes cut segments; others (GOP limit, scene cuts) are harmless.
      '-force_key_frames', forced.length ? formatCutList(forced) : 'expr:eq(n,0)',
      '-f', 'mpegts',
      t.output,
    ],
    6 * 60 * 60_000,
  );
  return t.output;
}

/** AAC silence of the given length (MPEG-TS, starting at 0), for a publish recorded without audio. */
export async function silentAudio(tools: MediaTools, output: string, durationS: number, sampleRate: number, channels: number): Promise<string> {
  await mkdir(path.dirname(output), { recursive: true });
  await run(
    tools.ffmpegPath,
    [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `anullsrc=r=${sampleRate}:cl=${channels === 1 ? 'mono' : 'stereo'}`,
      '-t', durationS.toFixed(3),
      '-c:a', 'aac', '-b:a', '64k',
      '-output_ts_offset', '0', '-f', 'mpegts', output,
    ],
    10 * 60_000,
  );
  return output;
}
