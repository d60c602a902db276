// The real API entry point (src/main.ts) as a child process, for tests that signal or kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const backendDir = path.resolve(import.meta.dirname, '../..');

export interface Child {
  proc: ChildProcess;
  port: number;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts src/main.ts with `env`; resolves once it logs the URL it listens on. */
export function startApi(env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/main.ts'], {
      cwd: backendDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
      proc.once('exit', (code, signal) => r({ code, signal, at: Date.now() })),
    );
    const timer = setTimeout(() => reject(new Error(`backend did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[1]), out: () => out, exited });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code} before listening: ${out}`));
    });
  });
}
