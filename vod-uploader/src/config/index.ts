// The worker's only reader of process.env: env → zod → frozen typed config, checked once at boot.
import os from 'node:os';
import path from 'node:path';
import { SECRET_HINT as secretProblemHint, urlPasswordProblem } from '@ocp/backend/secrets';
import { z } from 'zod';
import { DEFAULT_LADDER, parseLadder, type LadderRung } from '../vods/ladder.js';
import { webhookDeliveryEnv, webhookDeliverySettings, type WebhookDeliverySettings } from '@ocp/backend/webhooks';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Test-only fault injection (jobs/vod-upload-handler.ts afterReady); refused unless NODE_ENV=test.
  TEST_FAULT_POINT: z.string().regex(/^kill-after-commit:[a-z.]+$/).optional(),
  DATABASE_URL: z.string().min(1),
  REDIS_URL: z.string().min(1),
  REDIS_PREFIX: z.string().min(1).default('ocp'),
  RECORDINGS_DIR: z.string().min(1).default('/var/lib/ome/records'),
  // Scratch space for HLS remux output; cleaned after each job.
  VOD_WORK_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'ocp-vod-work')),

  GCS_BUCKET: z.string().min(3),
  GCS_PREFIX: z.string().default('vods/'),
  // Empty = real Google Cloud Storage; compose sets http://gcs:4443 (fake-gcs-server).
  GCS_API_ENDPOINT: z.string().default(''),
  GCS_PROJECT_ID: z.string().default(''),
  GOOGLE_APPLICATION_CREDENTIALS: z.string().default(''),
  SIGNED_URL_TTL_SECONDS: int(3600, 60),
  // Objects at least this big go through a resumable session; smaller ones in one multipart request.
  GCS_RESUMABLE_THRESHOLD_MB: z.coerce.number().min(0).default(8),
  // 0 (default) = one streaming request per object: constant memory and the best throughput; after
  // a dropped connection the worker reopens the same session and continues from GCS's offset.
  // > 0 = chunked session (multiple of 0.25): each chunk is buffered in memory and re-sent by the
  // client itself after a failure (more memory, one round trip per chunk).
  GCS_CHUNK_SIZE_MB: z.coerce.number().min(0).default(0),
  // Retries inside the storage client (per request), before the job-level retry takes over.
  GCS_MAX_RETRIES: int(4, 0),
  GCS_RETRY_DELAY_MULTIPLIER: z.coerce.number().min(1).default(2),
  GCS_MAX_RETRY_DELAY_SECONDS: int(16, 1),
  GCS_UPLOAD_PARALLELISM: int(4, 1),
  // crc32c (GCS's recommended check, always on) catches corruption; MD5 on top costs ~5x its CPU.
  GCS_VERIFY_MD5: bool.default(false),

  VOD_CONCURRENCY: int(2, 1),
  VOD_ATTEMPTS: int(5, 1),
  VOD_BACKOFF_MS: int(15_000, 0),
  // BullMQ lock / stall detection: a killed worker's job is taken over after roughly this long.
  VOD_LOCK_DURATION_MS: int(60_000, 1_000),
  VOD_STALLED_INTERVAL_MS: int(30_000, 500),
  VOD_MAX_STALLED_COUNT: int(3, 1),
  VOD_KEEP_ORIGINALS_HOURS: z.coerce.number().min(0).default(24),
  VOD_SWEEP_INTERVAL_SECONDS: int(600, 1),
  VOD_HLS_SEGMENT_SECONDS: int(6, 1),
  // A recording whose start lies a little before the session's start still belongs to it.
  VOD_SESSION_SLACK_SECONDS: int(30, 0),
  // One Vod per broadcast: join a session's pieces this long after it ended (OME finalises files
  // after the closing call), and look at a still-open session again every POLL seconds.
  VOD_SESSION_SETTLE_SECONDS: int(30, 0),
  VOD_SESSION_POLL_SECONDS: int(10, 1),
  // The ABR ladder as OME encodes it (Server.xml): <name>:<height>:<bitrate>, names = record map dirs.
  VOD_LADDER: z.string().default(DEFAULT_LADDER),
  VOD_TRANSCODE_MISSING: bool.default(true),
  VOD_TRANSCODE_PRESET: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
  VOD_RENDITION_GROUP_SECONDS: int(10, 1),
  RECORDINGS_WATCH: bool.default(true),
  // Full rescan of RECORDINGS_DIR besides the watcher, so a lost filesystem event delays a VOD, never loses it.
  RECORDINGS_RECONCILE_SECONDS: int(60, 1),
  // Delivery policy of vod.ready / vod.failed webhooks (the backend's webhook queue runs them):
  // the backend's own schema and defaults, so both services read these the same way.
  WEBHOOK_DELIVERY_ATTEMPTS: webhookDeliveryEnv.WEBHOOK_DELIVERY_ATTEMPTS,
  WEBHOOK_BACKOFF_MS: webhookDeliveryEnv.WEBHOOK_BACKOFF_MS,

  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  METRICS_PORT: int(9100, 0),
  METRICS_HOST: z.string().default('0.0.0.0'),
  // Clips and MP4 downloads of stored VODs (queue vod-edits) cut and built at once.
  VOD_EDIT_CONCURRENCY: int(1, 1),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  /** Test-only fault injection point; '' = none. */
  faultPoint: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** BullMQ key prefix, shared with the backend (`<REDIS_PREFIX>:bull`) so both see the same queues. */
  bullPrefix: string;
  recordingsDir: string;
  workDir: string;
  gcs: {
    bucket: string;
    prefix: string;
    apiEndpoint: string | null;
    projectId: string | null;
    credentialsFile: string | null;
    signedUrlTtlSeconds: number;
    resumableThresholdBytes: number;
    chunkSizeBytes: number;
    maxRetries: number;
    retryDelayMultiplier: number;
    maxRetryDelaySeconds: number;
    uploadParallelism: number;
    verifyMd5: boolean;
  };
  queue: {
    concurrency: number;
    attempts: number;
    backoffMs: number;
    lockDurationMs: number;
    stalledIntervalMs: number;
    maxStalledCount: number;
  };
  retention: { keepOriginalsHours: number; sweepIntervalMs: number };
  media: { ffmpegPath: string; ffprobePath: string; hlsSegmentSeconds: number };
  abr: { ladder: LadderRung[]; transcodeMissing: boolean; transcodePreset: string; groupToleranceMs: number };
  sessionSlackMs: number;
  sessionJoin: { settleMs: number; pollMs: number };
  watch: boolean;
  reconcileIntervalMs: number;
  webhooks: WebhookDeliverySettings;
  metrics: { port: number; host: string };
  /** Clips and downloads of stored VODs (jobs/edits-worker.ts). */
  edits: { concurrency: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MB = 1024 * 1024;
// GCS requires resumable chunks in multiples of 256 KiB (except the last one).
const GCS_CHUNK_QUANTUM = 256 * 1024;

export function loadConfig(source: Record<string, string | undefined> = process.env): Readonly<Config> {
  // Empty strings mean "unset" for optional values with defaults (compose files often pass VAR=).
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([k, v]) => k in EnvSchema.shape && v !== undefined && !(v === '' && !keepEmpty.has(k))),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      return source[name] === undefined || source[name] === '' ? `${name} is required` : `${name}: ${i.message}`;
    });
    throw new ConfigError(`invalid vod-uploader configuration: ${issues.join('; ')}`);
  }
  const e = parsed.data;
  const chunk = Math.round(e.GCS_CHUNK_SIZE_MB * MB);
  if (chunk % GCS_CHUNK_QUANTUM !== 0) throw new ConfigError('GCS_CHUNK_SIZE_MB must be a multiple of 0.25 (GCS chunks are multiples of 256 KiB)');
  if (e.GCS_API_ENDPOINT && !/^https?:\/\//.test(e.GCS_API_ENDPOINT)) {
    throw new ConfigError('GCS_API_ENDPOINT must be an http(s) URL');
  }
  if (e.GCS_PREFIX.startsWith('/')) throw new ConfigError('GCS_PREFIX must not start with "/"');
  // Production never runs with a password published in this repository (backend/src/config/secrets.ts).
  if (e.NODE_ENV === 'production') {
    for (const [name, url] of [['DATABASE_URL', e.DATABASE_URL], ['REDIS_URL', e.REDIS_URL]] as const) {
      const problem = urlPasswordProblem(url);
      if (problem) throw new ConfigError(`${name} ${problem}; ${secretProblemHint}`);
    }
  }
  if (e.TEST_FAULT_POINT && e.NODE_ENV !== 'test') throw new ConfigError('TEST_FAULT_POINT is for the test suite only (NODE_ENV=test)');
  let ladder: LadderRung[];
  try {
    ladder = parseLadder(e.VOD_LADDER);
  } catch (err) {
    throw new ConfigError(`VOD_LADDER: ${(err as Error).message}`);
  }
  if (e.VOD_STALLED_INTERVAL_MS > e.VOD_LOCK_DURATION_MS) {
    throw new ConfigError('VOD_STALLED_INTERVAL_MS must not exceed VOD_LOCK_DURATION_MS');
  }

  return Object.freeze({
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    faultPoint: e.TEST_FAULT_POINT ?? '',
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    bullPrefix: `${e.REDIS_PREFIX}:bull`,
    recordingsDir: path.resolve(e.RECORDINGS_DIR),
    workDir: path.resolve(e.VOD_WORK_DIR),
    gcs: {
      bucket: e.GCS_BUCKET,
      prefix: e.GCS_PREFIX === '' || e.GCS_PREFIX.endsWith('/') ? e.GCS_PREFIX : `${e.GCS_PREFIX}/`,
      apiEndpoint: e.GCS_API_ENDPOINT || null,
      projectId: e.GCS_PROJECT_ID || null,
      credentialsFile: e.GOOGLE_APPLICATION_CREDENTIALS || null,
      signedUrlTtlSeconds: e.SIGNED_URL_TTL_SECONDS,
      resumableThresholdBytes: Math.round(e.GCS_RESUMABLE_THRESHOLD_MB * MB),
      chunkSizeBytes: chunk,
      maxRetries: e.GCS_MAX_RETRIES,
      retryDelayMultiplier: e.GCS_RETRY_DELAY_MULTIPLIER,
      maxRetryDelaySeconds: e.GCS_MAX_RETRY_DELAY_SECONDS,
      uploadParallelism: e.GCS_UPLOAD_PARALLELISM,
      verifyMd5: e.GCS_VERIFY_MD5,
    },
    queue: {
      concurrency: e.VOD_CONCURRENCY,
      attempts: e.VOD_ATTEMPTS,
      backoffMs: e.VOD_BACKOFF_MS,
      lockDurationMs: e.VOD_LOCK_DURATION_MS,
      stalledIntervalMs: e.VOD_STALLED_INTERVAL_MS,
      maxStalledCount: e.VOD_MAX_STALLED_COUNT,
    },
    retention: {
      keepOriginalsHours: e.VOD_KEEP_ORIGINALS_HOURS,
      sweepIntervalMs: e.VOD_SWEEP_INTERVAL_SECONDS * 1000,
    },
    media: { ffmpegPath: e.FFMPEG_PATH, ffprobePath: e.FFPROBE_PATH, hlsSegmentSeconds: e.VOD_HLS_SEGMENT_SECONDS },
    abr: { ladder, transcodeMissing: e.VOD_TRANSCODE_MISSING, transcodePreset: e.VOD_TRANSCODE_PRESET, groupToleranceMs: e.VOD_RENDITION_GROUP_SECONDS * 1000 },
    sessionSlackMs: e.VOD_SESSION_SLACK_SECONDS * 1000,
    sessionJoin: { settleMs: e.VOD_SESSION_SETTLE_SECONDS * 1000, pollMs: e.VOD_SESSION_POLL_SECONDS * 1000 },
    watch: e.RECORDINGS_WATCH,
    reconcileIntervalMs: e.RECORDINGS_RECONCILE_SECONDS * 1000,
    webhooks: webhookDeliverySettings(e),
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST },
    edits: { concurrency: e.VOD_EDIT_CONCURRENCY },
  });
}

// An explicitly empty GCS_PREFIX means "bucket root", not "use the default".
const keepEmpty = new Set(['GCS_PREFIX']);
