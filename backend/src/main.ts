import v8 from 'node:v8';
import { ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './http/logger.js';
import { startBackend } from './server.js';

// The old generation may grow to twice what survived the last full GC before the next one; under a
// steady allocation rate V8 chose about 1.1x here, so a full GC every 3-5 s at 5,000 beacons/s. Each
// marks on helper threads beside the event loop, and on a 2-core host (PostgreSQL and Redis beside
// it) the requests arriving meanwhile waited 20-60 ms. With 100 %: 0-1 full GC per 20 s and a lower
// beacon p99 in 8 of 10 alternated runs (bench/README.md, "Viewer beacons"), for about 50 MB more
// heap at that load. `node --heap-growing-percent=N dist/main.js` overrides it (0: V8's own choice).
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) v8.setFlagsFromString('--heap-growing-percent=100');

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const logger = createLogger(config.logLevel);
const backend = await startBackend(config, logger);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    // Bounded: requests get 10 s, then jobs in flight finish; never outlive the orchestrator's grace period.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, 25_000).unref();
    backend.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
