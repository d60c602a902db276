// ffprobe / ffmpeg for clips and downloads of stored VODs: packet times of a segment, cutting a
// segment at given instants with `-c copy` (its timestamps kept, so it still follows the segment
// before it), and an MP4 (faststart) from HLS playlists.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatCutList, parseSegmentCsv } from './abr-plan.js';
import { concatListLine, MediaError, type MediaTools } from './ffmpeg.js';

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const why = (err as { killed?: boolean }).killed ? 'timed out' : `exit code ${(err as { code?: unknown }).code ?? '?'}`;
      const tail = String(stderr).trim().split('\n').slice(-3).join(' | ') || err.message;
      reject(new MediaError(`${path.basename(cmd)} failed (${why}): ${tail}`));
    });
  });
}

export interface SegmentPackets {
  /** Which streams the segment carries. */
  video: boolean;
  audio: boolean;
  /** PTS (s) of the packets of its main stream (video if any, else audio), sorted. */
  pts: number[];
  /** Where it may be cut: keyframes of the video, or every audio packet. */
  points: number[];
  /** End of the last packet (PTS + duration). */
  endPts: number;
}

/** Packet times of one segment's main stream (one ffprobe; reads headers, decodes nothing). */
export async function probeSegment(tools: MediaTools, file: string): Promise<SegmentPackets> {
  const out = await run(tools.ffprobePath, ['-v', 'error', '-show_entries', 'stream=index,codec_type:packet=stream_index,pts_time,duration_time,flags', '-of', 'json', file], 120_000);
  let json: { streams?: { index: number; codec_type: string }[]; packets?: { stream_index: number; pts_time?: string; duration_time?: string; flags?: string }[] };
  try {
    json = JSON.parse(out);
  } catch {
    throw new MediaError(`ffprobe returned unreadable output for ${path.basename(file)}`);
  }
  const streams = json.streams ?? [];
  const v = streams.find((x) => x.codec_type === 'video');
  const a = streams.find((x) => x.codec_type === 'audio');
  const main = v ?? a;
  if (!main) throw new MediaError(`${path.basename(file)} has no audio or video`);
  const pts: number[] = [];
  const points: number[] = [];
  let endPts = -Infinity;
  for (const p of json.packets ?? []) {
    if (p.stream_index !== main.index || !p.pts_time || p.pts_time === 'N/A') continue;
    const at = Number(p.pts_time);
    pts.push(at);
    if (!v || p.flags?.includes('K')) points.push(at);
    const d = Number(p.duration_time);
    endPts = Math.max(endPts, at + (d > 0 ? d : 0));
  }
  if (pts.length === 0) throw new MediaError(`${path.basename(file)} has no packets`);
  pts.sort((x, y) => x - y);
  points.sort((x, y) => x - y);
  return { video: Boolean(v), audio: Boolean(a), pts, points, endPts };
}

/**
 * Cuts a segment at `cuts` (PTS) with `-c copy` and returns part `keep` (0: before the first cut, 1:
 * after it…), checked to start at `keepFromPts` (within deltaS). `-copyts` and the MPEG-TS muxer's
 * `mpegts_copyts` keep every timestamp as it was, so the part plays on from the segment before it.
 */
export async function cutSegment(tools: MediaTools, input: string, cuts: number[], keep: number, keepFromPts: number, outDir: string, name: string, deltaS: number): Promise<string> {
  const work = path.join(outDir, `${name}.parts`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await run(
    tools.ffmpegPath,
    [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-copyts', '-i', input,
      '-map', '0:v:0?', '-map', '0:a:0?', '-c', 'copy',
      '-f', 'segment', '-segment_format', 'mpegts', '-segment_format_options', 'mpegts_copyts=1',
      '-segment_times', formatCutList(cuts), '-segment_time_delta', deltaS.toFixed(6),
      '-segment_list', path.join(work, 'parts.csv'), '-segment_list_type', 'csv',
      path.join(work, 'part_%03d.ts'),
    ],
    10 * 60_000,
  );
  const rows = parseSegmentCsv(await readFile(path.join(work, 'parts.csv'), 'utf8'));
  const row = rows[keep];
  const file = row ? path.join(work, row.file) : null;
  const first = file && (await stat(file).then((s) => s.size, () => 0)) > 0 ? (await probeSegment(tools, file)).pts[0]! : null;
  if (!file || first === null || Math.abs(first - keepFromPts) > deltaS) {
    throw new MediaError(`cutting ${path.basename(input)} at ${cuts.map((c) => c.toFixed(3)).join(', ')} gave no part ${keep} starting at ${keepFromPts.toFixed(3)} (${rows.length} parts, that one at ${first?.toFixed(3) ?? 'none'})`);
  }
  const out = path.join(outDir, `${name}.ts`);
  await rename(file, out);
  await rm(work, { recursive: true, force: true });
  return out;
}

/** Where a segment's timestamps start, over all its streams (a muxed segment's audio may lead its video). */
async function firstPts(tools: MediaTools, segment: string): Promise<number> {
  const out = await run(tools.ffprobePath, ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', segment], 60_000);
  const t = Number(out.trim());
  if (!Number.isFinite(t)) throw new MediaError(`${path.basename(segment)} has no start time`);
  return t;
}

export interface Mp4Piece {
  /** Local media playlist of the video (or of audio+video, single-playlist VODs). */
  video: string | null;
  /** Local audio playlist played with it (separate audio rendition), if any. */
  audio: string | null;
  /** First segment file of each, to read where their timestamps start. */
  videoFirstSegment: string | null;
  audioFirstSegment: string | null;
}

/**
 * One MP4 (faststart: the index before the media) from the pieces of a VOD (one per publish, in
 * order), no re-encoding. Video and audio of a piece keep their offset to each other: both are read
 * with their own timestamps and shifted together to start at 0. Several pieces are joined with
 * ffmpeg's concat demuxer, which lays each after the one before.
 */
export async function buildMp4(tools: MediaTools, pieces: Mp4Piece[], work: string, out: string): Promise<string> {
  if (pieces.length === 0) throw new MediaError('nothing to put in the MP4');
  const parts: string[] = [];
  for (const [i, p] of pieces.entries()) {
    const inputs: string[] = [];
    const maps: string[] = [];
    const starts: number[] = [];
    if (p.video) {
      inputs.push('-i', p.video);
      maps.push('-map', `${inputs.length / 2 - 1}:v:0`);
      if (!p.audio) maps.push('-map', `${inputs.length / 2 - 1}:a:0?`);
      starts.push(await firstPts(tools, p.videoFirstSegment!));
    }
    if (p.audio) {
      inputs.push('-i', p.audio);
      maps.push('-map', `${inputs.length / 2 - 1}:a:0`);
      starts.push(await firstPts(tools, p.audioFirstSegment!));
    }
    const single = pieces.length === 1;
    const target = single ? out : path.join(work, `piece_${i + 1}.mp4`);
    await run(
      tools.ffmpegPath,
      [
        '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-copyts', ...inputs, ...maps,
        '-c', 'copy', '-output_ts_offset', (-Math.min(...starts)).toFixed(6),
        ...(single ? ['-movflags', '+faststart'] : []),
        '-f', 'mp4', target,
      ],
      60 * 60_000,
    );
    parts.push(target);
  }
  if (pieces.length > 1) {
    const list = path.join(work, 'pieces.txt');
    await writeFile(list, parts.map(concatListLine).join('\n') + '\n');
    await run(tools.ffmpegPath, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', out], 60 * 60_000);
  }
  if ((await stat(out)).size === 0) throw new MediaError('the MP4 is empty');
  return out;
}

/**
 * A poster from a segment: its first frame (a keyframe; inside a VOD, not the black of a stream's
 * start), scaled to at most 1280 wide. Null when no frame came out.
 */
export async function segmentPoster(tools: MediaTools, input: string, out: string): Promise<string | null> {
  await rm(out, { force: true });
  await run(tools.ffmpegPath, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-map', '0:v:0', '-frames:v', '1', '-vf', "scale='min(1280,iw)':-2", '-q:v', '3', out], 120_000);
  return (await stat(out).then((s) => s.size, () => 0)) > 0 ? out : null;
}
