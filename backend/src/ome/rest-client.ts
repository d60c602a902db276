// OME REST API client: stream info and current statistics, and disconnecting a publisher.
// OME wants `Authorization: Basic base64(<AccessToken>)` (docs/rest-api). A short timeout keeps the
// dashboard responsive when OME is down; every failure to get an answer becomes one typed error.
import axios, { type AxiosInstance } from 'axios';
import { AppError } from '../http/errors.js';
import { OmeStreamInfoResponse, OmeStreamListResponse, OmeStreamStatsResponse, type OmeStreamInfo, type OmeStreamStats } from './stats.js';

export interface OmeRestOptions {
  apiUrl: string;
  accessToken: string;
  timeoutMs: number;
  vhost: string;
  app: string;
}

/** 502 `ome_unreachable`: OME could not be asked (down, timed out, refused our token, answered garbage). */
export class OmeUnreachableError extends AppError {
  constructor(message: string, readonly reason: string) {
    super(502, 'ome_unreachable', message);
  }
}

export class OmeRestClient {
  private readonly http: AxiosInstance;

  constructor(private readonly o: OmeRestOptions) {
    this.http = axios.create({
      baseURL: o.apiUrl.replace(/\/+$/, ''),
      timeout: o.timeoutMs,
      headers: { Authorization: `Basic ${Buffer.from(o.accessToken, 'utf8').toString('base64')}`, Accept: 'application/json' },
      // Every status is handled below; only transport failures throw.
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  private streamPath(stream: string): string {
    const e = encodeURIComponent;
    return `vhosts/${e(this.o.vhost)}/apps/${e(this.o.app)}/streams/${e(stream)}`;
  }

  /** Stream info (input tracks, outputs), or null when OME has no such stream. */
  getStream(stream: string): Promise<OmeStreamInfo | null> {
    return this.get(`/v1/${this.streamPath(stream)}`, (b) => OmeStreamInfoResponse.parse(b));
  }

  /** Current statistics (connections per publisher, throughput), or null when OME has no such stream. */
  getStreamStats(stream: string): Promise<OmeStreamStats | null> {
    return this.get(`/v1/stats/current/${this.streamPath(stream)}`, (b) => OmeStreamStatsResponse.parse(b));
  }

  /**
   * Names of the streams OME has in our application right now (`GET /v1/vhosts/<vhost>/apps/<app>/streams`).
   * A 404 means OME has no such application (misconfigured or still starting): that is not "no streams".
   */
  async listStreams(): Promise<string[]> {
    const e = encodeURIComponent;
    const list = await this.get(`/v1/vhosts/${e(this.o.vhost)}/apps/${e(this.o.app)}/streams`, (b) => OmeStreamListResponse.parse(b).response);
    if (list === null) throw new OmeUnreachableError(`OME has no application ${this.o.vhost}/${this.o.app}`, 'http_404');
    return list;
  }

  /**
   * Disconnects a stream's publisher. OME docs/rest-api/v1/virtualhost/application/stream/README.md,
   * "Delete Stream": `DELETE /v1/vhosts/{vhost}/apps/{app}/streams/{stream}` — "Delete Stream. This
   * terminates the ingress connection." (200 `{"statusCode":200,"message":"OK"}`; 404 "Could not
   * find the stream"). The doc warns: "The sender can reconnect after the connection is terminated.
   * To prevent reconnection, you must use AccessControl" — our admission webhook is that control,
   * so callers change the database (key version, disabled) before kicking.
   * `absent` when OME has no such stream (already gone: nothing to kick); throws OmeUnreachableError
   * when OME could not be asked or refused, so the caller retries.
   */
  async deleteStream(stream: string): Promise<'deleted' | 'absent'> {
    let res;
    try {
      res = await this.http.delete(`/v1/${this.streamPath(stream)}`, { responseType: 'json' });
    } catch (err) {
      throw this.transportError(err);
    }
    if (res.status === 404) return 'absent';
    if (res.status === 401 || res.status === 403) throw new OmeUnreachableError('OME refused the API access token (check OME_API_ACCESS_TOKEN)', `http_${res.status}`);
    if (res.status !== 200) throw new OmeUnreachableError(`OME API answered ${res.status}`, `http_${res.status}`);
    return 'deleted';
  }

  private transportError(err: unknown): OmeUnreachableError {
    const code = (err as { code?: string }).code ?? 'error';
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    return new OmeUnreachableError(timedOut ? `OME did not answer within ${this.o.timeoutMs} ms` : 'OME API is unreachable', code);
  }

  private async get<T>(path: string, parse: (body: unknown) => T): Promise<T | null> {
    let res;
    try {
      res = await this.http.get(path, { responseType: 'json' });
    } catch (err) {
      throw this.transportError(err);
    }
    if (res.status === 404) return null;
    if (res.status === 401 || res.status === 403) throw new OmeUnreachableError('OME refused the API access token (check OME_API_ACCESS_TOKEN)', `http_${res.status}`);
    if (res.status !== 200) throw new OmeUnreachableError(`OME API answered ${res.status}`, `http_${res.status}`);
    try {
      return parse(res.data);
    } catch {
      throw new OmeUnreachableError('OME API answered with an unexpected body', 'bad_body');
    }
  }
}
