// Samples every live broadcast's health from OME's stats while it is on air (issue 15.2). Every
// replica runs it; each tick takes a transaction-scoped advisory lock first, so one replica (the
// leader of that tick) samples and the others skip, as the reconnect sweep does. OME is asked for
// each live stream's info and current stats with a small concurrency (2 requests per stream); the
// tick's samples are written in one INSERT, and samples past the retention are deleted in batches.
import type { Logger } from 'pino';
import pMap from 'p-map';
import type { Db } from '../db/client.js';
import { asTickLeader } from '../db/tick-leader.js';
import type { OmeRestClient } from '../ome/rest-client.js';
import { toStreamStats } from '../ome/stats.js';

const CONCURRENCY = 8;
const PRUNE_BATCH = 10_000;

export interface HealthSampler {
  /** One tick now; resolves with how many samples it wrote (0 when another replica leads). */
  sample(): Promise<number>;
  stop(): Promise<void>;
}

export interface SamplerDeps {
  db: Db;
  ome: Pick<OmeRestClient, 'getStream' | 'getStreamStats'>;
  logger: Logger;
  retentionDays: number;
}

export function startHealthSampler(deps: SamplerDeps, intervalMs: number): HealthSampler {
  let running: Promise<number> | null = null;
  let stopped = false;

  const tick = async (): Promise<number> => {
    const written = await asTickLeader(deps.db, 'healthSampler', async () => {
      const live = await deps.db.streamSession.findMany({ where: { endedAt: null, stream: { status: 'live' } }, select: { id: true, streamId: true }, take: 2000 });
      const at = new Date();
      const rows = await pMap(live, async (s) => {
        try {
          const [info, stats] = await Promise.all([deps.ome.getStream(s.streamId), deps.ome.getStreamStats(s.streamId)]);
          const st = toStreamStats(s.streamId, info, stats, at);
          if (!st.live) return null;
          // viewersLlhls counts every non-WebRTC viewer (LL-HLS, and the rare HLS/SRT ones).
          return { sessionId: s.id, at, bitrateInBps: Math.min(st.input?.bitrateBps ?? 0, 2 ** 31 - 1), fps: st.input?.fps ?? null, viewersWebrtc: st.viewers.webrtc, viewersLlhls: st.viewers.total - st.viewers.webrtc };
        } catch (err) {
          deps.logger.debug({ err: (err as Error).message, streamId: s.streamId }, 'health sample skipped');
          return null;
        }
      }, { concurrency: CONCURRENCY });
      const samples = rows.filter((r): r is NonNullable<typeof r> => r !== null);
      if (samples.length) await deps.db.streamHealthSample.createMany({ data: samples });
      if (deps.retentionDays > 0) {
        await deps.db.$executeRaw`DELETE FROM "StreamHealthSample" WHERE id IN (
          SELECT id FROM "StreamHealthSample" WHERE at < now() - make_interval(days => ${deps.retentionDays}) LIMIT ${PRUNE_BATCH})`;
      }
      return samples.length;
    }, { timeout: 60_000 });
    return written ?? 0;
  };

  const sample = () =>
    (running ??= tick()
      .catch((err: unknown) => {
        deps.logger.warn({ err }, 'health sampling failed');
        return 0;
      })
      .finally(() => (running = null)));

  const timer = intervalMs > 0 ? setInterval(() => void (stopped || sample()), intervalMs) : null;
  timer?.unref();
  return {
    sample,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
