// Real recordings for tests: ffmpeg (Debian) encodes a test pattern + tone as OME would record it,
// and an OME-style info XML (docs/recording.md Appendix B, OME 0.20 field order) describes it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function makeRecording(file: string, opts: { seconds?: number; videoBitrate?: string; size?: string } = {}): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const seconds = String(opts.seconds ?? 6);
  await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${opts.size ?? '640x360'}:rate=30`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', seconds,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-pix_fmt', 'yuv420p',
    ...(opts.videoBitrate ? ['-b:v', opts.videoBitrate, '-maxrate', opts.videoBitrate, '-bufsize', opts.videoBitrate, '-x264-params', 'nal-hrd=cbr'] : []),
    '-c:a', 'aac', '-b:a', '128k',
    ...(file.endsWith('.mp4') ? ['-movflags', '+faststart'] : []),
    file,
  ]);
  return file;
}

export interface InfoEntry {
  transactionId: string;
  id?: string;
  stream: string;
  filePath: string;
  sequence?: number;
  recordBytes?: number;
  recordTimeMs?: number;
  startTime?: Date;
  finishTime?: Date;
}

const omeTime = (d: Date) => d.toISOString().replace('Z', '+00:00');

export function infoXml(entries: InfoEntry[]): string {
  const files = entries
    .map((e) => {
      const start = e.startTime ?? new Date();
      const finish = e.finishTime ?? new Date(start.getTime() + (e.recordTimeMs ?? 6000));
      return `  <file>
    <transactionId>${e.transactionId}</transactionId>
    <id>${e.id ?? 'autoRec'}</id>
    <metadata></metadata>
    <vhost>default</vhost>
    <app>app</app>
    <stream>${e.stream}</stream>
    <filePath><![CDATA[${e.filePath}]]></filePath>
    <recordBytes>${e.recordBytes ?? 0}</recordBytes>
    <recordTime>${e.recordTimeMs ?? 6000}</recordTime>
    <sequence>${e.sequence ?? 0}</sequence>
    <lastSequence>true</lastSequence>
    <createdTime>${omeTime(start)}</createdTime>
    <startTime>${omeTime(start)}</startTime>
    <finishTime>${omeTime(finish)}</finishTime>
  </file>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<files>\n${files}\n</files>\n`;
}

export async function writeInfo(file: string, entries: InfoEntry[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Written beside and renamed, like a well-behaved writer: the watcher never sees half a file.
  await writeFile(`${file}.tmp`, infoXml(entries));
  const { rename } = await import('node:fs/promises');
  await rename(`${file}.tmp`, file);
}

export async function ffprobeJson(target: string): Promise<{ format: { duration: string; format_name: string }; streams: { codec_type: string }[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', target], { timeout: 60_000 });
  return JSON.parse(stdout);
}

export interface LadderOptions {
  seconds?: number;
  /** Source picture (the encoder's). */
  size?: string;
  /** Source keyframe interval in frames (30 fps): 60 = every 2 s, as creators are told. */
  sourceGop?: number;
  /** Rung heights OME encodes (keyframes every 1 s, KeyFrameIntervalType time); name = `<h>p`. */
  rungs?: number[];
  /** Rung names recorded as pass-through copies of the source (BypassIfMatch: source at or below the rung). */
  copies?: string[];
  /** Where the stream's own timestamps start (OME keeps them, SegmentRule continuity). */
  startOffsetS?: number;
}

export interface LadderFiles {
  /** Rendition name → file, as the record map names it: <dir>/<rendition>/<start>_<end>.mp4 */
  files: Map<string, string>;
}

/**
 * One publish recorded as OME's record map (record_map.xml) leaves it: the source (video + AAC) and
 * each rung (video only) in its own directory, all from the same frames, the rungs scaled with a
 * keyframe every 30 frames, every file carrying the stream's timestamps (starting at
 * startOffsetS, not 0). The files are made once as MPEG-TS with one shared clock and then remuxed
 * to MP4 with those timestamps kept, as OME's MP4 writer does in continuity mode.
 */
export async function makeLadder(dir: string, fileName: string, opts: LadderOptions = {}): Promise<LadderFiles> {
  const seconds = opts.seconds ?? 8;
  const rungs = opts.rungs ?? [480, 360];
  const tmp = path.join(dir, '.make');
  await mkdir(tmp, { recursive: true });
  const split = rungs.length + 1;
  const graph = [`[0:v]split=${split}[s]${rungs.map((_, i) => `[r${i}]`).join('')}`, ...rungs.map((h, i) => `[r${i}]scale=-2:${h}[o${i}]`)].join(';');
  const common = ['-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-sc_threshold', '0'];
  const offset = ['-output_ts_offset', String(opts.startOffsetS ?? 5), '-f', 'mpegts'];
  await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${opts.size ?? '1280x720'}:rate=30:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-filter_complex', graph,
    '-map', '[s]', '-map', '1:a', ...common, '-g', String(opts.sourceGop ?? 60), '-keyint_min', String(opts.sourceGop ?? 60), '-b:v', '2500k', '-c:a', 'aac', '-b:a', '128k', ...offset, path.join(tmp, 'source.ts'),
    ...rungs.flatMap((h, i) => ['-map', `[o${i}]`, ...common, '-g', '30', '-keyint_min', '30', '-b:v', `${Math.round(h * 2.5)}k`, ...offset, path.join(tmp, `${h}p.ts`)]),
  ], { timeout: 120_000 });
  const files = new Map<string, string>();
  const remux = async (name: string, from: string, videoOnly: boolean) => {
    const out = path.join(dir, name, fileName);
    await mkdir(path.dirname(out), { recursive: true });
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-copyts', '-i', from, ...(videoOnly ? ['-map', '0:v:0'] : []), '-c', 'copy', out], { timeout: 60_000 });
    files.set(name, out);
  };
  await remux('source', path.join(tmp, 'source.ts'), false);
  for (const h of rungs) await remux(`${h}p`, path.join(tmp, `${h}p.ts`), true);
  for (const name of opts.copies ?? []) await remux(name, path.join(tmp, 'source.ts'), true);
  const { rm } = await import('node:fs/promises');
  await rm(tmp, { recursive: true, force: true });
  return { files };
}

/** The record map's layout: <stream>/<rendition>/<file> and <stream>/<rendition>/info.xml, one transaction each. */
export class LadderBroadcast {
  readonly entries = new Map<string, InfoEntry[]>();
  constructor(readonly recordingsDir: string, readonly streamId: string) {}
  async publish(files: Map<string, string>, startTime: Date, skip: string[] = []): Promise<void> {
    for (const [name, src] of files) {
      if (skip.includes(name)) continue;
      const dir = path.join(this.recordingsDir, 'default', 'app', this.streamId, name);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, path.basename(src));
      await copyFile(src, file);
      const list = this.entries.get(name) ?? [];
      // Each Record starts at its own first keyframe: a few ms apart.
      list.push({ transactionId: randomBytes(8).toString('hex'), stream: this.streamId, filePath: file, startTime: new Date(startTime.getTime() + (name === 'source' ? 0 : 37)), recordBytes: (await stat(file)).size });
      this.entries.set(name, list);
      await writeInfo(path.join(dir, 'info.xml'), list);
    }
  }
}
