// Every PostgreSQL advisory lock key the backend takes, in one place. Advisory locks share one key
// space per database, so two jobs that picked the same number would take each other's lock: the
// health sampler and the restream supervisor once did (both 7211452302), and each skipped its tick
// whenever the other was running one. lock-keys.test.ts checks they stay distinct.
export const LOCK_KEYS = {
  /** Serializes sign-ups (the "is this the first account?" check). */
  registration: 0x6f6370_01,
  /** Reconnect-window expiry sweep. */
  reconnectSweep: 7_211_452_301,
  /** Restream output supervisor. */
  outputSupervisor: 7_211_452_302,
  /** Health sampler. */
  healthSampler: 7_211_452_303,
  /** Viewer-latency sample retention. */
  latencyRetention: 7_211_452_304,
} as const;

export type LockName = keyof typeof LOCK_KEYS;
