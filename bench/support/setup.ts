// Shared by the benchmarks: a throw-away migrated database and the backend started as a child
// process, so the load generator never shares an event loop with the server it measures.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

export const root = path.resolve(import.meta.dirname, '../..');
const ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function scratchDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const db = `${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${db}"`);
  await admin.end();
  const u = new URL(ADMIN);
  u.pathname = `/${db}`;
  const url = u.toString();
  execFileSync(process.execPath, [path.join(root, 'backend/tools/prisma-offline/run.mjs'), 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: url }, stdio: 'ignore' });
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Starts a TS entry point with tsx (or, with `compiled`, a built JS entry with plain node, as the
 * images run it); resolves with its port once it prints "LISTENING <port>" or logs its url.
 */
export function startChild(entry: string, env: Record<string, string>, opts: { compiled?: boolean } = {}): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, opts.compiled ? [entry] : ['--import', 'tsx', '--conditions=source', entry], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`${entry} did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      // Once started, its log is only drained (a full pipe would block the child): scanning an
      // ever-growing string on every chunk would cost the load generator CPU it shares with it.
      if (started) return;
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out) ?? /"url":"http:\/\/[^:]+:(\d+)"/.exec(out);
      if (m) {
        started = true;
        out = '';
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}: ${out}`)));
  });
}

/**
 * The secrets a production backend refuses to start without (strong and random, as
 * scripts/init-env.sh makes them); a bench overrides the ones it signs with itself.
 */
export function backendSecrets(): Record<string, string> {
  const hex = () => randomBytes(32).toString('hex');
  return {
    PUBLISH_JWT_SECRET: hex(), PLAYBACK_JWT_SECRET: hex(), SESSION_JWT_SECRET: hex(), OME_WEBHOOK_SECRET: hex(),
    OME_API_ACCESS_TOKEN: hex(), OUTPUT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  };
}
