// Answers OME's AdmissionWebhooks. OME waits (3 s by default) with a socket thread blocked, so:
// signature and token checks are pure CPU, playback reads come from the access cache, publish is
// one conditional SQL statement, and webhooks / SSE fan-out happen after the answer is decided.
import type { AppContext } from '../context.js';
import { checkPublish, decidePlayback, playbackTarget } from './admission-rules.js';
import type { AdmissionRequest } from './schemas.js';
import { closeJobId, type CloseJob } from '../streams/close-retry.js';
import { isUuid } from '../streams/ids.js';
import { normalizeProtocol, parseOmeUrl } from './urls.js';

/** OME waits 3 s by default; answer well inside that. */
export const DECISION_DEADLINE_MS = 2_000;

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`admission decision exceeded ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export type OpeningAnswer = { allowed: boolean; reason?: string; new_url?: string; lifetime?: number };
export type AdmissionAnswer = OpeningAnswer | Record<string, never>;

export class AdmissionService {
  constructor(private readonly ctx: AppContext) {}

  async handle(body: AdmissionRequest): Promise<AdmissionAnswer> {
    const { request, client } = body;
    const started = process.hrtime.bigint();
    try {
      if (request.status === 'closing') {
        await this.closing(body);
        return {};
      }
      let answer: OpeningAnswer;
      try {
        answer = await withDeadline(request.direction === 'incoming' ? this.openPublish(body) : this.openPlayback(body), DECISION_DEADLINE_MS);
      } catch (err) {
        // Database or Redis away, or too slow for OME's timeout: fail closed with a reason OME logs,
        // instead of an HTTP error (OME treats those as a refusal too, but without saying why).
        this.ctx.logger.error({ err, domain: 'admission', direction: request.direction }, 'admission could not be decided');
        this.ctx.metrics.admissions.inc({ direction: request.direction, protocol: normalizeProtocol(request.protocol).slice(0, 16), result: 'error' });
        return { allowed: false, reason: 'admission temporarily unavailable' };
      }
      this.ctx.metrics.admissions.inc({ direction: request.direction, protocol: normalizeProtocol(request.protocol).slice(0, 16), result: answer.allowed ? 'allowed' : 'denied' });
      if (!answer.allowed) {
        // Client address and the refusal reason only: never the URL, which carries the key.
        this.ctx.logger.info({ domain: 'admission', direction: request.direction, protocol: request.protocol, client: client.address, reason: answer.reason }, 'admission denied');
      }
      return answer;
    } finally {
      this.ctx.metrics.admissionDuration.observe({ direction: request.direction }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async openPublish({ request, client }: AdmissionRequest): Promise<OpeningAnswer> {
    const { app, publicHost: host, rtmpPort, srtPort } = this.ctx.config.ome;
    const check = checkPublish(request, { app, publishSecret: this.ctx.config.auth.publishSecret, redirectTo: { host, rtmpPort, srtPort } });
    if (!check.ok) return { allowed: false, reason: check.reason };
    const started = await this.ctx.lifecycle.startPublish({
      streamId: check.streamId,
      keyVersion: check.keyVersion,
      protocol: check.protocol,
      clientAddress: client.address,
      clientPort: client.port,
    });
    if (!started.ok) return { allowed: false, reason: started.reason };
    return { allowed: true, reason: 'authorized', ...(check.newUrl ? { new_url: check.newUrl } : {}) };
  }

  private async openPlayback({ request }: AdmissionRequest): Promise<OpeningAnswer> {
    const t = playbackTarget(request, { app: this.ctx.config.ome.app });
    if (!t.ok) return { allowed: false, reason: t.reason };
    const facts = await this.ctx.accessCache.get(t.streamId);
    const d = decidePlayback(t.streamId, t.token, facts, { playbackSecret: this.ctx.config.auth.playbackSecret, nowMs: Date.now() });
    if (!d.ok) return { allowed: false, reason: d.reason };
    return { allowed: true, reason: 'authorized', ...(d.lifetimeMs !== undefined ? { lifetime: d.lifetimeMs } : {}) };
  }

  /** Publisher gone: end its session. Viewer closings need no bookkeeping (viewer counts come from OME's stats). */
  private async closing({ request, client }: AdmissionRequest): Promise<void> {
    if (request.direction !== 'incoming') return;
    const url = parseOmeUrl(request.url, request.protocol);
    if (!url || url.app !== this.ctx.config.ome.app || !isUuid(url.stream)) return;
    const job: CloseJob = { streamId: url.stream, clientAddress: client.address, clientPort: client.port, reason: 'publisher_disconnected', at: new Date().toISOString() };
    try {
      await withDeadline(this.ctx.lifecycle.endPublish({ ...job, at: new Date(job.at) }), DECISION_DEADLINE_MS);
    } catch (err) {
      this.ctx.logger.warn({ err, domain: 'admission', streamId: job.streamId }, 'closing not recorded; queued for retry');
      // Redis commands wait for a reconnect, so bound this too: OME must get its answer.
      await withDeadline(this.ctx.closeQueue.add('close', job, { jobId: closeJobId(job) }), 500).catch((qerr: unknown) =>
        this.ctx.logger.error({ err: qerr, streamId: job.streamId }, 'closing could not be queued either'),
      );
    }
  }
}
