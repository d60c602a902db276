// Answers OME's AdmissionWebhooks. OME waits (3 s by default) with a socket thread blocked, so:
// signature and token checks are pure CPU, playback reads come from the access cache, publish is
// one conditional SQL statement, and webhooks / SSE fan-out happen after the answer is decided.
import type { AppContext } from '../context.js';
import { checkPublish, decidePlayback, playbackTarget } from './admission-rules.js';
import type { AdmissionRequest } from './schemas.js';
import { isUuid } from '../streams/ids.js';
import { normalizeProtocol, parseOmeUrl } from './urls.js';

export type AdmissionAnswer = { allowed: boolean; reason?: string; new_url?: string; lifetime?: number } | Record<string, never>;

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
      const answer = request.direction === 'incoming' ? await this.openPublish(body) : await this.openPlayback(body);
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

  private async openPublish({ request, client }: AdmissionRequest): Promise<AdmissionAnswer> {
    const check = checkPublish(request, { app: this.ctx.config.ome.app, publishSecret: this.ctx.config.auth.publishSecret });
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

  private async openPlayback({ request }: AdmissionRequest): Promise<AdmissionAnswer> {
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
    const url = parseOmeUrl(request.url);
    if (!url || url.app !== this.ctx.config.ome.app || !isUuid(url.stream)) return;
    await this.ctx.lifecycle.endPublish({ streamId: url.stream, clientAddress: client.address, clientPort: client.port, reason: 'publisher_disconnected' });
  }
}
