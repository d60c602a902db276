// The client against a real HTTP server on 127.0.0.1 that answers like OME 0.20 (fixture bodies,
// Basic auth checked the way OME does it).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OmeRestClient, OmeUnreachableError } from './rest-client.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../test/fixtures/ome/rest-api', name), 'utf8');
const TOKEN = 'ome-access-token';
// OME's documented example: AccessToken "ome-access-token" => "Basic b21lLWFjY2Vzcy10b2tlbg==".
const EXPECTED_AUTH = 'Basic b21lLWFjY2Vzcy10b2tlbg==';

let server: Server;
let base: string;
const seen: Array<{ method?: string; url: string; auth: string | undefined }> = [];
let hang = false;

beforeAll(async () => {
  const routes: Record<string, string> = {
    '/v1/vhosts/default/apps/app/streams/stream1': fixture('get-stream-stream1-rtmp.json'),
    '/v1/stats/current/vhosts/default/apps/app/streams/stream1': fixture('get-stats-stream1.json'),
    '/v1/vhosts/default/apps/app/streams/garbage': '<html>proxy error</html>',
  };
  server = createServer((req: IncomingMessage, res) => {
    if (req.method !== 'GET') seen.push({ method: req.method, url: req.url ?? '', auth: req.headers.authorization });
    else seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    if (hang) return; // never answers: the client's timeout must fire
    if (req.headers.authorization !== EXPECTED_AUTH) {
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="OvenMediaEngine"' });
      return res.end('{"message":"[HTTP] Authorization header is required to call API (401)","statusCode":401}');
    }
    if (req.method === 'DELETE') {
      // OME has stream1 (the captured fixtures); anything else is the captured 404.
      const found = req.url === '/v1/vhosts/default/apps/app/streams/stream1';
      res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
      return res.end(fixture(found ? 'delete-stream-ok.json' : 'get-stream-stream4-original-name-404.json'));
    }
    const body = routes[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      return res.end(fixture('get-stream-stream4-original-name-404.json'));
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (over: Partial<ConstructorParameters<typeof OmeRestClient>[0]> = {}) =>
  new OmeRestClient({ apiUrl: base, accessToken: TOKEN, timeoutMs: 500, vhost: 'default', app: 'app', ...over });

async function failure(p: Promise<unknown>): Promise<OmeUnreachableError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(OmeUnreachableError);
  return e as OmeUnreachableError;
}

describe('OmeRestClient', () => {
  it('reads stream info and current stats with Basic auth = base64(access token)', async () => {
    const c = client();
    const info = await c.getStream('stream1');
    const stats = await c.getStreamStats('stream1');
    expect(info?.response.name).toBe('stream1');
    expect(info?.response.input?.tracks.map((t) => t.type)).toEqual(['Video', 'Audio', 'Data']);
    expect(stats?.response.connections).toMatchObject({ webrtc: 0, llhls: 0, file: 1 });
    expect(seen.at(-1)).toEqual({ url: '/v1/stats/current/vhosts/default/apps/app/streams/stream1', auth: EXPECTED_AUTH });
  });

  // OME docs/rest-api/v1/virtualhost/application/stream/README.md, "Delete Stream":
  // "DELETE /v1/vhosts/{vhost}/apps/{app}/streams/{stream} ... This terminates the ingress connection."
  it('disconnects a publisher with DELETE /v1/vhosts/<vhost>/apps/<app>/streams/<stream> and Basic auth', async () => {
    expect(await client().deleteStream('stream1')).toBe('deleted');
    expect(seen.at(-1)).toEqual({ method: 'DELETE', url: '/v1/vhosts/default/apps/app/streams/stream1', auth: EXPECTED_AUTH });
    expect(await client().deleteStream('stream4')).toBe('absent');
    const e = await failure(client({ accessToken: 'wrong' }).deleteStream('stream1'));
    expect(e.reason).toBe('http_401');
  });

  it('returns null when OME answers 404 for the stream', async () => {
    expect(await client().getStream('stream4')).toBeNull();
    expect(await client().getStreamStats('stream4')).toBeNull();
  });

  it('encodes the stream name into the path', async () => {
    expect(await client().getStream('a/b?c')).toBeNull();
    expect(seen.at(-1)?.url).toBe('/v1/vhosts/default/apps/app/streams/a%2Fb%3Fc');
  });

  it('fails with ome_unreachable (502) when the token is refused', async () => {
    const e = await failure(client({ accessToken: 'wrong' }).getStream('stream1'));
    expect(e.status).toBe(502);
    expect(e.code).toBe('ome_unreachable');
    expect(e.message).toMatch(/access token/);
    expect(e.message).not.toContain('wrong');
  });

  it('fails with ome_unreachable when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await failure(client({ apiUrl: `http://127.0.0.1:${port}` }).getStream('stream1'));
    expect(e.reason).toBe('ECONNREFUSED');
  });

  it('gives up after the timeout when OME does not answer', async () => {
    hang = true;
    try {
      const started = Date.now();
      const e = await failure(client({ timeoutMs: 300 }).getStream('stream1'));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(e.message).toMatch(/did not answer within 300 ms/);
    } finally {
      hang = false;
    }
  });

  it('fails with ome_unreachable on a body that is not OME JSON', async () => {
    const e = await failure(client().getStream('garbage'));
    expect(e.reason).toBe('bad_body');
  });
});
