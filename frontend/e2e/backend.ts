// Starts the real backend (backend/src/main.ts through tsx) as a child process on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { stopChild } from './child.js';

/** A port nothing listens on (bound once, then released), so connections to it are refused fast. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface BackendProcess {
  url: string;
  /** The port given as OME's WebRTC/LL-HLS port: closed, since OME does not run here. */
  omePort: number;
  omeWebhookSecret: string;
  logs: () => string;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export async function startBackend(opts: {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** OME's REST API (a fake in the e2e test) and its access token. */
  omeApiUrl: string;
  omeApiAccessToken: string;
  /** More settings, e.g. the GCS_* variables for signed VOD URLs. */
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<BackendProcess> {
  const omeWebhookSecret = randomBytes(24).toString('base64url');
  const secret = () => randomBytes(32).toString('base64url');
  const omePort = await closedPort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', path.join(repoRoot, 'backend/src/main.ts')],
    {
      cwd: path.join(repoRoot, 'backend'),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATABASE_URL: opts.databaseUrl,
        REDIS_URL: opts.redisUrl,
        REDIS_PREFIX: opts.redisPrefix,
        CORS_ORIGIN: 'http://127.0.0.1',
        SESSION_JWT_SECRET: secret(),
        PUBLISH_JWT_SECRET: secret(),
        PLAYBACK_JWT_SECRET: secret(),
        OME_WEBHOOK_SECRET: omeWebhookSecret,
        OME_PUBLIC_HOST: '127.0.0.1',
        // Nothing listens on the media port: the player gets real URLs that fail fast.
        OME_WEBRTC_PORT: String(omePort),
        OME_LLHLS_PORT: String(omePort),
        OME_API_URL: opts.omeApiUrl,
        OME_API_ACCESS_TOKEN: opts.omeApiAccessToken,
        // Reconcile only at start-up (nothing is live then): the test decides what OME "has".
        OME_RECONCILE_INTERVAL_SECONDS: '0',
        OME_API_TIMEOUT_MS: '2000',
        WEBHOOK_BACKOFF_MS: '100',
        WEBHOOK_DELIVERY_TIMEOUT_MS: '1000',
        // The test's webhook receiver listens on loopback: opt in, as an operator with an internal receiver would.
        WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
        LOGIN_RATE_LIMIT_PER_MINUTE: '100',
        // Restream outputs: a key ring of this run, and a quick poll so states change while the page watches.
        OUTPUT_ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
        OUTPUT_POLL_INTERVAL_MS: '300',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const keep = (l: string) => {
    lines.push(l);
    if (lines.length > 300) lines.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`backend did not start in time:\n${lines.slice(-30).join('\n')}`)),
      opts.timeoutMs ?? 45_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code}:\n${lines.slice(-30).join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'backend listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a JSON log line
      }
    });
  });

  return {
    url,
    omePort,
    omeWebhookSecret,
    logs: () => lines.join('\n'),
    stop: () => stopChild(child, 8000),
  };
}
