// OME's Push publishing actions (docs/rest-api/v1/virtualhost/application/push.md), kept apart from
// the read-only rest-client.ts:
//   POST /v1/vhosts/{vhost}/apps/{app}:startPush  {id, stream:{name, variantNames}, protocol, url, streamKey}
//   POST /v1/vhosts/{vhost}/apps/{app}:stopPush   {id}
//   POST /v1/vhosts/{vhost}/apps/{app}:pushes     {} → every push task ("response" is a JSON array)
// Same auth (Basic base64(AccessToken)) and envelope ({statusCode, message, response}) as the rest.
// OME echoes `url` and `streamKey` in its answers: nothing here keeps, returns or logs them, only each
// push's id, state and stream name leave this module.
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { AppError } from '../http/errors.js';
import { OmeUnreachableError, type OmeRestOptions } from './rest-client.js';

/** Push states (push.md, "State of Push Publishing"; base/info/push.cpp GetStateString). */
export const OME_PUSH_STATES = ['ready', 'connecting', 'pushing', 'stopping', 'stopped', 'error'] as const;
export type OmePushState = (typeof OME_PUSH_STATES)[number];
export const END_PUSH_STATES: ReadonlySet<OmePushState> = new Set(['stopping', 'stopped']);

export interface OmePush {
  id: string;
  state: OmePushState;
  streamName: string;
}

/** Only what we use of a push task; unknown states (a newer OME) count as `connecting`. */
const PushTask = z.object({
  id: z.string(),
  state: z.string().transform((s): OmePushState => ((OME_PUSH_STATES as readonly string[]).includes(s) ? (s as OmePushState) : 'connecting')),
  stream: z.object({ name: z.string() }).optional(),
});
const PushListResponse = z.object({ statusCode: z.number(), response: z.array(PushTask) });
const PushStartResponse = z.object({ statusCode: z.number(), response: PushTask });
const ErrorEnvelope = z.object({ message: z.string().optional(), statusCode: z.number().optional() });

/** OME answered startPush with a refusal (400 bad request / duplicate id, 404 no app or Push publisher, 409). */
export class OmePushRefused extends AppError {
  constructor(readonly httpStatus: number, readonly omeMessage: string) {
    super(502, 'ome_push_refused', `OME refused the push (${httpStatus}): ${omeMessage}`);
  }
}

export interface StartPushRequest {
  id: string;
  streamName: string;
  variantNames: readonly string[];
  protocol: 'rtmp' | 'srt';
  url: string;
  streamKey: string;
}

/** "[HTTP] Duplicate ID (400)" → "Duplicate ID"; at most 300 characters. */
export function omeReason(body: unknown, status: number): string {
  const parsed = ErrorEnvelope.safeParse(body);
  const raw = parsed.success && parsed.data.message ? parsed.data.message : `HTTP ${status}`;
  return raw.replace(/^\[HTTP\]\s*/, '').replace(/\s*\(\d{3}\)\s*$/, '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300);
}

export class OmePushClient {
  private readonly http: AxiosInstance;

  constructor(private readonly o: OmeRestOptions) {
    this.http = axios.create({
      baseURL: o.apiUrl.replace(/\/+$/, ''),
      timeout: o.timeoutMs,
      headers: { Authorization: `Basic ${Buffer.from(o.accessToken, 'utf8').toString('base64')}`, Accept: 'application/json', 'Content-Type': 'application/json' },
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  private action(name: 'startPush' | 'stopPush' | 'pushes'): string {
    const e = encodeURIComponent;
    return `/v1/vhosts/${e(this.o.vhost)}/apps/${e(this.o.app)}:${name}`;
  }

  private async post(name: 'startPush' | 'stopPush' | 'pushes', body: unknown): Promise<{ status: number; data: unknown }> {
    try {
      const res = await this.http.post(this.action(name), body, { responseType: 'json' });
      if (res.status === 401 || res.status === 403) throw new OmeUnreachableError('OME refused the API access token (check OME_API_ACCESS_TOKEN)', `http_${res.status}`);
      if (res.status >= 500) throw new OmeUnreachableError(`OME API answered ${res.status}`, `http_${res.status}`);
      return { status: res.status, data: res.data };
    } catch (err) {
      if (err instanceof OmeUnreachableError) throw err;
      const code = (err as { code?: string }).code ?? 'error';
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      // The error carries only a code: axios errors hold the request (and so the stream key) in `config`.
      throw new OmeUnreachableError(timedOut ? `OME did not answer within ${this.o.timeoutMs} ms` : 'OME API is unreachable', code);
    }
  }

  /** Starts (or, when the stream is not there yet, reserves) a push; OME's refusal is an OmePushRefused. */
  async startPush(p: StartPushRequest): Promise<OmePush> {
    const res = await this.post('startPush', {
      id: p.id,
      stream: { name: p.streamName, variantNames: [...p.variantNames] },
      protocol: p.protocol,
      url: p.url,
      streamKey: p.streamKey,
    });
    if (res.status !== 200) throw new OmePushRefused(res.status, omeReason(res.data, res.status));
    const parsed = PushStartResponse.safeParse(res.data);
    if (!parsed.success) throw new OmeUnreachableError('OME API answered with an unexpected body', 'bad_body');
    return toPush(parsed.data.response);
  }

  /** Stops and removes a push; false when OME has no push with that id (already gone). */
  async stopPush(id: string): Promise<boolean> {
    const res = await this.post('stopPush', { id });
    if (res.status === 200) return true;
    if (res.status === 404) {
      // 404 is also "no such application": that one is an outage, not "already gone".
      if (/application|publisher/i.test(omeReason(res.data, 404)) && !/id '/i.test(omeReason(res.data, 404))) throw new OmeUnreachableError(`OME has no application ${this.o.vhost}/${this.o.app}`, 'http_404');
      return false;
    }
    throw new OmeUnreachableError(`OME API answered ${res.status} to stopPush`, `http_${res.status}`);
  }

  /** Every push task of our application. */
  async pushes(): Promise<OmePush[]> {
    const res = await this.post('pushes', {});
    if (res.status === 404) throw new OmeUnreachableError(`OME has no application ${this.o.vhost}/${this.o.app} (or no Push publisher)`, 'http_404');
    if (res.status !== 200) throw new OmeUnreachableError(`OME API answered ${res.status} to pushes`, `http_${res.status}`);
    const parsed = PushListResponse.safeParse(res.data);
    if (!parsed.success) throw new OmeUnreachableError('OME API answered with an unexpected body', 'bad_body');
    return parsed.data.response.map(toPush);
  }
}

function toPush(t: z.infer<typeof PushTask>): OmePush {
  return { id: t.id, state: t.state, streamName: t.stream?.name ?? '' };
}
