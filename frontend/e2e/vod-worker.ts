// Starts the real VOD worker (vod-uploader/src/main.ts through tsx) as a child process, with the
// env its own tests use (vod-uploader/test/support/harness.ts), pointed at the e2e's database,
// Redis prefix, GCS test server and recordings folder.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild } from './child.js';
import { testEnv, type TestEnvInput } from '../../vod-uploader/test/support/harness.js';

export interface VodWorkerProcess {
  logs: () => string;
  stop(): Promise<void>;
}

const workerDir = path.resolve(import.meta.dirname, '..', '..', 'vod-uploader');

export async function startVodWorker(input: Omit<TestEnvInput, 'extra'>, timeoutMs = 45_000): Promise<VodWorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/main.ts'], {
    cwd: workerDir,
    // PATH: the worker runs ffmpeg/ffprobe. Info logs: the start-up line below says it is taking work.
    env: { PATH: process.env.PATH, ...testEnv({ ...input, extra: { LOG_LEVEL: 'info' } }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (l: string) => {
    lines.push(l);
    if (lines.length > 300) lines.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vod-uploader did not start in time:\n${lines.slice(-30).join('\n')}`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vod-uploader exited with ${code}:\n${lines.slice(-30).join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      try {
        if ((JSON.parse(line) as { msg?: string }).msg === 'vod-uploader running') {
          clearTimeout(timer);
          resolve();
        }
      } catch {
        // not a JSON log line
      }
    });
  });

  return {
    logs: () => lines.join('\n'),
    stop: () => stopChild(child, 10_000),
  };
}
