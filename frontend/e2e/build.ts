// Builds frontend/dist when it is missing or older than any source file, so the e2e test always
// drives the current code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const frontendDir = path.resolve(import.meta.dirname, '..');

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), 0);
}

export function ensureBuilt(): string {
  const dist = path.join(frontendDir, 'dist');
  const index = path.join(dist, 'index.html');
  const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((f) => path.join(frontendDir, f));
  const stale = !existsSync(index) || inputs.some((f) => existsSync(f) && newestMtime(f) > statSync(index).mtimeMs);
  if (stale) {
    execFileSync('npm', ['run', 'build', '-w', 'frontend'], {
      cwd: path.resolve(frontendDir, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 110_000,
    });
  }
  return dist;
}
