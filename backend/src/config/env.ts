// The only module that reads process.env. Everything else receives the typed, frozen config.
import { z } from 'zod';
import { SECRET_HINT, secretProblem, urlPasswordProblem } from './secrets.js';
import { trustProxySchema } from './trust-proxy.js';
import { KeyRingError, parseKeyRing } from '../outputs/crypto.js';
import { webhookDeliveryEnv } from '../webhooks/settings.js';
import { parseCidrList } from '../net/address-policy.js';

/** Output encryption keys published in this repository's example files (base64 text). */
const PUBLISHED_OUTPUT_KEYS = new Set(['ZGV2LW9ubHktb3V0cHV0LWtleS1DSEFOR0UtTUUtMDA=']);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);
const secret = (name: string) =>
  z.string({ error: `${name} is required` }).min(32, `${name} must be at least 32 characters`);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080), // 0 = any free port (tests)
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.url({ error: 'DATABASE_URL is required (postgresql://…)' }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.url({ error: 'REDIS_URL is required (redis://…)' }),
    REDIS_PREFIX: z.string().min(1).default('ocp'),
    CORS_ORIGIN: z.string().default('http://localhost:8000'),
    TRUST_PROXY: trustProxySchema.default(['loopback']), // hop count, true/false, or addresses/CIDRs/loopback…
    BODY_LIMIT: z.string().default('64kb'),
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(), // unset = /metrics open

    SESSION_JWT_SECRET: secret('SESSION_JWT_SECRET'),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
    PUBLISH_JWT_SECRET: secret('PUBLISH_JWT_SECRET'),
    PLAYBACK_JWT_SECRET: secret('PLAYBACK_JWT_SECRET'),
    PLAYBACK_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(7 * 24 * 3600).default(3600),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    // Per account, whatever the client address: failed logins allowed per window (see docs/reliability.md).
    LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    LOGIN_ACCOUNT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(900),
    // Who may create an account: open (anyone), invite (an admin-issued invite link), closed (nobody).
    // The first account of an empty instance is always allowed. Default invite: a public instance
    // must not hand out accounts (streaming minutes, storage) to whoever finds it (docs/deployment.md).
    REGISTRATION: z.enum(['open', 'invite', 'closed'], { error: 'REGISTRATION must be open, invite or closed' }).default('invite'),
    // The first account of an empty instance becomes admin (false: use `make-admin` instead).
    FIRST_ACCOUNT_ADMIN: bool.default(true),
    INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(90 * 24).default(7 * 24), // default expiry of a new invite

    OME_WEBHOOK_SECRET: z.string({ error: 'OME_WEBHOOK_SECRET is required' }).min(8, 'OME_WEBHOOK_SECRET must be at least 8 characters'),
    OME_VHOST: z.string().default('default'),
    OME_APP: z.string().regex(/^[A-Za-z0-9_-]+$/).default('app'),
    OME_PLAYLIST: z.string().regex(/^[A-Za-z0-9_-]+$/).default('abr'),
    OME_PUBLIC_HOST: z.string({ error: 'OME_PUBLIC_HOST is required (host name viewers and encoders use)' }).min(1),
    OME_PUBLIC_TLS: bool.default(false),
    OME_RTMP_PORT: port.default(1935),
    OME_SRT_PORT: port.default(9999),
    OME_WEBRTC_PORT: port.default(3333),
    OME_LLHLS_PORT: port.default(3333),
    OME_API_URL: z.url().default('http://ome:8081'),
    OME_API_ACCESS_TOKEN: z.string().default(''),
    OME_API_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
    // Kicking a live publisher (DELETE stream on OME's REST API) is a queued job retried with
    // exponential backoff from OME_KICK_BACKOFF_MS, at most OME_KICK_ATTEMPTS times.
    OME_KICK_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
    OME_KICK_BACKOFF_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    // Admission requests are judged only while request.time is within ± this of the server clock.
    OME_ADMISSION_WINDOW_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
    OME_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60), // 0 = only at start-up
    // How often a replica looks for reconnect windows that passed (a stream ends at most this late).
    RECONNECT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),

    // Restream outputs (outputs/): `<kid>:<base64 32 bytes>,…`, the first encrypts, all decrypt. Required in production.
    OUTPUT_ENCRYPTION_KEYS: z.string().optional(),
    // How often the replica holding the output lock asks OME for its pushes while streams are on air.
    OUTPUT_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(300_000).default(5000),
    // Failed pushes are retried after base · 2^(n-1), at most max.
    OUTPUT_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
    OUTPUT_RETRY_MAX_MS: z.coerce.number().int().min(10).default(300_000),

    WEBHOOK_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    // One schema with the VOD worker, which enqueues vod.* deliveries on the same queue.
    WEBHOOK_DELIVERY_ATTEMPTS: webhookDeliveryEnv.WEBHOOK_DELIVERY_ATTEMPTS,
    WEBHOOK_BACKOFF_MS: webhookDeliveryEnv.WEBHOOK_BACKOFF_MS,
    WEBHOOK_WORKER: bool.default(true),
    // Outgoing requests to user-typed URLs (webhooks, restream destinations) reach only public
    // addresses unless the operator opts in: every address, or some ranges (net/address-policy.ts).
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    // An endpoint whose every delivery attempt has failed for this many days is disabled; 0 = never.
    // Health over time: how often live broadcasts are sampled from OME's stats (0 = off), and for how long samples are kept.
    HEALTH_SAMPLE_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
    HEALTH_SAMPLE_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
    // Viewer beacons (analytics/): players report latency (live) and watch time (VOD) every 10 s.
    // Budgets per client address and per player (viewerId) per minute, shared by all replicas (Redis);
    // beacons are buffered and written every BEACON_FLUSH_INTERVAL_MS or BEACON_BATCH_MAX_ROWS rows.
    BEACON_RATE_LIMIT_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    BEACON_RATE_LIMIT_PER_VIEWER_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    BEACON_FLUSH_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    BEACON_BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(50_000).default(1000),
    BEACON_BUFFER_MAX_ROWS: z.coerce.number().int().min(1).max(5_000_000).default(200_000),
    LATENCY_SAMPLE_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
    // Test-only fault injection (streams/lifecycle.ts); refused unless NODE_ENV=test.
    TEST_FAULT_POINT: z.string().regex(/^kill-after-commit:[a-z.]+$/).optional(),
    WEBHOOK_AUTO_DISABLE_DAYS: z.coerce.number().int().min(0).max(365).default(3),
    WEBHOOK_ALLOWED_CIDRS: z.string().default('').transform((raw, ctx) => {
      const list = parseCidrList(raw);
      if (!Array.isArray(list)) {
        ctx.addIssue({ code: 'custom', message: `WEBHOOK_ALLOWED_CIDRS has entries that are not CIDR ranges or addresses: ${list.bad.map((b) => JSON.stringify(b)).join(', ')}` });
        return z.NEVER;
      }
      return list;
    }),

    GCS_BUCKET: z.string().default(''),
    GCS_PREFIX: z.string().default('vods/'),
    GCS_API_ENDPOINT: z.string().default(''),
    GCS_PUBLIC_ENDPOINT: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
    GCS_PROJECT_ID: z.string().default(''),
    GOOGLE_APPLICATION_CREDENTIALS: z.string().default(''),
    SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
    // Clips (POST /api/vods/:id/clips): shortest and longest range that may be asked for.
    CLIP_MIN_SECONDS: z.coerce.number().min(0.5).max(3600).default(1),
    CLIP_MAX_SECONDS: z.coerce.number().min(1).max(24 * 3600).default(4 * 3600),
    // MP4 downloads: how long a signed download URL works (short: it is a bearer link to the file).
    DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(300),
  })
  .superRefine((env, ctx) => {
    // Distinct secrets: a leaked playback secret must not let anyone mint publish keys or sessions.
    const secrets = [env.SESSION_JWT_SECRET, env.PUBLISH_JWT_SECRET, env.PLAYBACK_JWT_SECRET];
    if (new Set(secrets).size !== secrets.length) {
      ctx.addIssue({ code: 'custom', path: ['PUBLISH_JWT_SECRET'], message: 'SESSION_JWT_SECRET, PUBLISH_JWT_SECRET and PLAYBACK_JWT_SECRET must all differ' });
    }
    if (env.OUTPUT_ENCRYPTION_KEYS !== undefined) {
      try {
        const ring = parseKeyRing(env.OUTPUT_ENCRYPTION_KEYS);
        // Production: no key published in this repository, none guessable (config/secrets.ts, on the base64 text).
        if (env.NODE_ENV === 'production') {
          for (const [kid, key] of ring.keys) {
            const problem = secretProblem(key.toString('base64')) ?? (PUBLISHED_OUTPUT_KEYS.has(key.toString('base64')) ? 'is a placeholder published in this repository' : null);
            if (problem) ctx.addIssue({ code: 'custom', path: ['OUTPUT_ENCRYPTION_KEYS'], message: `OUTPUT_ENCRYPTION_KEYS key "${kid}" ${problem}; generate one with \`openssl rand -base64 32\`` });
          }
        }
      } catch (err) {
        if (!(err instanceof KeyRingError)) throw err;
        ctx.addIssue({ code: 'custom', path: ['OUTPUT_ENCRYPTION_KEYS'], message: `OUTPUT_ENCRYPTION_KEYS ${err.message}` });
      }
    } else if (env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['OUTPUT_ENCRYPTION_KEYS'], message: 'OUTPUT_ENCRYPTION_KEYS is required in production (`<kid>:<base64 of 32 random bytes>`, e.g. `k1:$(openssl rand -base64 32)`)' });
    }
    if (env.OUTPUT_RETRY_MAX_MS < env.OUTPUT_RETRY_BASE_MS) {
      ctx.addIssue({ code: 'custom', path: ['OUTPUT_RETRY_MAX_MS'], message: 'OUTPUT_RETRY_MAX_MS must be at least OUTPUT_RETRY_BASE_MS' });
    }
    if (env.BEACON_BUFFER_MAX_ROWS < env.BEACON_BATCH_MAX_ROWS) {
      ctx.addIssue({ code: 'custom', path: ['BEACON_BUFFER_MAX_ROWS'], message: 'BEACON_BUFFER_MAX_ROWS must be at least BEACON_BATCH_MAX_ROWS' });
    }
    if (env.CLIP_MAX_SECONDS < env.CLIP_MIN_SECONDS) {
      ctx.addIssue({ code: 'custom', path: ['CLIP_MAX_SECONDS'], message: 'CLIP_MAX_SECONDS must be at least CLIP_MIN_SECONDS' });
    }
    if (env.TEST_FAULT_POINT && env.NODE_ENV !== 'test') {
      ctx.addIssue({ code: 'custom', path: ['TEST_FAULT_POINT'], message: 'TEST_FAULT_POINT is for the test suite only (NODE_ENV=test)' });
    }
    // Production never runs on a published placeholder or a guessable secret (config/secrets.ts).
    if (env.NODE_ENV === 'production') {
      const named: [string, string | undefined][] = [
        ['SESSION_JWT_SECRET', env.SESSION_JWT_SECRET], ['PUBLISH_JWT_SECRET', env.PUBLISH_JWT_SECRET], ['PLAYBACK_JWT_SECRET', env.PLAYBACK_JWT_SECRET],
        ['OME_WEBHOOK_SECRET', env.OME_WEBHOOK_SECRET], ['OME_API_ACCESS_TOKEN', env.OME_API_ACCESS_TOKEN || undefined], ['METRICS_TOKEN', env.METRICS_TOKEN],
      ];
      for (const [name, value] of named) {
        const problem = value === undefined ? null : secretProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', path: [name], message: `${name} ${problem}; ${SECRET_HINT}` });
      }
      for (const [name, url] of [['DATABASE_URL', env.DATABASE_URL], ['REDIS_URL', env.REDIS_URL]] as const) {
        const problem = urlPasswordProblem(url);
        if (problem) ctx.addIssue({ code: 'custom', path: [name], message: `${name} ${problem}; ${SECRET_HINT}` });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws one error naming every missing or invalid variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" so that `FOO=` in an env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
