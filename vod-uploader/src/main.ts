// Entry point: config → reconcile → watch → worker; /healthz /readyz /metrics on METRICS_PORT.
import { createWebhookQueue } from '@ocp/backend/webhooks';
import { createDb } from '@ocp/backend/db';
import { createLogger, startVodService } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';
import { createRedis } from './redis.js';
import { webhookEventSink } from './vods/webhook-sink.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config);
  const db = createDb(config.databaseUrl, { poolSize: config.queue.concurrency + 3 });
  const webhookConn = createRedis(config.redisUrl);
  const webhookQueue = createWebhookQueue(webhookConn, config.bullPrefix);
  const events = webhookEventSink({ db, queue: webhookQueue, ...config.webhooks });
  const service = await startVodService(config, { logger, events, db });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running uploads');
    service
      .stop()
      .then(() => webhookQueue.close())
      .then(() => db.$disconnect())
      .then(() => {
        webhookConn.disconnect();
        process.exit(0);
      })
      .catch((err: Error) => {
        logger.error({ err: err.message }, 'unclean shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: Error) => {
  console.error('vod-uploader failed to start:', err);
  process.exit(1);
});
