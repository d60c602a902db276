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

/**
 * Root reads any file whatever its mode (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH). setpriv drops both
 * from the inheritable and bounding sets before it execs node, so a worker started by root is held to
 * file modes like a deployed worker running as an ordinary user; other users need nothing.
 */
const DROP_FILE_CAPS = ['setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--'];

export function startChild(env: Record<string, string>, opts: { fileModesApply?: boolean } = {}): ChildProcess & { output: string[] } {
  // node itself with tsx as a loader (not the tsx CLI, which would put a wrapper process in
  // between): the signal must reach the worker. setpriv execs in place, so the pid stays node's.
  const argv = [process.execPath, '--import', 'tsx', '--conditions=source', 'src/main.ts'];
  if (opts.fileModesApply && process.getuid?.() === 0) argv.unshift(...DROP_FILE_CAPS);
  const child = spawn(argv[0]!, argv.slice(1), {
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
