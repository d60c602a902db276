// Real recordings for tests: ffmpeg (Debian) encodes a test pattern + tone as OME would record it,
// and an OME-style info XML (docs/recording.md Appendix B, OME 0.20 field order) describes it.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
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
