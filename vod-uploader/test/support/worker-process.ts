// The worker as a real child process (src/main.ts through tsx), for tests where a process must
// die or receive a signal, and recordings placed the way OME's record map leaves them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeInfo } from './media.js';

const pkgDir = path.resolve(import.meta.dirname, '..', '..');

/** Copies `source` into the stream's recordings directory and lists it in a fresh info.xml. */
export async function placeRecording(recordingsDir: string, streamId: string, source: string) {
  const dir = path.join(recordingsDir, 'default', 'app', streamId);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomBytes(4).toString('hex')}.mp4`);
  await copyFile(source, file);
  const transactionId = randomBytes(8).toString('hex');
  await writeInfo(path.join(dir, 'info.xml'), [{ transactionId, stream: streamId, filePath: file, startTime: new Date() }]);
  return { file, recordingId: `${transactionId}-0`, transactionId };
}

export function startChild(env: Record<string, string>): ChildProcess & { output: string[] } {
  // node itself with tsx as a loader (not the tsx CLI, which would put a wrapper process in
  // between): the signal must reach the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/main.ts'], {
    cwd: pkgDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout!.on('data', (d: Buffer) => child.output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => child.output.push(d.toString()));
  return child;
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
