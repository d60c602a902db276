// Restream output use cases (routes call these). Only the configuration is written here; the push
// itself (state, pushId) belongs to the supervisor. A change of destination while a push runs clears
// the output's pushId: the supervisor then stops that push as an orphan and starts a new one.
import { randomUUID } from 'node:crypto';
import type { SessionClaims } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { AppError, badRequest, conflict, notFound } from '../http/errors.js';
import { isUuid } from '../streams/ids.js';
import type { StreamService } from '../streams/service.js';
import { keyHint, seal } from './crypto.js';
import { destinationUrlProblem } from './destination-policy.js';
import { checkDestination, type OutputProtocol, type Rendition } from './rules.js';
import { OUTPUT_LIMIT_PER_STREAM, toOutputDto } from './schemas.js';

export interface OutputInput {
  name: string;
  url: string;
  streamKey?: string;
  enabled?: boolean;
  rendition?: Rendition;
}

export class OutputService {
  constructor(private readonly ctx: AppContext, private readonly streams: StreamService) {}

  private ring() {
    const ring = this.ctx.config.outputs.keyRing;
    if (!ring) throw new AppError(503, 'outputs_not_configured', 'Restream outputs are not configured on this server (OUTPUT_ENCRYPTION_KEYS)');
    return ring;
  }

  /** Shape and address policy of a destination; the stream key rule follows the protocol. */
  private destination(url: string): { protocol: OutputProtocol; url: string } {
    const d = checkDestination(url);
    if (!d.ok) throw badRequest(d.code, d.message, [{ path: 'url', message: d.message }]);
    const problem = destinationUrlProblem(d.url, this.ctx.config.outbound);
    if (problem) throw badRequest('output_url_not_allowed', `Outputs may not reach this host: ${problem}`, [{ path: 'url', message: problem }]);
    return d;
  }

  private requireKey(protocol: OutputProtocol, streamKey: string | undefined) {
    if (protocol === 'rtmp' && !streamKey) throw badRequest('validation_error', 'An RTMP destination needs its stream key', [{ path: 'streamKey', message: 'Required for rtmp:// and rtmps://' }]);
  }

  private async ownedOutput(auth: SessionClaims, streamId: string, outputId: string) {
    await this.streams.owned(auth, streamId);
    const o = isUuid(outputId) ? await this.ctx.db.streamOutput.findUnique({ where: { id: outputId } }) : null;
    if (!o || o.streamId !== streamId) throw notFound('Output');
    return o;
  }

  async list(auth: SessionClaims, streamId: string) {
    await this.streams.owned(auth, streamId);
    const rows = await this.ctx.db.streamOutput.findMany({ where: { streamId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return { outputs: rows.map(toOutputDto) };
  }

  async create(auth: SessionClaims, streamId: string, body: OutputInput) {
    await this.streams.owned(auth, streamId);
    const ring = this.ring();
    const d = this.destination(body.url);
    this.requireKey(d.protocol, body.streamKey);
    if ((await this.ctx.db.streamOutput.count({ where: { streamId } })) >= OUTPUT_LIMIT_PER_STREAM) {
      throw conflict('output_limit', `A stream has at most ${OUTPUT_LIMIT_PER_STREAM} outputs`);
    }
    const id = randomUUID();
    const key = body.streamKey ?? '';
    const sealed = seal(ring, id, key);
    const o = await this.ctx.db.streamOutput.create({
      data: {
        id, streamId, name: body.name, url: d.url, protocol: d.protocol, streamKeyCipher: sealed.ciphertext, streamKeyKid: sealed.kid, streamKeyHint: keyHint(key),
        enabled: body.enabled ?? true, rendition: body.rendition ?? 'source',
      },
    });
    this.ctx.outputTrigger.fire();
    return toOutputDto(o);
  }

  async update(auth: SessionClaims, streamId: string, outputId: string, body: Partial<OutputInput>) {
    const o = await this.ownedOutput(auth, streamId, outputId);
    const d = body.url !== undefined ? this.destination(body.url) : { protocol: o.protocol, url: o.url };
    const keyChanged = body.streamKey !== undefined;
    // RTMP and SRT keys mean different things: a change of protocol takes a new key.
    if (d.protocol !== o.protocol && !keyChanged) throw badRequest('validation_error', 'A new protocol needs its stream key', [{ path: 'streamKey', message: 'Required when the URL changes between rtmp and srt' }]);
    if (keyChanged) this.requireKey(d.protocol, body.streamKey);
    const sealed = keyChanged ? seal(this.ring(), o.id, body.streamKey!) : null;
    const destinationChanged = d.url !== o.url || keyChanged || (body.rendition !== undefined && body.rendition !== o.rendition);
    const row = await this.ctx.db.streamOutput.update({
      where: { id: o.id },
      data: {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        ...(body.rendition !== undefined ? { rendition: body.rendition } : {}),
        url: d.url,
        protocol: d.protocol,
        ...(sealed ? { streamKeyCipher: sealed.ciphertext, streamKeyKid: sealed.kid, streamKeyHint: keyHint(body.streamKey!) } : {}),
        // Re-enabled, or pointed elsewhere: a fresh start, without waiting out an old backoff.
        ...(destinationChanged || body.enabled === true ? { attempts: 0, nextAttemptAt: null } : {}),
        ...(destinationChanged ? { pushId: null } : {}),
      },
    });
    this.ctx.outputTrigger.fire();
    return toOutputDto(row);
  }

  async remove(auth: SessionClaims, streamId: string, outputId: string) {
    const o = await this.ownedOutput(auth, streamId, outputId);
    // Its push (if any) no longer has an owner: the supervisor stops it on the tick this triggers.
    await this.ctx.db.streamOutput.deleteMany({ where: { id: o.id } });
    this.ctx.outputTrigger.fire();
  }
}
