// What the code expects from its environment: the contract from the project brief, plus whatever the
// services' config modules declare (read from their source so a new variable shows up here by itself).
import fs from 'node:fs';
import path from 'node:path';
import { configKeys, repoRoot } from './repo.js';

export const SERVICES = ['ome', 'postgres', 'redis', 'backend', 'vod-uploader', 'frontend', 'gcs'] as const;

export const RECORDINGS_DIR = '/var/lib/ome/records';
export const OME_CONFIG_DIR = '/opt/ovenmediaengine/bin/origin_conf';

/** OME ports clients reach (host side = container side). */
export const OME_PUBLIC_PORTS = ['1935/tcp', '9999/udp', '3333/tcp', '3334/tcp', '3478/tcp', '10000-10009/udp'];
export const OME_API_PORT = 8081;
export const BACKEND_PORT = 8080;
export const FRONTEND_PORT = 8000;
export const WORKER_METRICS_PORT = 9100;

/** Backend env from the brief; the backend's config module adds its own (see backendEnvKeys). */
const BACKEND_CONTRACT = [
  'NODE_ENV', 'PORT', 'LOG_LEVEL', 'DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'CORS_ORIGIN', 'TRUST_PROXY',
  'SESSION_JWT_SECRET', 'PUBLISH_JWT_SECRET', 'PLAYBACK_JWT_SECRET', 'PLAYBACK_TOKEN_TTL_SECONDS',
  'OME_WEBHOOK_SECRET', 'OME_VHOST', 'OME_APP', 'OME_PUBLIC_HOST', 'OME_PUBLIC_TLS', 'OME_RTMP_PORT', 'OME_SRT_PORT',
  'OME_WEBRTC_PORT', 'OME_LLHLS_PORT', 'OME_API_URL', 'OME_API_ACCESS_TOKEN',
  'GCS_BUCKET', 'GCS_PREFIX', 'GCS_API_ENDPOINT', 'GCS_PROJECT_ID', 'GOOGLE_APPLICATION_CREDENTIALS', 'SIGNED_URL_TTL_SECONDS',
];

const WORKER_CONTRACT = [
  'DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'LOG_LEVEL', 'RECORDINGS_DIR', 'GCS_BUCKET', 'GCS_PREFIX',
  'GCS_API_ENDPOINT', 'GCS_PROJECT_ID', 'GOOGLE_APPLICATION_CREDENTIALS', 'SIGNED_URL_TTL_SECONDS',
  'VOD_CONCURRENCY', 'VOD_KEEP_ORIGINALS_HOURS', 'FFMPEG_PATH', 'FFPROBE_PATH', 'METRICS_PORT',
];

/** Config modules of a workspace (src/config/*.ts, tests excluded); empty while it has none yet. */
function configModules(workspace: string): string[] {
  const dir = path.join(repoRoot, workspace, 'src/config');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(workspace, 'src/config', f));
}

/**
 * TEST_* variables are fault-injection points the test suite sets (refused by the config modules
 * outside NODE_ENV=test): deployments must not set them, so they are not part of the deploy contract.
 */
function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())].filter((k) => !k.startsWith('TEST_')).sort();
}

export function backendEnvKeys(): string[] {
  return union(BACKEND_CONTRACT, ...configModules('backend').map(configKeys));
}

export function workerEnvKeys(): string[] {
  return union(WORKER_CONTRACT, ...configModules('vod-uploader').map(configKeys));
}

/** Names referenced as ${NAME}, ${NAME:-x}, ${NAME-x}, ${NAME:?msg} in a compose value ($$ is a literal $). */
export function interpolations(value: string): Array<{ name: string; op: string | undefined; arg: string | undefined }> {
  const out: Array<{ name: string; op: string | undefined; arg: string | undefined }> = [];
  for (const m of value.replace(/\$\$/g, '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?|:\+|\+)([^}]*))?\}/g)) {
    out.push({ name: m[1]!, op: m[2], arg: m[3] });
  }
  return out;
}
